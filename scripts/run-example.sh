#!/usr/bin/env bash
# Builds the example app (and the modules it needs) and starts it; arguments are passed to the app.
#   scripts/run-example.sh                  # http://localhost:8080/, in-memory, demo mode
#   scripts/run-example.sh --port 9090 --hold-seconds 120
#   scripts/run-example.sh --help           # every flag, its environment variable and its default
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -pl ticketing-examples -am package -DskipTests
exec java -jar ticketing-examples/target/ticketing-example.jar "$@"
