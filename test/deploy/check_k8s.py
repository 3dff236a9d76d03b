"""Checks kustomize-rendered manifests offline (run by scripts/suites/deploy.sh).

Usage: check_k8s.py ENV_NAMES_JSON K8S_VERSIONS NAME=RENDERED.yaml...

- every object validates against the Kubernetes API JSON schemas bundled in the
  kubernetes-validate package (strict: unknown fields are errors), for each version
  in K8S_VERSIONS (comma-separated);
- the api container's environment (its env names, and the keys of the ConfigMaps and
  Secrets it takes with envFrom) uses only names from src/config.ts CONFIG_ENV_NAMES,
  and every ConfigMap/Secret it refers to is in the same rendering;
- the api Deployment has the probes, non-root and read-only settings the issue asks;
- per variant: the MongoDB StatefulSet with authentication (or its absence with
  external-mongodb), MONGODB_URI in the api's Secret, and the HorizontalPodAutoscaler (on CPU)
  and PodDisruptionBudget in production;
- every variant: TRUST_PROXY on (the api is behind the Ingress), an Ingress that does not
  route /metrics, /docs or the probes, NetworkPolicies, and no image without a tag or `latest`.
"""

import base64
import json
import sys

import kubernetes_validate
import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


def find(docs, kind, name=None):
    return [d for d in docs if d.get("kind") == kind and (name is None or d["metadata"]["name"] == name)]


def one(problems, docs, kind, name):
    found = find(docs, kind, name)
    if len(found) != 1:
        problems.append(f"expected one {kind} {name}, found {len(found)}")
        return None
    return found[0]


def check_schemas(docs, versions):
    problems = []
    for doc in docs:
        label = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        for version in versions:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as e:
                path = ".".join(str(p) for p in e.path)
                problems.append(f"{label} (Kubernetes {version}): {path}: {e.message}")
            except kubernetes_validate.SchemaNotFoundError as e:
                problems.append(f"{label} (Kubernetes {version}): {e.message}")
    return problems


