#!/usr/bin/env bash
# Where an idle SSE stream's memory goes (issue 18; docs/benchmarks.md, "Fan-out pipeline", idle streams):
#   scripts/idle-memory.sh JAR OUTDIR [N]
# Starts JAR (the example app) as ../shared/bench/compare.sh does, plus native memory tracking, creates the
# same 1,000,000-seat event, then, after a forced full GC, records a class histogram, an NMT baseline and
# /proc/PID/smaps; opens N (default 10,000) idle streams with the shared client (sse-load.jar idle) and, once
# they are connected, records the same again (the histogram forces the full GC). Prints the heap histogram's
# growth per stream (by class, and summed for Jetty's classes, ours and the JDK's) and the resident memory's
# growth per stream by mapping (Java heap, the rest). PRODUCT_JAVA_OPTS as for compare.sh (default
# -Xmx1g -XX:+UseParallelGC). Run it under the benchmark lock:
#   flock -o /tmp/ticketing-bench.lock scripts/idle-memory.sh ticketing-examples/target/ticketing-example.jar /tmp/idle
set -u
jar=$1 out=$2 n=${3:-10000}
bench=$(cd "$(dirname "$0")/../../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
bind=$(python3 -c "print(','.join(f'127.0.0.{i}' for i in range(2, 2 + max(1, ($n + 99) // 100))))")
secret=bench-secret-0123456789-0123456789-abcdef
token=$(python3 - "$secret" <<'PY'
import base64, hashlib, hmac, json, sys, time
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=").decode()
h = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
p = b(json.dumps({"sub": "1", "role": "seller", "exp": int(time.time()) + 86400}).encode())
print(f"{h}.{p}." + b(hmac.new(sys.argv[1].encode(), f"{h}.{p}".encode(), hashlib.sha256).digest()))
PY
)
# shellcheck disable=SC2086
TICKETING_JWT_SECRET=$secret java ${PRODUCT_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC} -XX:NativeMemoryTracking=summary \
  -jar "$jar" --host 127.0.0.1 --port "$port" --max-streams 20000 >"$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/api/events" >/dev/null 2>&1 && break; sleep 0.5; done
eid=$(curl -fs -X POST "http://127.0.0.1:$port/api/events" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' \
  -d '{"name":"bench","seatingConfig":{"rows":1000,"cols":1000,"sections":[{"name":"A","price":1,"subsections":1}]}}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || { echo "event creation failed" >&2; exit 1; }
jcmd $pid GC.run >/dev/null
jcmd $pid VM.native_memory baseline >/dev/null
jcmd $pid GC.class_histogram >"$out/histo-before.txt"
cp /proc/$pid/smaps "$out/smaps-before.txt"
java -Xmx1g -jar "$bench/sse-load.jar" idle --bind "$bind" --stream-url "http://127.0.0.1:$port/api/events/$eid/stream" \
  --event status_update --n "$n" --seconds 8 --server-pid $pid --server-jvm >"$out/client.out" 2>&1 &
client=$!
for _ in $(seq 1 200); do grep -q "server connected" "$out/client.out" && break; sleep 0.5; done
sleep 2
jcmd $pid GC.class_histogram >"$out/histo-after.txt"
cp /proc/$pid/smaps "$out/smaps-after.txt"
jcmd $pid VM.native_memory summary.diff >"$out/nmt-diff.txt"
jcmd $pid GC.heap_info >"$out/heap.txt"
wait $client
tail -n 1 "$out/client.out"
python3 - "$out" "$n" <<'PY'
import re, sys
out, n = sys.argv[1], int(sys.argv[2])
def histogram(path):
    rows = {}
    for line in open(path):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows
before, after = histogram(f"{out}/histo-before.txt"), histogram(f"{out}/histo-after.txt")
growth = sorted(((b - before.get(k, (0, 0))[1], i - before.get(k, (0, 0))[0], k) for k, (i, b) in after.items()),
                reverse=True)
owner = lambda k: "ours" if "io.ticketing" in k else "Jetty" if "jetty" in k else "JDK"
sums = {}
for db, _, k in growth:
    sums[owner(k)] = sums.get(owner(k), 0) + db
print(f"heap after GC, growth per stream: {sum(sums.values()) / n:.0f} B: "
      + ", ".join(f"{k} {v / n:.0f} B" for k, v in sorted(sums.items(), key=lambda e: -e[1])))
for db, di, k in growth[:40]:
    print(f"  {db / n:7.1f} B  {di / n:5.2f} per stream  {k}")
heap = re.findall(r'\[0x([0-9a-f]+), 0x([0-9a-f]+)(?:, 0x([0-9a-f]+))?\)', open(f"{out}/heap.txt").read())
lo = min(int(a, 16) for a, _, _ in heap)
hi = max(int(c or b, 16) for _, b, c in heap)
def resident(path):
    parts, inside = {"Java heap": 0, "the rest": 0}, False
    for line in open(path):
        m = re.match(r'([0-9a-f]+)-([0-9a-f]+) ', line)
        if m:
            inside = int(m.group(1), 16) >= lo and int(m.group(2), 16) <= hi
        elif line.startswith("Rss:"):
            parts["Java heap" if inside else "the rest"] += int(line.split()[1])
    return parts
rb, ra = resident(f"{out}/smaps-before.txt"), resident(f"{out}/smaps-after.txt")
print("resident growth per stream: " + ", ".join(f"{k} {(ra[k] - rb[k]) / n:.2f} KB" for k in rb)
      + f", total {(sum(ra.values()) - sum(rb.values())) / n:.2f} KB")
PY
