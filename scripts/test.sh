#!/usr/bin/env bash
# Runs the whole test suite: unit tests, and integration tests against real PostgreSQL, Redis,
# embedded Jetty and Tomcat, and headless Chromium. Installs and starts those services first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
mvn -B -ntp verify "$@"
