#!/usr/bin/env bash
# Fault injection (issue 21), scripted and repeatable: each case prints PASS/FAIL with its
# figures, the last line counts them; exit status 1 when a case failed.
#
#   import      kill -9 during `tripgen import osm` (at 25/50/75 % of a clean import): the
#               store stays intact, a server starts on it in ≤ 5 s, the import run again
#               ends with exactly the places of a clean import (nothing lost or duplicated)
#   backup      kill -9 during `tripgen backup` of a live server: no file at the destination
#               (a backup is whole or absent), no temporary left behind, the server serves on,
#               the next backup restores into a server that has the data
#   edit        kill -9 of the server under acknowledged writes (trip creates and renames):
#               restart ready in ≤ 5 s, every acknowledged write read back, none duplicated
#   pg-restart  PostgreSQL (our own instance on a free port) restarted as after a crash
#               (`pg_ctl restart -m immediate`) under the same load: writes succeed again
#               ≤ 5 s after PostgreSQL is back, 0 acknowledged writes lost
#   redis-down  Redis (our own instance) shut down under a running server: still serving
#               (sign-in, reads, writes), `/health/ready` 200 `degraded` naming what; a session
#               ended during the outage stays ended, also after Redis is back
#   disk-full   the data dir on a 64 MiB tmpfs filled to the last byte under the write load:
#               clear answers (507 STORAGE_FULL, no 500), writes succeed again once space
#               returns, integrity_check ok, every acknowledged write read back
#
# Usage: bench/faults.sh [case …]        (default: all; BIN=… else the debug binary;
#        IMPORT_SRC=… what import/backup import, default data/osm/helsinki-centre)
# Needs: python3, curl, sqlite3; PostgreSQL 15 + PostGIS and redis-server binaries; root for
# the tmpfs mount (disk-full). Loopback only; every process it starts is stopped at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
BIN=${BIN:-$TARGET_DIR/debug/tripgen}
[ -x "$BIN" ] || { echo "faults: no binary at $BIN (cargo build --workspace --bins, or BIN=…)" >&2; exit 2; }
BIN=$(realpath "$BIN")
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(import backup edit pg-restart redis-down disk-full)
WORK=$(mktemp -d /tmp/tripgen-faults.XXXXXX)
chmod 755 "$WORK"
F="python3 bench/faults.py"
export TRIPGEN_LOCATION__WEATHER__PROVIDER=none TRIPGEN_RATE_LIMIT__ENABLED=false TRIPGEN_LOG__LEVEL=warn \
  TRIPGEN_PROGRESS=off TRIPGEN_LOCATION__SEED_DIRS='[]'
# What the import and backup cases import (IMPORT_SRC=data/osm for the whole bundled set).
IMPORT_SRC=${IMPORT_SRC:-data/osm/helsinki-centre}
PIDS=()
MOUNTS=()
PGDATA_DIR=
REDIS_PORT=
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ -z "$PGDATA_DIR" ] || su postgres -s /bin/sh -c "/usr/lib/postgresql/15/bin/pg_ctl -D '$PGDATA_DIR' -m immediate stop" >/dev/null 2>&1
  [ -z "$REDIS_PORT" ] || redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
PASSED=0
FAILED=0
pass() { echo "PASS $1: $2"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1: $2"; FAILED=$((FAILED + 1)); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
le() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$1" "$2"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$1" "$2"; }
db_of() { echo "$1/tripgen.db"; }
integrity() { sqlite3 "$(db_of "$1")" 'PRAGMA integrity_check' 2>&1 | head -1; }

# serve DATA_DIR PORT LOG [ENV=VAL …]: starts a server in the background, sets SPID.
serve() {
  local dir=$1 port=$2 log=$3
  shift 3
  env "$@" "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$dir" >>"$log" 2>&1 &
  SPID=$!
  PIDS+=("$SPID")
}
stop() { kill "$1" 2>/dev/null && wait "$1" 2>/dev/null; true; }
# wait_writes LOG N: until the writer has logged N answers (at most 60 s; a loaded machine).
wait_writes() { for _ in $(seq 1 600); do [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ] && return; sleep 0.1; done; }
places() { sqlite3 "$(db_of "$1")" 'SELECT COUNT(*) FROM places' 2>/dev/null || echo "?"; }

