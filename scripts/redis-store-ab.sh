#!/usr/bin/env bash
# A/B of the Redis store's hot-event benchmark (docs/benchmarks.md, "Redis store"): two example-app jars,
# alternated on one fresh Redis (port $PORT, appendonly yes, appendfsync everysec), with the PostgreSQL store
# and redis-benchmark SET in the same run for the ratios, and each script's server time per call from
# SLOWLOG (every command logged during a short extra run of each jar, grouped by script SHA-1).
# Usage (under the benchmark lock): flock -o /tmp/ticketing-bench.lock scripts/redis-store-ab.sh A.jar B.jar [rounds]
set -euo pipefail
A=$1 B=$2 ROUNDS=${3:-3}
PORT=${PORT:-17020} SECONDS_MEASURED=${SECONDS_MEASURED:-10} WARMUP=${WARMUP:-5}
URL=redis://127.0.0.1:$PORT
DIR=$(mktemp -d /tmp/redis-store-ab.XXXXXX)
cli() { redis-cli -p "$PORT" "$@"; }
redis-server --daemonize yes --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --pidfile "$DIR/redis.pid" \
    --appendonly yes --appendfsync everysec --save "" --logfile "$DIR/redis.log"
trap 'cli shutdown nosave >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
until cli ping >/dev/null 2>&1; do sleep 0.1; done

store() { # label jar [extra benchmark arguments]
    local label=$1 jar=$2; shift 2
    cli config resetstat >/dev/null
    echo "== $label $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    java -cp "$jar" io.ticketing.examples.bench.RedisStoreBenchmark url="$URL" parts=store \
        seconds="$SECONDS_MEASURED" warmup="$WARMUP" "$@" | grep -E 'reservations/s|CPU per'
    cli info commandstats | grep -E '^cmdstat_evalsha' | tr -d '\r'
}

scripts() { # label jar: server µs per call of each script, from SLOWLOG over a short run
    local label=$1 jar=$2
    cli config set slowlog-log-slower-than 0 >/dev/null
    cli config set slowlog-max-len 50000 >/dev/null
    cli slowlog reset >/dev/null
    java -cp "$jar" io.ticketing.examples.bench.RedisStoreBenchmark url="$URL" parts=store seconds=3 warmup=2 >/dev/null
    cli --json slowlog get 50000 > "$DIR/slowlog.json"
    cli config set slowlog-log-slower-than 10000 >/dev/null
    cli slowlog reset >/dev/null
    python3 - "$jar" "$DIR/slowlog.json" "$label" <<'PY'
import collections, hashlib, json, sys, zipfile
jar, log, label = sys.argv[1:]
names = {}
with zipfile.ZipFile(jar) as z:
    res = 'io/ticketing/core/redis/'
    files = [n[len(res):] for n in z.namelist() if n.startswith(res) and n.endswith('.lua')]
    for f in files:
        for lib in ('event-lib.lua', 'buyer-lib.lua', 'global-lib.lua'):
            if f.endswith('-lib.lua'):
                continue
            src = z.read(res + lib) + z.read(res + f)
            names[hashlib.sha1(src).hexdigest()] = f[:-4]
usec, calls = collections.Counter(), collections.Counter()
for entry in json.loads(open(log, 'rb').read().decode('utf-8', 'replace')):
    args = entry[3]
    if args and args[0].lower() == 'evalsha' and args[1] in names:
        usec[names[args[1]]] += entry[2]
        calls[names[args[1]]] += 1
for name in sorted(calls, key=lambda n: -calls[n]):
    print(f"{label} script {name:24s} {calls[name]:7d} calls {usec[name] / calls[name]:7.1f} us/call")
PY
}

echo "== redis-benchmark SET $(date -u +%H:%M:%S)"; redis-benchmark -p "$PORT" -t set -c 8 -n 300000 -q | tr '\r' '\n' | grep -E 'SET: [0-9]'
for round in $(seq 1 "$ROUNDS"); do
    store "A$round" "$A"
    store "B$round" "$B"
    if [ "$round" = 1 ]; then
        echo "== PostgreSQL store $(date -u +%H:%M:%S)"
        java -cp "$B" io.ticketing.examples.bench.PostgresReservationBenchmark api=store seconds="$SECONDS_MEASURED" \
            warmup="$WARMUP" | grep -E 'reservations/s'
    fi
done
echo "== redis-benchmark SET $(date -u +%H:%M:%S)"; redis-benchmark -p "$PORT" -t set -c 8 -n 300000 -q | tr '\r' '\n' | grep -E 'SET: [0-9]'
scripts A "$A"
scripts B "$B"
