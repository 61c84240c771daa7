#!/usr/bin/env bash
# Writes the `release` Kustomize component of an environment: the one file CI changes to
# deploy (GitOps). Argo CD renders the overlay, which includes this component, so a
# commit of this file is a deployment. The image is pinned by digest (a tag can move).
#   usage: deploy/ci/set-image.sh RELEASE_DIR IMAGE_NAME REGISTRY/REPOSITORY@sha256:DIGEST [COMMIT]
#   e.g.   deploy/ci/set-image.sh deploy/k8s/overlays/dev/release tripgen \
#            crtripgendev.azurecr.io/tripgen@sha256:4f… "$GITHUB_SHA"
# A tag (REGISTRY/REPOSITORY:TAG) is accepted too, for a first install before any build.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
dir=$1 name=$2 ref=$3 commit=${4:-}
[[ $name =~ ^[a-z0-9][a-z0-9._-]*$ ]] || { echo "bad image name: $name" >&2; exit 2; }
if [[ $ref =~ ^([a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+)@(sha256:[0-9a-f]{64})$ ]]; then
  repo=${BASH_REMATCH[1]} pin="    digest: ${BASH_REMATCH[3]}"
elif [[ $ref =~ ^([a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+):([A-Za-z0-9_][A-Za-z0-9._-]{0,127})$ ]]; then
  repo=${BASH_REMATCH[1]} pin="    newTag: \"${BASH_REMATCH[3]}\""
else
  echo "not REGISTRY/REPOSITORY@sha256:<64 hex> or REGISTRY/REPOSITORY:TAG: $ref" >&2
  exit 2
fi
[ -z "$commit" ] || [[ $commit =~ ^[0-9a-f]{7,40}$ ]] || { echo "bad commit: $commit" >&2; exit 2; }
mkdir -p "$dir"
tmp=$(mktemp "$dir/.kustomization.XXXXXX")
cat >"$tmp" <<YAML
# The image this environment runs. Written by deploy/ci/set-image.sh (CI) and
# deploy/ci/promote.sh (promotion to prod); change it through them, not by hand.
# built from commit: ${commit:-unknown}
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
images:
  - name: $name
    newName: $repo
$pin
YAML
mv "$tmp" "$dir/kustomization.yaml"
echo "$dir/kustomization.yaml: $name → $ref"
