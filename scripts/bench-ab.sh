#!/usr/bin/env bash
# A/B benchmark of built example jars, alternated in one run (issue 20; docs/benchmarks.md, "Sales rules"):
#   scripts/bench-ab.sh pg   ROUNDS JAR[:ARGS] ...   PostgresReservationBenchmark api=both with each jar in turn
#   scripts/bench-ab.sh core ROUNDS JAR[:ARGS] ...   CoreBenchmark (JMH) with each jar in turn
# ARGS (after the colon, comma-separated) go to that jar's benchmark, e.g. new.jar:cap=4 or
# new.jar:-p,maxSeatsPerBuyer=1000. For core, JMH_ARGS overrides the benchmarks and JMH options (default:
# reserve + cancel of one seat and of the best pair, 5 forks). Environment:
#   ALTERNATE=1     run the jars in reverse order in even rounds, so that no jar always follows the same one
#   JSON_DIR=DIR    (core) keep each run's JMH result as DIR/<jar name>-<round>.json, for
#                   scripts/bench-ab-ratios.py DIR BASELINE, which prints each round's ratios to a baseline jar
# Run it under the benchmark lock:
#   flock -o /tmp/ticketing-bench.lock scripts/bench-ab.sh pg 2 /tmp/prerules.jar new.jar:cap=4
# Prints, per run, a header line (time, load average, jar, arguments) and the benchmark's result lines
# (for core, every fork's iterations and its subscriber's count of snapshots too: the hot-event figures are bimodal across forks).
set -euo pipefail
kind=$1 rounds=$2
shift 2
jmh=${JMH_ARGS:-'CoreBenchmark.reserve(ThenCancelOneSeat|BestPairThenCancel)$ -f 5 -wi 3 -w 2 -i 5 -r 2'}
[[ -n ${JSON_DIR:-} ]] && mkdir -p "$JSON_DIR"
for round in $(seq 1 "$rounds"); do
  specs=("$@")
  if [[ ${ALTERNATE:-0} == 1 ]] && (( round % 2 == 0 )); then
    specs=()
    for ((i = $# - 1; i >= 0; i--)); do specs+=("${@:i+1:1}"); done
  fi
  for spec in "${specs[@]}"; do
    jar=${spec%%:*}
    args=()
    [[ $spec == *:* ]] && IFS=, read -ra args <<<"${spec#*:}"
    echo "== round $round $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg) $jar ${args[*]:-}"
    case $kind in
      pg) java -cp "$jar" io.ticketing.examples.bench.PostgresReservationBenchmark api=both "${args[@]}" \
            | grep 'reserve+confirm' ;;
      core)
        json=()
        [[ -n ${JSON_DIR:-} ]] && json=(-rf json -rff "$JSON_DIR/$(basename "$jar" .jar)-$round.json")
        # shellcheck disable=SC2086
        java -cp "$jar" org.openjdk.jmh.Main $jmh "${args[@]}" "${json[@]}" \
          | grep -E '^# (Benchmark|Fork):|^Iteration|^Benchmark|^CoreBenchmark|ops/s$|subscriber received' ;;
      *) echo "unknown kind $kind (pg or core)" >&2; exit 2 ;;
    esac
  done
done
