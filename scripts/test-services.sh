#!/usr/bin/env bash
# Installs (if missing) and starts throwaway PostgreSQL 15 + PostGIS and Redis on loopback
# for the test suite, then runs the given command with TRIPGEN_TEST_PG_URL and
# TRIPGEN_TEST_REDIS_URL set, and stops the services afterwards. RabbitMQ with its AMQP 1.0
# plugin (the Service Bus job backend's test broker) too, when it installs here:
# TRIPGEN_TEST_AMQP_URL and TRIPGEN_TEST_AMQP_DLQ (its dead-letter queue); without it the
# AMQP tests print SKIPPED.
#   usage: scripts/test-services.sh make test
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PGPORT=${PGPORT:-55432}
REDISPORT=${REDISPORT:-56379}
AMQPPORT=${AMQPPORT:-55672}
PGDB=${PGDB:-tripgen_test}
PGBIN=/usr/lib/postgresql/15/bin

need=()
[ -x "$PGBIN/initdb" ] || need+=(postgresql-15)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || need+=(postgresql-15-postgis-3)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Optional: a failed install leaves the AMQP tests skipped, not the suite failed.
if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "installing: rabbitmq-server"
  apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null 2>&1; } \
    || echo "rabbitmq-server did not install: AMQP tests will be SKIPPED"
fi

SVC_DIR=$(mktemp -d /tmp/tripgen-svc.XXXXXX)
chmod 755 "$SVC_DIR"
mkdir -p "$SVC_DIR/pg"
chown postgres:postgres "$SVC_DIR/pg"
chmod 700 "$SVC_DIR/pg"

RMQ_NODE="tripgen-test-$$@localhost"
stop_services() {
  su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$SVC_DIR/pg/data' -m fast stop" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$SVC_DIR/rmq/pid" ]; then
    rabbitmqctl -n "$RMQ_NODE" stop >/dev/null 2>&1 || kill "$(cat "$SVC_DIR/rmq/pid")" 2>/dev/null || true
  fi
  rm -rf "$SVC_DIR"
}
trap stop_services EXIT

su postgres -s /bin/sh -c "$PGBIN/initdb -D '$SVC_DIR/pg/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$SVC_DIR/pg/data' -l '$SVC_DIR/pg/log' -w -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k '$SVC_DIR/pg' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start" >/dev/null
psql -qX -h 127.0.0.1 -p "$PGPORT" -U postgres -c "CREATE DATABASE $PGDB" >/dev/null
psql -qX -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$PGDB" -c 'CREATE EXTENSION IF NOT EXISTS postgis' -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm' >/dev/null

redis-server --bind 127.0.0.1 --port "$REDISPORT" --save '' --appendonly no --daemonize yes \
  --dir "$SVC_DIR" --pidfile "$SVC_DIR/redis.pid" --logfile "$SVC_DIR/redis.log"
for _ in $(seq 100); do
  redis-cli -h 127.0.0.1 -p "$REDISPORT" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done

export TRIPGEN_TEST_PG_URL="postgres://postgres@127.0.0.1:$PGPORT/$PGDB"
export TRIPGEN_TEST_REDIS_URL="redis://127.0.0.1:$REDISPORT/"
echo "PostgreSQL: $TRIPGEN_TEST_PG_URL  Redis: $TRIPGEN_TEST_REDIS_URL"

# RabbitMQ on a free loopback port, its own node name and folders (starts in ~10 s).
start_rabbitmq() {
  command -v rabbitmq-server >/dev/null 2>&1 || return 1
  while ss -ltn "( sport = :$AMQPPORT )" 2>/dev/null | grep -q LISTEN; do AMQPPORT=$((AMQPPORT + 1)); done
  local d="$SVC_DIR/rmq"
  mkdir -p "$d"
  echo '[rabbitmq_amqp1_0].' >"$d/enabled_plugins"
  printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users.guest = true\n' "$AMQPPORT" >"$d/rabbitmq.conf"
  chown -R rabbitmq:rabbitmq "$d" 2>/dev/null || true
  RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQPPORT" \
    RABBITMQ_DIST_PORT=$((AMQPPORT - 30000)) RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" RABBITMQ_CONFIG_FILE="$d/rabbitmq" \
    RABBITMQ_PID_FILE="$d/pid" rabbitmq-server -detached >/dev/null 2>&1 || return 1
  for _ in $(seq 120); do
    grep -qs "Server startup complete" "$d/log/$RMQ_NODE.log" && break
    sleep 0.5
  done
  grep -qs "Server startup complete" "$d/log/$RMQ_NODE.log" || return 1
  # Rejected (dead-lettered) messages of every queue go to one dead-letter queue.
  rabbitmqctl -n "$RMQ_NODE" set_policy tripgen-dlx '^(?!tripgen-dead-letter$).*' \
    '{"dead-letter-exchange":"","dead-letter-routing-key":"tripgen-dead-letter"}' --apply-to queues >/dev/null 2>&1 || true
  rabbitmqctl -n "$RMQ_NODE" eval 'rabbit_amqqueue:declare(rabbit_misc:r(<<"/">>, queue, <<"tripgen-dead-letter">>), true, false, [], none, <<"tripgen">>).' >/dev/null 2>&1 || true
}
if start_rabbitmq; then
  export TRIPGEN_TEST_AMQP_URL="amqp://guest:guest@127.0.0.1:$AMQPPORT"
  export TRIPGEN_TEST_AMQP_DLQ="/amq/queue/tripgen-dead-letter"
  echo "RabbitMQ (AMQP 1.0): $TRIPGEN_TEST_AMQP_URL"
elif [ "${TRIPGEN_TEST_REQUIRE_AMQP:-0}" = 1 ]; then
  # CI: the Service Bus backend's contract tests must run, never skip.
  echo "RabbitMQ did not start and TRIPGEN_TEST_REQUIRE_AMQP=1" >&2
  exit 1
else
  echo "RabbitMQ did not start: AMQP tests will be SKIPPED"
fi
"$@"
