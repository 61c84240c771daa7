#!/usr/bin/env bash
# The dev overlay's Secret `healthsync-secrets` lives in the cluster, never in Git (Argo CD
# renders the overlay from Git). This script writes random values into secrets.env
# (git-ignored; kept when it exists: delete it to rotate) and, with --apply, creates or
# updates the Secret in namespace healthsync-dev of the current kubectl context. The OIDC
# client secret of the dev OAuth client comes from $HEALTHSYNC_OIDC_CLIENT_SECRET.
#   usage: HEALTHSYNC_OIDC_CLIENT_SECRET=… deploy/healthsync/k8s/overlays/dev/make-secrets.sh [--apply] [DIR]
set -euo pipefail
apply=0
if [ "${1:-}" = --apply ]; then apply=1; shift; fi
dir=${1:-$(dirname "$0")}
out="$dir/secrets.env"
namespace=healthsync-dev
rnd() { head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
if [ -s "$out" ]; then
  echo "$out exists (kept)"
else
  : "${HEALTHSYNC_OIDC_CLIENT_SECRET:?set it to the client secret of the dev OAuth client}"
  pw=$(rnd 32)
  umask 077
  cat >"$out" <<ENV
postgres-password=$pw
database-url=postgres://healthsync:$pw@healthsync-postgres:5432/healthsync
redis-url=redis://healthsync-redis:6379/0
jwt-secret=$(rnd 64)
field-encryption-key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
oidc-client-secret=$HEALTHSYNC_OIDC_CLIENT_SECRET
ENV
  echo "wrote $out"
fi
if [ $apply = 1 ]; then
  kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace"
  kubectl -n "$namespace" create secret generic healthsync-secrets --from-env-file="$out" \
    --dry-run=client -o yaml | kubectl apply -f -
  echo "Secret $namespace/healthsync-secrets applied; pods read it at start:"
  echo "  kubectl -n $namespace rollout restart deploy,statefulset -l app.kubernetes.io/part-of"
fi
