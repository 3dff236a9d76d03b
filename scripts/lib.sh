# Shared helpers for the test scripts: `source scripts/lib.sh`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$ROOT/.tools"
VENV="$TOOLS_DIR/venv"

# A suite that cannot run here says so loudly; in CI (CI=true) that is a failure.
skip_or_fail() {
  local suite="$1" reason="$2"
  echo "" >&2
  echo "############################################################" >&2
  echo "## SKIPPED: $suite: $reason" >&2
  echo "############################################################" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "## CI=true: a skipped suite fails the run" >&2
    exit 1
  fi
  exit 0
}

# Creates the project-local Python tool environment if missing and installs a
# pinned requirements file into it. Prints nothing when already satisfied.
ensure_tools_venv() {
  local requirements="$1"
  command -v python3 >/dev/null 2>&1 || return 1
  if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$TOOLS_DIR"
    python3 -m venv "$VENV" || return 1
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  fi
  local stamp="$VENV/.installed-$(basename "$requirements")-$(sha256sum "$requirements" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" || return 1
    touch "$stamp"
  fi
}

# A free TCP port on the loopback interface.
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Stops a background process: SIGTERM, up to 5 s to exit, then SIGKILL.
stop_process() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}
