#!/usr/bin/env bash
# Installs (when missing and running as root) and starts the real services the integration tests and the
# distributed mode use: RabbitMQ and PostgreSQL from Debian packages, without systemd. Idempotent: seconds
# when both are already up. Writes the connection settings to build/.services.env for build/test.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="$here/.services.env"
pg_password="${AGGREGATOR_PG_PASSWORD:-aggregator}"

log() { printf '[services] %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }
apt_updated=0
apt_install() {
  if ! is_root; then log "cannot install $* (not root)"; return 1; fi
  if [ "$apt_updated" -eq 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

start_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "installing rabbitmq-server"
    apt_install rabbitmq-server || return 1
  fi
  if ! grep -qs '127.0.0.1:5672' /etc/rabbitmq/rabbitmq.conf 2>/dev/null && is_root; then
    mkdir -p /etc/rabbitmq
    cat >> /etc/rabbitmq/rabbitmq.conf <<'CONF'
listeners.tcp.default = 127.0.0.1:5672
management.tcp.ip = 127.0.0.1
prometheus.tcp.ip = 127.0.0.1
CONF
  fi
  if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    is_root && rabbitmq-plugins enable --offline rabbitmq_management rabbitmq_prometheus >/dev/null 2>&1 || true
    log "starting rabbitmq"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    local ok=0
    for _ in $(seq 1 120); do
      if rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.5
    done
    [ "$ok" -eq 1 ] || { log "rabbitmq did not open its ports within 60 s"; return 1; }
  fi
  # A node started before without the plugins gets them now: enabling a plugin online does not restart the node.
  # The dashboard's queue panels and their test read the Prometheus plugin's /metrics/detailed.
  if is_root && ! rabbitmq-plugins list -e -m 2>/dev/null | grep -qx rabbitmq_prometheus; then
    log "enabling rabbitmq_prometheus on the running node"
    rabbitmq-plugins enable rabbitmq_management rabbitmq_prometheus >/dev/null 2>&1 || log "rabbitmq_prometheus could not be enabled"
  fi
  log "rabbitmq ready on 127.0.0.1:5672 (management on 15672, prometheus on 15692)"
}

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing postgresql"
    apt_install postgresql || return 1
  fi
  local line version name status
  line="$(pg_lsclusters --no-header 2>/dev/null | head -n 1 || true)"
  if [ -z "$line" ]; then
    version="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
    log "creating cluster $version/main"
    pg_createcluster "$version" main >/dev/null
    line="$(pg_lsclusters --no-header | head -n 1)"
  fi
  read -r version name _ status _ <<<"$line"
  if [ "$status" != "online" ]; then
    log "starting postgresql $version/$name"
    pg_ctlcluster "$version" "$name" start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  if is_root; then
    su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD '$pg_password'\"" >/dev/null
  fi
  log "postgresql ready on 127.0.0.1:5432"
}

rabbit_ok=0; pg_ok=0
start_rabbitmq && rabbit_ok=1 || log "RabbitMQ could not be started; tests that need it will be skipped with this reason"
start_postgres && pg_ok=1 || log "PostgreSQL could not be started; tests that need it will be skipped with this reason"

{
  [ "$rabbit_ok" -eq 1 ] && echo "export AGGREGATOR_TEST_RABBITMQ=\"\${AGGREGATOR_TEST_RABBITMQ:-amqp://guest:guest@127.0.0.1:5672/}\""
  [ "$pg_ok" -eq 1 ] && echo "export AGGREGATOR_TEST_POSTGRES=\"\${AGGREGATOR_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=postgres;Password=$pg_password;Database=postgres}\""
  true
} > "$env_file"
