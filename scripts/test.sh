#!/usr/bin/env bash
# Runs the whole test suite: unit tests, and integration tests against real PostgreSQL, Redis,
# embedded Jetty and Tomcat, and headless Chromium. Installs and starts those services first if needed.
# Then installs the library's jars into the local Maven repository and builds consumer-check/ against them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
mvn -B -ntp verify "$@"
# The consumer check: a project outside the build that uses the installed jars as a user would
# (consumer-check/: the servlet in plain Tomcat, a stream read). Arguments such as
# -Dmaven.repo.local=/tmp/repo go to both commands, so that a trial run can keep ~/.m2 untouched.
mvn -B -ntp -q -pl ticketing-servlet -am install -DskipTests "$@"
mvn -B -ntp -f consumer-check/pom.xml verify "$@"
