#!/usr/bin/env bash
# Alternated rounds of the database CPU harness (scripts/pg-cpu/harness.sh), in one hold of the benchmark lock:
#   /work/wt/bin/bench-lock scripts/pg-cpu/rounds.sh ROUNDS ITERATIONS SCHEMA:KIND ...
# e.g. scripts/pg-cpu/rounds.sh 12 2500 cpu_pre:pre cpu_v15:rules cpu_v16:rules, each schema made first by
#   java -cp JAR scripts/pg-cpu/Setup.java SCHEMA [4]
# Round r runs every SCHEMA:KIND in turn on subsection (r - 1) % 20 + 1, run (r - 1) / 20 + 1, so ROUNDS x
# ITERATIONS must stay within 20 x 10,000 seats. Prints one line per round: UTC time, 1-minute load, then µs of
# backend CPU per reserve + confirm for each schema.
set -euo pipefail
rounds=$1 n=$2
shift 2
cd "$(dirname "$0")"
for r in $(seq 1 "$rounds"); do
  sub=$(( (r - 1) % 20 + 1 )) run=$(( (r - 1) / 20 + 1 ))
  line="$(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) round $r:"
  for spec in "$@"; do
    line="$line ${spec%%:*} $(./harness.sh "${spec%%:*}" "${spec#*:}" "$sub" "$n" "$run")"
  done
  echo "$line"
done