case_import() {
  local clean=$WORK/import-clean t0 t1 clean_s n_clean ok=1 notes=()
  "$BIN" migrate --data-dir "$clean" >/dev/null 2>&1
  t0=$(now)
  "$BIN" import osm "$IMPORT_SRC" --data-dir "$clean" >/dev/null 2>&1 || { fail import "the clean import failed"; return; }
  t1=$(now)
  clean_s=$(secs "$t0" "$t1")
  n_clean=$(places "$clean")
  for frac in 0.25 0.5 0.75; do
    local d=$WORK/import-$frac port log=$WORK/import-$frac.log
    "$BIN" migrate --data-dir "$d" >/dev/null 2>&1
    "$BIN" import osm "$IMPORT_SRC" --data-dir "$d" >/dev/null 2>&1 &
    local ipid=$!
    sleep "$(awk "BEGIN { print $clean_s * $frac }")"
    kill -9 "$ipid" 2>/dev/null
    wait "$ipid" 2>/dev/null
    local partial integ
    partial=$(places "$d")
    integ=$(integrity "$d")
    [ "$integ" = ok ] || { ok=0; notes+=("integrity after kill at $frac: $integ"); }
    port=$(free_port)
    t0=$(now)
    serve "$d" "$port" "$log"
    local r
    r=$($F ready "http://127.0.0.1:$port" 30)
    stop "$SPID"
    le "${r/timeout/99}" 5 || { ok=0; notes+=("server not ready in 5 s after the kill at $frac ($r)"); }
    "$BIN" import osm "$IMPORT_SRC" --data-dir "$d" >/dev/null 2>&1 || { ok=0; notes+=("import again after the kill at $frac failed"); }
    local n
    n=$(places "$d")
    [ "$n" = "$n_clean" ] || { ok=0; notes+=("after the kill at $frac and a new import: $n places, clean $n_clean"); }
    notes+=("kill at ${frac}×${clean_s}s: $partial places kept, integrity $integ, server ready in ${r}s, again → $n")
  done
  local msg="clean import $n_clean places in ${clean_s}s; ${notes[*]}"
  [ $ok = 1 ] && pass import "$msg" || fail import "$msg"
}

case_backup() {
  local d=$WORK/backup port log=$WORK/backup.log base t0 t1 full_s ok=1 notes=()
  "$BIN" migrate --data-dir "$d" >/dev/null 2>&1
  "$BIN" import osm "$IMPORT_SRC" --data-dir "$d" >/dev/null 2>&1
  port=$(free_port)
  base="http://127.0.0.1:$port"
  serve "$d" "$port" "$log"
  local server=$SPID
  $F ready "$base" 60 >/dev/null
  $F user "$base" "$WORK/backup-user.json"
  $F writer "$base" "$WORK/backup-user.json" "$WORK/backup-writes.jsonl" 3 2 >/dev/null
  t0=$(now)
  "$BIN" backup "$WORK/full.db" --data-dir "$d" >/dev/null 2>&1 || { fail backup "a clean backup failed"; stop "$server"; return; }
  t1=$(now)
  full_s=$(secs "$t0" "$t1")
  for frac in 0.3 0.5 0.7; do
    local dest=$WORK/killed-$frac.db
    "$BIN" backup "$dest" --data-dir "$d" >/dev/null 2>&1 &
    local bpid=$!
    sleep "$(awk "BEGIN { print $full_s * $frac }")"
    kill -9 "$bpid" 2>/dev/null
    wait "$bpid" 2>/dev/null
    local rc=$? left what
    left=$(find "$WORK" -maxdepth 1 -name "killed-$frac.db*" | wc -l)
    if [ $rc = 137 ]; then
      what="killed"
      [ ! -e "$dest" ] || { ok=0; notes+=("a file at the destination after the kill at $frac"); }
    else
      what="finished before the kill (exit $rc)"
    fi
    # The next backup to the same name clears what the killed one left.
    "$BIN" backup "$dest" --force --data-dir "$d" >/dev/null 2>&1 || { ok=0; notes+=("backup again after the kill at $frac failed"); }
    local after
    after=$(find "$WORK" -maxdepth 1 -name "killed-$frac.db*" | wc -l)
    [ "$after" = 1 ] || { ok=0; notes+=("after the kill at $frac and a new backup: $after files ($(ls "$WORK" | grep "killed-$frac" | tr '\n' ' '))"); }
    notes+=("kill at ${frac}×${full_s}s: $what, $left file(s) left, next backup → $after file")
  done
  local r
  r=$(curl -fs -o /dev/null -w '%{http_code}' "$base/health/ready")
  [ "$r" = 200 ] || { ok=0; notes+=("server after the killed backups: $r"); }
  [ "$(integrity "$d")" = ok ] || { ok=0; notes+=("live store integrity: $(integrity "$d")"); }
  stop "$server"
  # The last backup restores into a server that has the traveller's trips.
  local rd=$WORK/restored
  mkdir -p "$rd"
  "$BIN" restore "$WORK/killed-0.7.db" --data-dir "$rd" >/dev/null 2>&1 || { ok=0; notes+=("restore failed"); }
  port=$(free_port)
  serve "$rd" "$port" "$WORK/restored.log"
  $F ready "http://127.0.0.1:$port" 30 >/dev/null
  if $F check "http://127.0.0.1:$port" "$WORK/backup-user.json" "$WORK/backup-writes.jsonl" >"$WORK/backup-check.txt"; then
    notes+=("restored: $(cat "$WORK/backup-check.txt")")
  else
    ok=0
    notes+=("restored: $(cat "$WORK/backup-check.txt")")
  fi
  stop "$SPID"
  local msg="clean backup $(du -h "$WORK/full.db" | cut -f1) in ${full_s}s; ${notes[*]}"
  [ $ok = 1 ] && pass backup "$msg" || fail backup "$msg"
}

