# Tool set-up for the test suites, in one place (sourced by scripts/lib.sh). Everything lands in
# the git-ignored .tools/ and comes from a package registry: PyPI, npm, Debian, the Go module
# proxy. Each function prints what its caller needs on stdout, or fails: the suite then reports
# SKIPPED (skip_or_fail). Nothing is installed twice.

# Node.js LTS for test:lts and test:fresh-clone: the npm package node-<os>-<arch> carries the
# official binary, so nothing is downloaded from outside the npm registry. Keep it on the major
# of the Dockerfile's node image.
NODE_LTS_VERSION=24.22.3

# A Python virtual environment .tools/NAME holding a pinned requirements file; prints its path.
tools_venv() {
  local venv="$TOOLS_DIR/$1" requirements="$2"
  command -v python3 >/dev/null 2>&1 || return 1
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2 || return 1
  local stamp
  stamp="$venv/.installed-$(basename "$requirements")-$(sha256sum "$requirements" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2 || return 1
    touch "$stamp"
  fi
  echo "$venv"
}

# Prints a folder holding `node` (Node $NODE_LTS_VERSION), to put first in PATH.
tools_node_lts() {
  local dir="$TOOLS_DIR/node-$NODE_LTS_VERSION" package
  package="node-$(node -p 'process.platform')-$(node -p 'process.arch')"
  if [ ! -x "$dir/bin/node" ]; then
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$package@$NODE_LTS_VERSION" >&2 || return 1
    mkdir -p "$dir/bin" && ln -sf "../node_modules/$package/bin/node" "$dir/bin/node"
  fi
  echo "$dir/bin"
}

# Prints the path of Debian's Chromium (CHROMIUM_PATH overrides). Installs it with apt-get only
# in CI, as root: never a downloaded browser.
tools_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ ! -x "$chromium" ] && [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$TOOLS_DIR/apt.log" 2>&1 ||
      tail -n 20 "$TOOLS_DIR/apt.log" >&2
  fi
  [ -x "$chromium" ] && echo "$chromium"
}

# Prints a command that renders a kustomization: kubectl's, a kustomize on PATH, else kustomize
# built from the Go module proxy into .tools/bin.
tools_kustomize() {
  if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
    echo "kubectl kustomize"
  elif command -v kustomize >/dev/null 2>&1; then
    echo "kustomize build"
  else
    [ -x "$TOOLS_DIR/bin/kustomize" ] || { command -v go >/dev/null 2>&1 &&
      GOBIN="$TOOLS_DIR/bin" GOFLAGS=-buildvcs=false go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0 >&2; } || return 1
    echo "$TOOLS_DIR/bin/kustomize build"
  fi
}
