#!/usr/bin/env bash
# Writes secrets.env for the dev overlay (random values; the file is git-ignored and
# becomes Secret `tripgen-secrets`). Keeps an existing file: delete it to rotate.
#   usage: deploy/k8s/overlays/dev/make-secrets.sh [DIR]
set -euo pipefail
dir=${1:-$(dirname "$0")}
out="$dir/secrets.env"
[ -s "$out" ] && { echo "$out exists (kept)"; exit 0; }
rnd() { head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
pw=$(rnd 32)
umask 077
cat >"$out" <<ENV
postgres-password=$pw
database-url=postgres://tripgen:$pw@tripgen-postgres:5432/tripgen
redis-url=redis://tripgen-redis:6379/0
jwt-secret=$(rnd 64)
field-encryption-key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
ENV
echo "wrote $out"