# writes_under_fault NAME BASE USERFILE SECS INJECT…: runs the writer for SECS seconds in the
# background while INJECT runs; leaves the log in $WORK/NAME-writes.jsonl.
case_edit() {
  local d=$WORK/edit port log=$WORK/edit.log base ok=1 notes=()
  port=$(free_port)
  base="http://127.0.0.1:$port"
  serve "$d" "$port" "$log"
  local server=$SPID
  $F ready "$base" 60 >/dev/null
  $F user "$base" "$WORK/edit-user.json"
  $F writer "$base" "$WORK/edit-user.json" "$WORK/edit-writes.jsonl" 20 4 &
  local wpid=$!
  wait_writes "$WORK/edit-writes.jsonl" 50
  local killed restarted ready_s
  kill -9 "$server"
  killed=$(now)
  wait "$server" 2>/dev/null
  sleep 1
  restarted=$(now)
  serve "$d" "$port" "$log"
  server=$SPID
  ready_s=$($F ready "$base" 30)
  wait "$wpid"
  local rec
  rec=$($F recovery "$WORK/edit-writes.jsonl")
  echo "$rec" >"$WORK/edit-recovery.json"
  local back
  back=$(json "$WORK/edit-recovery.json" "round(d['first_ack_after'] - $restarted, 2) if d.get('first_ack_after') else 'never'")
  le "${ready_s/timeout/99}" 5 || { ok=0; notes+=("restart not ready in 5 s"); }
  local check
  check=$($F check "$base" "$WORK/edit-user.json" "$WORK/edit-writes.jsonl") || ok=0
  stop "$server"
  local msg="restart ready in ${ready_s}s, first acknowledged write ${back}s after the restart (server down 1 s on purpose); answers while down: $(json "$WORK/edit-recovery.json" "d['statuses']"); $check; integrity $(integrity "$d")"
  [ $ok = 1 ] && pass edit "$msg" || fail edit "$msg"
}

start_own_pg() {
  local pgbin=/usr/lib/postgresql/15/bin
  PGPORT_OWN=$(free_port)
  PGDATA_DIR=$WORK/pg/data
  mkdir -p "$WORK/pg"
  chown postgres:postgres "$WORK/pg"
  su postgres -s /bin/sh -c "$pgbin/initdb -D '$PGDATA_DIR' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "$pgbin/pg_ctl -D '$PGDATA_DIR' -l '$WORK/pg/log' -w -o \"-c listen_addresses=127.0.0.1 -p $PGPORT_OWN -k '$WORK/pg'\" start" >/dev/null
  psql -qX -h 127.0.0.1 -p "$PGPORT_OWN" -U postgres -c "CREATE DATABASE faults" >/dev/null
  psql -qX -h 127.0.0.1 -p "$PGPORT_OWN" -U postgres -d faults -c 'CREATE EXTENSION IF NOT EXISTS postgis' -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm' >/dev/null
}

