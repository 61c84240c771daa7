"""Offline checks of the Argo CD and Argo Rollouts objects (deploy/check.sh runs this).

1. Every argoproj.io object — in the rendered overlays and in deploy/gitops — is validated
   against the JSON schema of its CRD vendored beside this file (strict: unknown fields fail).
2. The Kubernetes types embedded in them (a Rollout's pod template, an AnalysisTemplate's Job)
   are written out as Deployment/Job objects for kubernetes-validate, which check.sh runs next.
3. References hold: a Rollout's Deployment, Services and AnalysisTemplates exist and every
   template argument without a default is passed; an Application's project exists, allows its
   destination and every kind the overlay renders, and its path exists (or is a product that
   has not landed yet, reported as a note). An overlay an Application points at that
   check.sh did not render (HealthSync's, once they exist) is rendered here with kubectl.

usage: check_argo.py SCHEMA_DIR EMBEDDED_OUT ROOT GITOPS_DIR RENDERED_SOURCE=FILE...
       (RENDERED_SOURCE is the overlay path an Application points at, e.g.
        deploy/k8s/overlays/dev=/tmp/dev.yaml)
"""
import json
import pathlib
import subprocess
import sys

import jsonschema
import yaml

schema_dir, embedded_out, root, gitops_dir = (pathlib.Path(a).resolve() for a in sys.argv[1:5])
rendered = dict(arg.split("=", 1) for arg in sys.argv[5:])
problems, notes = [], []


def load(path):
    return [d for d in yaml.safe_load_all(pathlib.Path(path).read_text()) if d]


def schema_for(doc):
    group, _, version = doc.get("apiVersion", "").rpartition("/")
    path = schema_dir / f"{group}-{version}-{doc.get('kind', '').lower()}.json"
    return json.loads(path.read_text()) if path.exists() else None


def where(doc, source):
    return f"{source}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


# --- 1. schemas, 2. embedded Kubernetes types -----------------------------------------------
gitops_objects = []  # (source, doc)
for path in sorted(gitops_dir.rglob("*.yaml")):
    gitops_objects += [(str(path.relative_to(root)), d) for d in load(path)]
rendered_docs = {source: load(path) for source, path in rendered.items()}
for _, app in gitops_objects:
    path = app.get("spec", {}).get("source", {}).get("path", "") if app.get("kind") == "Application" else ""
    overlay = root / path
    if path and path not in rendered_docs and (overlay / "kustomization.yaml").is_file():
        out = subprocess.run(["kubectl", "kustomize", str(overlay)], capture_output=True, text=True)
        if out.returncode != 0:
            problems.append(f"{path}: kubectl kustomize failed: {out.stderr.strip()}")
            continue
        rendered_docs[path] = [d for d in yaml.safe_load_all(out.stdout) if d]
objects = [(source, d) for source, docs in rendered_docs.items() for d in docs] + gitops_objects

embedded, checked = [], 0
invalid = set()  # ids of objects that failed their schema: no reference checks on them
for source, doc in objects:
    if not doc.get("apiVersion", "").startswith("argoproj.io/"):
        continue
    schema = schema_for(doc)
    if schema is None:
        problems.append(f"{where(doc, source)}: no vendored schema for {doc['apiVersion']} {doc['kind']}")
        continue
    validator = jsonschema.Draft202012Validator(schema)
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
        path = "/".join(str(p) for p in err.absolute_path) or "(root)"
        message = err.message if len(err.message) <= 240 else f"{err.message[:120]} … {err.message[-100:]}"
        problems.append(f"{where(doc, source)}: {path}: {message}")
        invalid.add(id(doc))
    checked += 1
    if id(doc) in invalid:
        continue
    name = doc["metadata"]["name"]
    if doc["kind"] == "Rollout" and "template" in doc["spec"]:
        embedded.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                         "spec": {"selector": doc["spec"].get("selector"), "template": doc["spec"]["template"]}})
    if doc["kind"] == "AnalysisTemplate":
        for m in doc["spec"].get("metrics", []):
            job = m.get("provider", {}).get("job")
            if job:
                embedded.append({"apiVersion": "batch/v1", "kind": "Job",
                                 "metadata": {"name": f"{name}-{m['name']}", **job.get("metadata", {})},
                                 "spec": job["spec"]})
pathlib.Path(embedded_out).write_text(yaml.safe_dump_all(embedded, sort_keys=False))

