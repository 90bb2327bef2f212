#!/usr/bin/env bash
# Makes sure what the test suite needs is installed and running on this machine:
# PostgreSQL on 127.0.0.1:5432 (trust auth for loopback, database "test"), Redis on 127.0.0.1:6379,
# and Chromium + ChromeDriver for the browser test. Installs missing pieces from Debian packages.
# Safe to run again: it only acts on what is missing or stopped.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT_UPDATED=""

log() { echo "[ensure-services] $*"; }

as_postgres() { # runs a command as the postgres OS user (peer auth on the local socket)
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "ERROR: $what did not come up within 60 s"; return 1
}

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q; }
pg_login() { psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; }

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql postgresql-contrib
  fi
  if ! pg_up; then
    local version
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    if [ ! -d "/etc/postgresql/$version/main" ]; then
      log "creating PostgreSQL $version cluster"
      $SUDO pg_createcluster "$version" main >/dev/null
    fi
    log "starting PostgreSQL $version"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_for "PostgreSQL" pg_up
  fi
  if ! pg_login; then
    local hba
    hba=$(as_postgres psql -tAc 'show hba_file')
    log "allowing trust auth for loopback in $hba (test machine only)"
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_postgres psql -tAc 'select pg_reload_conf()' >/dev/null
    wait_for "PostgreSQL login" pg_login
  fi
  if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'test'")" != "1" ]; then
    log "creating database test"
    createdb -h 127.0.0.1 -U postgres test
  fi
  log "PostgreSQL is ready on 127.0.0.1:5432"
}

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG; }

ensure_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server
  fi
  if ! redis_up; then
    log "starting Redis"
    $SUDO mkdir -p /var/lib/redis /var/log/redis
    $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for "Redis" redis_up
  fi
  log "Redis is ready on 127.0.0.1:6379"
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver
  fi
  log "Chromium is ready: $(command -v chromium), $(command -v chromedriver)"
}

ensure_postgres
ensure_redis
ensure_chromium
