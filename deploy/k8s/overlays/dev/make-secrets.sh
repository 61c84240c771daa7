#!/usr/bin/env bash
# The dev overlay's Secret `tripgen-secrets` lives in the cluster, never in Git (Argo CD
# renders the overlay from Git, so it must not depend on a local file). This script writes
# random values into secrets.env (git-ignored; kept when it exists: delete it to rotate)
# and, with --apply, creates or updates the Secret in namespace tripgen-dev of the current
# kubectl context (creating the namespace if needed). Once per cluster, before the first sync.
#   usage: deploy/k8s/overlays/dev/make-secrets.sh [--apply] [DIR]
set -euo pipefail
apply=0
if [ "${1:-}" = --apply ]; then apply=1; shift; fi
dir=${1:-$(dirname "$0")}
out="$dir/secrets.env"
namespace=tripgen-dev
rnd() { head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
if [ -s "$out" ]; then
  echo "$out exists (kept)"
else
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
fi
if [ $apply = 1 ]; then
  kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace"
  kubectl -n "$namespace" create secret generic tripgen-secrets --from-env-file="$out" \
    --dry-run=client -o yaml | kubectl apply -f -
  echo "Secret $namespace/tripgen-secrets applied; pods read it at start:"
  echo "  kubectl -n $namespace rollout restart deploy,statefulset -l app.kubernetes.io/part-of"
fi
