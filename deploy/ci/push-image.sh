#!/usr/bin/env bash
# Tags a scanned local image as REGISTRY/REPOSITORY:TAG (the commit), pushes it, and prints
# the pushed reference by digest (REGISTRY/REPOSITORY@sha256:…) on its last line: what the
# GitOps overlay pins. Log in first (`az acr login --name <registry>`, OIDC in CI).
#   usage: deploy/ci/push-image.sh LOCAL_IMAGE REGISTRY/REPOSITORY:TAG
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,5p' "$0" >&2; exit 2; }
local_image=$1 target=$2
repo=${target%:*}
docker tag "$local_image" "$target"
docker push --quiet "$target" >&2
digest=$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$target" \
  | grep -m1 "^$repo@sha256:") || { echo "no digest for $target after the push" >&2; exit 1; }
echo "$digest"
