#!/usr/bin/env bash
# Promotion: what dev runs becomes what prod runs. Reads the digest from the dev overlay's
# `release` component and writes prod's with the prod registry (the image is copied there
# first with `az acr import`, which keeps the digest: see docs/operations.md "Delivery").
#   usage: deploy/ci/promote.sh FROM_RELEASE_DIR TO_RELEASE_DIR TO_REGISTRY
#   e.g.   deploy/ci/promote.sh deploy/k8s/overlays/dev/release deploy/k8s/overlays/prod/release \
#            crtripgenprod.azurecr.io
# Prints the source reference (REGISTRY/REPOSITORY@DIGEST) on its last line.
set -euo pipefail
[ $# -eq 3 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
from=$1/kustomization.yaml to_dir=$2 registry=$3
name=$(sed -n 's/^  - name: \([a-z0-9._-]*\)$/\1/p' "$from")
repo=$(sed -n 's/^    newName: \(.*\)$/\1/p' "$from")
digest=$(sed -n 's/^    digest: \(sha256:[0-9a-f]\{64\}\)$/\1/p' "$from")
commit=$(sed -n 's/^# built from commit: \([0-9a-f]*\)$/\1/p' "$from")
if [ -z "$name" ] || [ -z "$repo" ]; then echo "$from: no image entry" >&2; exit 1; fi
[ -n "$digest" ] || { echo "$from pins no digest: only a built and scanned image is promoted" >&2; exit 1; }
"$(dirname "$0")/set-image.sh" "$to_dir" "$name" "$registry/${repo#*/}@$digest" "$commit" >&2
echo "$repo@$digest"
