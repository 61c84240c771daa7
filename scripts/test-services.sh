#!/usr/bin/env bash
# Installs (if missing) and starts throwaway PostgreSQL 15 + PostGIS and Redis on loopback
# for the test suite, then runs the given command with TRIPGEN_TEST_PG_URL and
# TRIPGEN_TEST_REDIS_URL set, and stops the services afterwards.
#   usage: scripts/test-services.sh make test
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PGPORT=${PGPORT:-55432}
REDISPORT=${REDISPORT:-56379}
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

SVC_DIR=$(mktemp -d /tmp/tripgen-svc.XXXXXX)
chmod 755 "$SVC_DIR"
mkdir -p "$SVC_DIR/pg"
chown postgres:postgres "$SVC_DIR/pg"
chmod 700 "$SVC_DIR/pg"

stop_services() {
  su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$SVC_DIR/pg/data' -m fast stop" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
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
"$@"