# --- 3. references --------------------------------------------------------------------------
for source, docs in rendered_docs.items():
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    templates = by_kind.get("AnalysisTemplate", {})
    for name, ro in by_kind.get("Rollout", {}).items():
        if id(ro) in invalid:
            continue
        ref = ro["spec"].get("workloadRef")
        if ref and ref["name"] not in by_kind.get(ref["kind"], {}):
            problems.append(f"{source}: Rollout/{name}: workloadRef {ref['kind']}/{ref['name']} is not rendered")
        elif ref and by_kind[ref["kind"]][ref["name"]]["spec"].get("replicas") != 0:
            problems.append(f"{source}: Rollout/{name}: {ref['kind']}/{ref['name']} must have replicas: 0 (the Rollout runs the pods)")
        for strategy in ro["spec"]["strategy"].values():
            for key in ("activeService", "previewService", "canaryService", "stableService"):
                if key in strategy and strategy[key] not in by_kind.get("Service", {}):
                    problems.append(f"{source}: Rollout/{name}: {key} {strategy[key]} is not rendered")
            for key in ("prePromotionAnalysis", "postPromotionAnalysis", "analysis"):
                analysis = strategy.get(key)
                if not analysis:
                    continue
                passed = {a["name"] for a in analysis.get("args", [])}
                for t in analysis["templates"]:
                    tpl = templates.get(t["templateName"])
                    if tpl is None:
                        problems.append(f"{source}: Rollout/{name}: AnalysisTemplate {t['templateName']} is not rendered")
                        continue
                    needed = {a["name"] for a in tpl["spec"].get("args", []) if "value" not in a and "valueFrom" not in a}
                    if needed - passed:
                        problems.append(f"{source}: Rollout/{name}: {key} does not pass {sorted(needed - passed)} to {t['templateName']}")
    for name, hpa in by_kind.get("HorizontalPodAutoscaler", {}).items():
        target = hpa["spec"]["scaleTargetRef"]
        if target["name"] not in by_kind.get(target["kind"], {}):
            problems.append(f"{source}: HorizontalPodAutoscaler/{name}: scales {target['kind']}/{target['name']}, which is not rendered")

projects = {d["metadata"]["name"]: d for s, d in objects if d.get("kind") == "AppProject" and id(d) not in invalid}
for source, app in objects:
    if app.get("kind") != "Application" or id(app) in invalid \
            or not source.startswith(str(gitops_dir.relative_to(root))):
        continue
    spec, name = app["spec"], app["metadata"]["name"]
    src = spec.get("source", {})
    path = src.get("path", "")
    if spec["project"] != "default":
        project = projects.get(spec["project"])
        if project is None:
            problems.append(f"{source}: Application/{name}: project {spec['project']} is not defined in {gitops_dir.name}/")
            continue
        dest = spec["destination"]
        if not any(d.get("namespace") in (dest.get("namespace"), "*") and d.get("server") in (dest.get("server"), "*")
                   for d in project["spec"].get("destinations", [])):
            problems.append(f"{source}: Application/{name}: project {spec['project']} does not allow {dest}")
        if src.get("repoURL") not in project["spec"].get("sourceRepos", []):
            problems.append(f"{source}: Application/{name}: repo {src.get('repoURL')} not in the project's sourceRepos")
        if path in rendered_docs:
            allowed = {(g["group"], g["kind"]) for key in ("namespaceResourceWhitelist", "clusterResourceWhitelist")
                       for g in project["spec"].get(key, [])}
            for d in rendered_docs[path]:
                group = d["apiVersion"].rpartition("/")[0]
                if (group, d["kind"]) not in allowed:
                    problems.append(f"{source}: Application/{name}: project {spec['project']} does not allow {group or 'core'}/{d['kind']} ({d['metadata']['name']}); "
                                    f"if it belongs, add it to the AppProject's resource whitelist in {gitops_dir.relative_to(root)}/{spec['project']}/project.yaml")
    if not (root / path).is_dir():
        notes.append(f"{source}: Application/{name}: {path} does not exist yet")
    elif "directory" not in src and path not in rendered_docs:
        problems.append(f"{source}: Application/{name}: {path} has no kustomization.yaml")

for n in notes:
    print("note:", n)
print("\n".join(problems) if problems else
      f"{checked} Argo objects valid against the vendored CRD schemas; {len(embedded)} embedded Kubernetes objects written; references hold")
sys.exit(1 if problems else 0)
