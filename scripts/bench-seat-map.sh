#!/usr/bin/env bash
# Live seat map benchmark (issue 13): N subscribers of one 25 × 20 subsection, one single-seat reservation
# every 100 ms, with and without ?seats=A:1, alternated on one server in one run; then the bytes of a
# one-seat change on a 1,000 × 1,000 subsection. Needs a built example app
# (mvn -q -B -ntp -pl ticketing-examples -am package -DskipTests) and an SSE load client jar that speaks
# the sse-load options (latency mode, --event, --seq-field, --bind, --server-pid):
#   scripts/bench-seat-map.sh /path/to/sse-load.jar [N=5000] [ROUNDS=2] [PORT=18600]
# Prints one JSON line per run (label seats / no-seats) and the frame sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
load=$1 n=${2:-5000} rounds=${3:-2} port=${4:-18600}
jar=${TICKETING_JAR:-ticketing-examples/target/ticketing-example.jar}
java_opts="-Xmx1g -XX:+UseG1GC" log=/tmp/bench-seat-map-$port.log
. scripts/bench-server.sh
bind=$(python3 -c "print(','.join(f'127.0.0.{i}' for i in range(2, 2 + max(1, ($n + 99) // 100))))")
run() { # label query event-type
  local eid
  # the previous run's streams must be gone: one client address may hold at most 100
  for _ in $(seq 1 120); do
    [ "$(curl -fs "$api/stream/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"])')" = 0 ] && break
    sleep 0.5
  done
  eid=$(event 25 20)
  java -Xmx1g -jar "$load" latency --bind "$bind" --n "$n" --m 50 --interval-ms 100 \
    --stream-url "$api/events/$eid/stream$2" \
    --trigger-url "$api/events/$eid/reservations" --trigger-body '{"section":"A","subsection":1,"quantity":1}' \
    --header "Authorization: Bearer $(token 2 buyer)" --header "Idempotency-Key: bench-$eid-{i}" \
    --event "$3" --seq-field version --server-pid "$pid" --server-jvm --label "$1" | tail -n 1
}
for _ in $(seq 1 "$rounds"); do
  run no-seats "" status_update
  run seats "?seats=A:1" seat_changes
done
# Bytes on the wire of a one-seat change, whatever the venue size: one stream of a 1,000 × 1,000 subsection.
eid=$(event 1000 1000)
curl -sN "$api/events/$eid/stream?seats=A:1" -o /tmp/bench-seat-map-frames.txt --max-time 4 &
curl_pid=$!
sleep 2
curl -fs -o /dev/null -X POST "$api/events/$eid/reservations" -H "Authorization: Bearer $(token 2 buyer)" \
  -H 'Content-Type: application/json' -d '{"section":"A","subsection":1,"quantity":1}'
wait $curl_pid || true
python3 - /tmp/bench-seat-map-frames.txt <<'PY'
import sys
frames = open(sys.argv[1], 'rb').read().split(b'\n\n')
for f in frames:
    event = next((l[7:].decode() for l in f.split(b'\n') if l.startswith(b'event: ')), None)
    if event:
        print(f"{event}: {len(f) + 2} bytes")
PY