case_pg_restart() {
  local d=$WORK/pgnode port log=$WORK/pg-restart.log base ok=1
  start_own_pg || { fail pg-restart "could not start our own PostgreSQL"; return; }
  port=$(free_port)
  base="http://127.0.0.1:$port"
  serve "$d" "$port" "$log" TRIPGEN_DATABASE__URL="postgres://postgres@127.0.0.1:$PGPORT_OWN/faults" \
    TRIPGEN_AUTH__JWT_SECRET=faults-secret-0123456789abcdef0123456789abcdef \
    TRIPGEN_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
  local server=$SPID
  $F ready "$base" 90 >/dev/null || { fail pg-restart "server on PostgreSQL not ready"; stop "$server"; return; }
  $F user "$base" "$WORK/pg-user.json"
  $F writer "$base" "$WORK/pg-user.json" "$WORK/pg-writes.jsonl" 25 4 &
  local wpid=$!
  wait_writes "$WORK/pg-writes.jsonl" 50
  local t_restart t_up
  t_restart=$(now)
  su postgres -s /bin/sh -c "/usr/lib/postgresql/15/bin/pg_ctl -D '$PGDATA_DIR' -l '$WORK/pg/log' -m immediate -w restart" >/dev/null 2>&1
  until pg_isready -q -h 127.0.0.1 -p "$PGPORT_OWN"; do sleep 0.02; done
  t_up=$(now)
  wait "$wpid"
  $F recovery "$WORK/pg-writes.jsonl" >"$WORK/pg-recovery.json"
  local back since
  back=$(json "$WORK/pg-recovery.json" "round(d['first_ack_after'] - $t_up, 2) if d.get('first_ack_after') else 99")
  since=$(json "$WORK/pg-recovery.json" "round(d['first_ack_after'] - $t_restart, 2) if d.get('first_ack_after') else 99")
  le "$back" 5 || ok=0
  local s500
  s500=$(json "$WORK/pg-recovery.json" "sum(n for s, n in d['statuses'].items() if s != '503')")
  [ "$s500" = 0 ] || ok=0
  local check
  check=$($F check "$base" "$WORK/pg-user.json" "$WORK/pg-writes.jsonl") || ok=0
  stop "$server"
  local msg="restart (immediate) to PostgreSQL accepting connections $(secs "$t_restart" "$t_up")s (pg_isready polling), to the first acknowledged write after the last failure ${since}s (${back}s after pg_isready, ≤ 5 s); answers meanwhile: $(json "$WORK/pg-recovery.json" "d['statuses']") codes $(json "$WORK/pg-recovery.json" "d['codes']"); $check"
  [ $ok = 1 ] && pass pg-restart "$msg" || fail pg-restart "$msg"
}

