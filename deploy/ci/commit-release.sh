#!/usr/bin/env bash
# Commits a changed `release` component (deploy/ci/set-image.sh, promote.sh) and pushes
# it to BRANCH, rebasing on concurrent commits (two builds of main finishing together).
# A push by CI's own token starts no new CI run. Nothing to commit is not an error.
#   usage: deploy/ci/commit-release.sh BRANCH MESSAGE PATH…
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,5p' "$0" >&2; exit 2; }
branch=$1 message=$2; shift 2
git config user.name >/dev/null || git config user.name "delivery-bot"
git config user.email >/dev/null || git config user.email "delivery-bot@users.noreply.github.com"
git add -- "$@"
if git diff --cached --quiet; then echo "release unchanged: nothing to commit"; exit 0; fi
git commit -q -m "$message"
for attempt in 1 2 3 4 5; do
  if git push -q origin "HEAD:$branch"; then git log --oneline -1; exit 0; fi
  echo "push rejected (attempt $attempt): rebasing on origin/$branch" >&2
  git fetch -q origin "$branch" && git rebase -q "origin/$branch"
  sleep $((attempt * 2))
done
echo "could not push to $branch" >&2
exit 1