def check_api(docs, env_names):
    problems = []
    deployment = one(problems, docs, "Deployment", "api")
    if deployment is None:
        return problems
    pod = deployment["spec"]["template"]["spec"]
    containers = [c for c in pod["containers"] if c["name"] == "api"]
    if len(containers) != 1:
        return problems + ["Deployment api has no container named api"]
    api = containers[0]

    def known(name, where):
        if name not in env_names:
            problems.append(f"{where}: {name} is not one of CONFIG_ENV_NAMES {sorted(env_names)}")

    def referred(kind, name, where):
        found = find(docs, kind, name)
        if not found:
            problems.append(f"{where}: {kind} {name} is not in the rendering")
            return None
        return found[0]

    for entry in api.get("env", []):
        known(entry["name"], "api env")
        ref = entry.get("valueFrom", {}).get("secretKeyRef") or entry.get("valueFrom", {}).get("configMapKeyRef")
        if ref:
            kind = "Secret" if "secretKeyRef" in entry["valueFrom"] else "ConfigMap"
            obj = referred(kind, ref["name"], f"api env {entry['name']}")
            if obj is not None and ref["key"] not in {**obj.get("data", {}), **obj.get("stringData", {})}:
                problems.append(f"api env {entry['name']}: {kind} {ref['name']} has no key {ref['key']}")
    for source in api.get("envFrom", []):
        if source.get("prefix"):
            problems.append("api envFrom: a prefix would rename the variables")
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            if key in source:
                obj = referred(kind, source[key]["name"], "api envFrom")
                if obj is not None:
                    for name in {**obj.get("data", {}), **obj.get("stringData", {})}:
                        known(name, f"{kind} {obj['metadata']['name']}")

    def probe_path(probe):
        return (api.get(probe) or {}).get("httpGet", {}).get("path")

    if probe_path("livenessProbe") != "/livez":
        problems.append("api livenessProbe must GET /livez")
    if probe_path("readinessProbe") != "/readyz":
        problems.append("api readinessProbe must GET /readyz")
    security = api.get("securityContext", {})
    if security.get("readOnlyRootFilesystem") is not True:
        problems.append("api container must have readOnlyRootFilesystem: true")
    if security.get("allowPrivilegeEscalation") is not False:
        problems.append("api container must have allowPrivilegeEscalation: false")
    run_as_non_root = security.get("runAsNonRoot", pod.get("securityContext", {}).get("runAsNonRoot"))
    if run_as_non_root is not True:
        problems.append("api pod must run with runAsNonRoot: true")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    tmp = [m for m in api.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
    if not tmp or "emptyDir" not in volumes.get(tmp[0]["name"], {}):
        problems.append("api container must mount an emptyDir at /tmp")
    if not api.get("resources", {}).get("limits") or not api.get("resources", {}).get("requests"):
        problems.append("api container must set resource requests and limits")
    return problems


def secret_data(docs, name):
    found = [d for d in find(docs, "Secret") if d["metadata"]["name"].startswith(name + "-")]
    if len(found) != 1:
        return None
    data = {k: base64.b64decode(v).decode() for k, v in found[0].get("data", {}).items()}
    return {**data, **found[0].get("stringData", {})}


def check_public_route(docs):
    problems = []
    ingress = one(problems, docs, "Ingress", "api")
    if ingress is not None:
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                p, kind = path["path"], path["pathType"]
                if p in ("/metrics", "/docs", "/livez", "/readyz") or (p == "/" and kind != "Exact"):
                    problems.append(f"the Ingress routes {p} ({kind}): /metrics, /docs and the probes stay private")
    for policy in ("api", "mongodb"):
        if find(docs, "StatefulSet", "mongodb") or policy == "api":
            one(problems, docs, "NetworkPolicy", policy)
    config = [c for c in find(docs, "ConfigMap") if c["metadata"]["name"].startswith("api-config")]
    if not config or config[0].get("data", {}).get("TRUST_PROXY") != "true":
        problems.append("api-config must set TRUST_PROXY=true (behind the Ingress)")
    for doc in docs:
        pod = doc.get("spec", {}).get("template", {}).get("spec", {})
        for c in pod.get("containers", []) + pod.get("initContainers", []):
            tag = c["image"].rsplit("/", 1)[-1].partition(":")[2]
            if tag in ("", "latest"):
                problems.append(f"{doc['kind']}/{doc['metadata']['name']} {c['name']}: image {c['image']} has no pinned tag")
    return problems


def check_variant(name, docs):
    problems = check_public_route(docs)
    external = "external" in name
    uri = (secret_data(docs, "api-secrets") or {}).get("MONGODB_URI", "")
    if not uri:
        problems.append("the api-secrets Secret must hold MONGODB_URI")
    statefulsets = find(docs, "StatefulSet", "mongodb")
    if external:
        if statefulsets or find(docs, "Service", "mongodb"):
            problems.append("external-mongodb must remove the mongodb StatefulSet and Service")
        if secret_data(docs, "mongodb-auth") is not None or find(docs, "NetworkPolicy", "mongodb"):
            problems.append("external-mongodb must remove the mongodb-auth Secret and NetworkPolicy")
    else:
        sts = one(problems, docs, "StatefulSet", "mongodb")
        svc = one(problems, docs, "Service", "mongodb")
        if sts is not None:
            if not sts["spec"].get("volumeClaimTemplates"):
                problems.append("mongodb StatefulSet needs volumeClaimTemplates")
            args = " ".join(sts["spec"]["template"]["spec"]["containers"][0].get("command", []))
            if "--replSet" not in args or "--keyFile" not in args:
                problems.append("mongodb StatefulSet must start mongod with --replSet and --keyFile (auth)")
        auth = secret_data(docs, "mongodb-auth") or {}
        if sorted(auth) != ["APP_PASSWORD", "KEYFILE", "ROOT_PASSWORD"]:
            problems.append(f"the mongodb-auth Secret must hold APP_PASSWORD, KEYFILE, ROOT_PASSWORD (has {sorted(auth)})")
        elif f"backlog:{auth['APP_PASSWORD']}@" not in uri:
            problems.append("api-secrets MONGODB_URI must log in as backlog with mongodb-auth's APP_PASSWORD")
            if svc is not None and sts["spec"]["serviceName"] != svc["metadata"]["name"]:
                problems.append("mongodb StatefulSet serviceName must be its headless Service")
        if svc is not None and svc["spec"].get("clusterIP") != "None":
            problems.append("mongodb Service must be headless (clusterIP: None)")
        if "replicaSet=rs0" not in uri:
            problems.append("api-secrets MONGODB_URI must name the replica set")
    if name.startswith("production"):
        hpa = one(problems, docs, "HorizontalPodAutoscaler", "api")
        if hpa is not None and hpa["spec"]["scaleTargetRef"]["name"] != "api":
            problems.append("the HorizontalPodAutoscaler must scale Deployment api")
        if hpa is not None and [m["resource"]["name"] for m in hpa["spec"]["metrics"]] != ["cpu"]:
            problems.append("the HorizontalPodAutoscaler scales on CPU only (a Node heap does not shrink)")
        one(problems, docs, "PodDisruptionBudget", "api")
        deployment = find(docs, "Deployment", "api")
        if deployment and "replicas" in deployment[0]["spec"]:
            problems.append("production: the HorizontalPodAutoscaler owns replicas; the Deployment must not set them")
    if name != "base":
        for doc in docs:
            if doc["kind"] != "Namespace" and not doc["metadata"].get("namespace"):
                problems.append(f"{doc['kind']}/{doc['metadata']['name']} has no namespace")
        if not find(docs, "Secret"):
            problems.append("the overlay must generate the api-secrets Secret")
    return problems


def main(argv):
    env_names = set(json.loads(open(argv[1], encoding="utf-8").read()))
    versions = [v for v in argv[2].split(",") if v]
    failed = 0
    for arg in argv[3:]:
        name, path = arg.split("=", 1)
        docs = load(path)
        problems = check_schemas(docs, versions) + check_api(docs, env_names) + check_variant(name, docs)
        kinds = ", ".join(sorted({d["kind"] for d in docs}))
        if problems:
            failed += 1
            print(f"FAIL {name}: {len(docs)} objects")
            for problem in problems:
                print(f"  - {problem}")
        else:
            print(f"ok   {name}: {len(docs)} objects valid for Kubernetes {', '.join(versions)} ({kinds})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