case_redis_down() {
  local d=$WORK/redisnode port log=$WORK/redis-down.log base ok=1 notes=()
  REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --dir "$WORK" --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
  until redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
  port=$(free_port)
  base="http://127.0.0.1:$port"
  serve "$d" "$port" "$log" TRIPGEN_REDIS__URL="redis://127.0.0.1:$REDIS_PORT/"
  local server=$SPID
  $F ready "$base" 60 >/dev/null
  $F user "$base" "$WORK/redis-user.json"
  $F user "$base" "$WORK/redis-leaver.json"
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  sleep 0.5
  local code body
  code=$(curl -s -o "$WORK/ready.json" -w '%{http_code}' "$base/health/ready")
  body=$(cat "$WORK/ready.json")
  [ "$code" = 200 ] || { ok=0; notes+=("/health/ready $code"); }
  [ "$(json "$WORK/ready.json" "d.get('status')")" = degraded ] || { ok=0; notes+=("/health/ready status not degraded"); }
  [ "$(json "$WORK/ready.json" "len(d.get('degraded', []))")" -gt 0 ] || { ok=0; notes+=("no degraded feature named"); }
  # Writes and reads (and a sign-in) while Redis is down.
  $F writer "$base" "$WORK/redis-user.json" "$WORK/redis-writes.jsonl" 5 2
  $F recovery "$WORK/redis-writes.jsonl" >"$WORK/redis-recovery.json"
  local failed
  failed=$(json "$WORK/redis-recovery.json" "d['failed']")
  [ "$failed" = 0 ] || { ok=0; notes+=("$failed writes failed: $(json "$WORK/redis-recovery.json" "d['statuses']")"); }
  local writes
  writes=$(wc -l <"$WORK/redis-writes.jsonl")
  $F user "$base" "$WORK/redis-late.json" || { ok=0; notes+=("sign-up/sign-in failed"); }
  # A session ended during the outage stays ended (the deny-list is read from the database) …
  local leaver
  leaver=$(json "$WORK/redis-leaver.json" "d['token']")
  local out in1 in2
  out=$(curl -s -o /dev/null -w '%{http_code}' -XPOST -H "Authorization: Bearer $leaver" "$base/api/v1/users/logout")
  in1=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $leaver" "$base/api/v1/users/profile")
  [ "$in1" = 401 ] || { ok=0; notes+=("ended session answered $in1 during the outage"); }
  # … and after Redis is back (empty: the revocation is replayed into it).
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --dir "$WORK" --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
  until redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
  local back_status=""
  for _ in $(seq 1 50); do
    back_status=$(curl -s "$base/health/ready" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    [ "$back_status" = up ] && break
    sleep 0.1
  done
  [ "$back_status" = up ] || { ok=0; notes+=("/health/ready after Redis is back: $back_status"); }
  local mine
  mine=$(json "$WORK/redis-user.json" "d['token']")
  curl -s -o /dev/null -H "Authorization: Bearer $mine" "$base/api/v1/users/profile"
  in2=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $leaver" "$base/api/v1/users/profile")
  [ "$in2" = 401 ] || { ok=0; notes+=("ended session answered $in2 after Redis came back"); }
  local check
  check=$($F check "$base" "$WORK/redis-user.json" "$WORK/redis-writes.jsonl") || ok=0
  stop "$server"
  local msg="Redis down: /health/ready $code $(json "$WORK/ready.json" "d['status']") naming $(json "$WORK/ready.json" "len(d.get('degraded', []))") features; $writes writes, $failed failed; sign-up + sign-in ok; logout $out, ended session → $in1 (down) / $in2 (Redis back, status $back_status); $check ${notes[*]}"
  [ $ok = 1 ] && pass redis-down "$msg" || fail redis-down "$msg"
}

case_disk_full() {
  local m=$WORK/full port log=$WORK/disk-full.log base ok=1 notes=()
  mkdir -p "$m"
  mount -t tmpfs -o size=64m tmpfs "$m" || { fail disk-full "cannot mount a tmpfs (root needed)"; return; }
  MOUNTS+=("$m")
  local d=$m/data
  port=$(free_port)
  base="http://127.0.0.1:$port"
  serve "$d" "$port" "$log"
  local server=$SPID
  $F ready "$base" 60 >/dev/null
  $F user "$base" "$WORK/full-user.json"
  $F writer "$base" "$WORK/full-user.json" "$WORK/full-writes.jsonl" 20 4 &
  local wpid=$!
  wait_writes "$WORK/full-writes.jsonl" 50
  local t_full t_free
  dd if=/dev/zero of="$m/filler" bs=64k 2>/dev/null
  t_full=$(now)
  local avail
  avail=$(df --output=avail -B1 "$m" | tail -1)
  sleep 5
  rm -f "$m/filler"
  t_free=$(now)
  wait "$wpid"
  $F recovery "$WORK/full-writes.jsonl" >"$WORK/full-recovery.json"
  local back
  back=$(json "$WORK/full-recovery.json" "round(d['first_ack_after'] - $t_free, 2) if d.get('first_ack_after') else 99")
  le "$back" 5 || { ok=0; notes+=("writes did not succeed again within 5 s of space returning"); }
  local bad
  bad=$(json "$WORK/full-recovery.json" "sum(n for s, n in d['statuses'].items() if s not in ('507', '503'))")
  [ "$bad" = 0 ] || { ok=0; notes+=("unclear answers while full"); }
  kill -0 "$server" 2>/dev/null || { ok=0; notes+=("the server died"); }
  local check
  check=$($F check "$base" "$WORK/full-user.json" "$WORK/full-writes.jsonl") || ok=0
  stop "$server"
  local integ
  integ=$(integrity "$d")
  [ "$integ" = ok ] || ok=0
  local msg="full for $(secs "$t_full" "$t_free")s (${avail} bytes left); answers while full: $(json "$WORK/full-recovery.json" "d['statuses']") codes $(json "$WORK/full-recovery.json" "d['codes']"); writes acknowledged again ${back}s after space returned; $check; integrity $integ ${notes[*]}"
  [ $ok = 1 ] && pass disk-full "$msg" || fail disk-full "$msg"
}

for c in "${CASES[@]}"; do
  echo "faults: case $c …"
  case $c in
    import) case_import ;;
    backup) case_backup ;;
    edit) case_edit ;;
    pg-restart) case_pg_restart ;;
    redis-down) case_redis_down ;;
    disk-full) case_disk_full ;;
    *) fail "$c" "unknown case (import backup edit pg-restart redis-down disk-full)" ;;
  esac
done
echo "faults: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
