#!/usr/bin/env bash
# Alternated rounds of StoreLoop.java (CPU per best-available reserve + confirm as each jar's own store sends
# them), in one hold of the benchmark lock:
#   /work/wt/bin/bench-lock scripts/pg-cpu/store-rounds.sh ROUNDS ITERATIONS JAR:SCHEMA ...
# each SCHEMA made first by `java -cp JAR scripts/pg-cpu/Setup.java SCHEMA [4]`. Round r runs every JAR:SCHEMA in
# turn on subsection r, so ROUNDS <= 20 and ITERATIONS <= 9,500 per fresh schema. Prints one line per round: UTC
# time, 1-minute load, then for each schema the backend's µs / the client thread's µs per reserve + confirm.
set -euo pipefail
rounds=$1 n=$2
shift 2
dir=$(dirname "$0")
for r in $(seq 1 "$rounds"); do
  line="$(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) round $r:"
  for spec in "$@"; do
    line="$line ${spec#*:} $(java -cp "${spec%%:*}" "$dir/StoreLoop.java" "${spec#*:}" "$r" "$n" 2>/dev/null \
      | tail -1 | tr ' ' /)"
  done
  echo "$line"
done
