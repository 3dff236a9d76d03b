# Shared helpers for the test scripts: `source scripts/lib.sh`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$ROOT/.tools"
mkdir -p "$TOOLS_DIR"
cd "$ROOT"
source "$ROOT/scripts/tools.sh"

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

# A free TCP port on the loopback interface.
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Waits up to 20 s for URL to answer 2xx while process PID lives.
wait_for_url() {
  local url="$1" pid="$2"
  for _ in $(seq 1 100); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
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
