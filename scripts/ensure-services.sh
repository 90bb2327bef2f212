#!/usr/bin/env bash
# Makes sure what the test suite needs is installed and running on this machine:
# PostgreSQL on 127.0.0.1:5432 (trust auth for loopback, database "test"), Redis on 127.0.0.1:6379,
# a three-master Redis Cluster on 127.0.0.1:17001-17003 (the Redis store's contract runs on it too),
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

CLUSTER_PORTS="17001 17002 17003"
CLUSTER_DIR=/tmp/ticketing-redis-cluster

cluster_node_up() { redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG; }
cluster_ok() { redis-cli -h 127.0.0.1 -p 17001 cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }

# A throwaway cluster for tests: no persistence, data dirs under /tmp. Each node that is not answering is
# started again from its nodes.conf; the cluster is created only when its first node knows no other.
ensure_redis_cluster() {
  local port
  for port in $CLUSTER_PORTS; do
    if ! cluster_node_up "$port"; then
      log "starting Redis Cluster node on port $port"
      mkdir -p "$CLUSTER_DIR/$port"
      redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --cluster-enabled yes \
        --cluster-config-file nodes.conf --cluster-node-timeout 5000 --save "" --appendonly no \
        --dir "$CLUSTER_DIR/$port" --logfile "$CLUSTER_DIR/$port/redis.log"
      wait_for "Redis Cluster node $port" cluster_node_up "$port"
    fi
  done
  if ! cluster_ok; then
    if [ "$(redis-cli -h 127.0.0.1 -p 17001 cluster info | grep '^cluster_known_nodes:' | tr -dc 0-9)" = "1" ]; then
      log "creating the Redis Cluster of $CLUSTER_PORTS"
      redis-cli --cluster create $(for port in $CLUSTER_PORTS; do echo "127.0.0.1:$port"; done) \
        --cluster-replicas 0 --cluster-yes >/dev/null
    fi
    wait_for "Redis Cluster state ok" cluster_ok
  fi
  log "Redis Cluster is ready on 127.0.0.1 ports $CLUSTER_PORTS"
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver
  fi
  log "Chromium is ready: $(command -v chromium), $(command -v chromedriver)"
}

ensure_postgres
ensure_redis
ensure_redis_cluster
ensure_chromium
