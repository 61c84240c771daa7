#!/usr/bin/env bash
# Builds a product image with BuildKit from the repository root and loads it into the
# local Docker engine (to be scanned before anything is pushed). Same command locally, in
# GitHub Actions and in Azure Pipelines; only the layer cache differs, through the env:
#   CACHE_FROM / CACHE_TO  buildx cache specs, e.g. type=gha,scope=tripgen (GitHub) or
#                          type=registry,ref=<acr>/healthsync:buildcache,mode=max (Azure)
#   usage: deploy/ci/build-image.sh DOCKERFILE IMAGE[:TAG]
#   e.g.   deploy/ci/build-image.sh deploy/Dockerfile tripgen:local
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
dockerfile=$1 image=$2
cd "$(dirname "$0")/../.."
[ -f "$dockerfile" ] || { echo "no $dockerfile" >&2; exit 1; }
commit=${SOURCE_COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
args=(--file "$dockerfile" --tag "$image" --load
  --label "org.opencontainers.image.revision=$commit"
  --label "org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)")
[ -z "${CACHE_FROM:-}" ] || args+=(--cache-from "$CACHE_FROM")
[ -z "${CACHE_TO:-}" ] || args+=(--cache-to "$CACHE_TO")
docker buildx build "${args[@]}" .
