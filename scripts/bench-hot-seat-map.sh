#!/usr/bin/env bash
# A hot sale with seat-map streams (docs/benchmarks.md, Live seat map, "A hot sale with seat-map streams"):
# one example app (in memory), per run a fresh event of 300 x 100 seats in one subsection A:1, N streams
# with ?seats=A:1 (or none), and one-seat best-available reservations flat out from 4 triggerers for 10 s,
# with the SSE load client's throughput mode. The server's seat-map reads are counted from its /metrics
# every 0.5 s, so that the streams' connect phase and the reservations are told apart, and so are its reads of
# the change log (a seat-map copy caught up after a gap). SERVER_ARGS (see bench-server.sh) selects another
# store, e.g. SERVER_ARGS="--jdbc-url jdbc:postgresql://127.0.0.1:5432/test?user=postgres". Needs a built example
# app (mvn -q -B -ntp -pl ticketing-examples -am package -DskipTests) and an SSE load client jar that reads
# the product's <version>-<epoch> ids as versions:
#   scripts/bench-hot-seat-map.sh /path/to/sse-load.jar [N=1000] [ROUNDS=2] [PORT=18711]
# Prints per run one JSON line (the client's) and one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
load=$1 n=${2:-1000} rounds=${3:-2} port=${4:-18711}
jar=${TICKETING_JAR:-ticketing-examples/target/ticketing-example.jar}
java_opts="-Xmx1g -XX:+UseParallelGC -Xmn48m" log=/tmp/bench-hot-seat-map-$port.log
. scripts/bench-server.sh
poller=
trap 'kill $pid $poller 2>/dev/null; wait $pid 2>/dev/null' EXIT
bind=$(python3 -c "print(','.join(f'127.0.0.{i}' for i in range(2, 2 + max(1, ($n + 99) // 100))))")
reads() { # the server's seat-map reads so far, its SSE deliveries so far, and its change-log reads so far
  curl -fs "http://127.0.0.1:$port/metrics" | awk '
    /^ticketing_store_latency_seconds_count\{.*operation="seatMaps"/ { r += $2 }
    /^ticketing_sse_deliveries_total/ { d += $2 }
    /^ticketing_store_latency_seconds_count\{.*operation="changes"/ { c += $2 }
    END { printf "%d %d %d\n", r, d, c }'
}
run() { # label query
  for _ in $(seq 1 120); do # the previous run's streams must be gone: one client address may hold at most 100
    [ "$(curl -fs "$api/stream/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"])')" = 0 ] && break
    sleep 0.5
  done
  local eid samples=/tmp/bench-hot-seat-map-$port.reads
  eid=$(event 300 100)
  reads >"$samples"
  (while sleep 0.5; do reads >>"$samples"; done) &
  poller=$!
  java -Xmx1g -jar "$load" throughput --bind "$bind" --n "$n" \
    --stream-url "$api/events/$eid/stream$2" \
    --trigger-url "$api/events/$eid/reservations" --trigger-body '{"section":"A","subsection":1,"quantity":1}' \
    --header "Authorization: Bearer $(token 2 buyer)" --header "Idempotency-Key: hot-$eid-{i}" \
    --event status_update --seq-field version --server-pid "$pid" --label "$1" | tail -n 1 | tee "$samples.json"
  kill $poller 2>/dev/null; wait $poller 2>/dev/null || true
  poller=
  reads >>"$samples"
  python3 - "$samples" "$samples.json" <<'PY'
import json, sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
d = json.load(open(sys.argv[2]))
first = next((row for row in rows if row[1] > rows[0][1]), rows[-1])
print(f"{d['label']}: seat-map reads while connecting {first[0] - rows[0][0]}, "
      f"while reserving {rows[-1][0] - first[0]}; change-log reads while reserving {rows[-1][2] - first[2]}; "
      f"{d['triggersPerS']} reservations/s, "
      f"{d['mbPerS']} MB/s, {1e6 * d['serverCpuS'] / max(1, d['triggersOk']):.0f} µs server CPU per reservation, "
      f"{d['connsAtLast']} of {d['connected']} streams at the last version; connect p99 {d['connectP99Ms']} ms")
PY
}
for _ in $(seq 1 "$rounds"); do
  run seats "?seats=A:1"
  run no-seats ""
done
