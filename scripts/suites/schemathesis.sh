#!/usr/bin/env bash
# Contract fuzzing: schemathesis against the live service's own OpenAPI document (every phase,
# every check, positive and negative data, fixed seed: see schemathesis.toml), then the Cucumber
# features against the same server. What the run covered is schemathesis's own report: its
# console summary, and the JUnit and JSON reports kept in reports/schemathesis/.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VENV="$(tools_venv venv scripts/requirements-schemathesis.txt)" ||
  skip_or_fail fuzz "cannot install scripts/requirements-schemathesis.txt into .tools/venv (python3 and PyPI needed)"

REPORT_DIR="$ROOT/reports/schemathesis"
rm -rf "$REPORT_DIR" && mkdir -p "$REPORT_DIR"
PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
# Fixed, like the seed: the run is reproducible only if every request is the same.
API_KEY="schemathesis-suite-key"
SERVER_LOG="$REPORT_DIR/server.log"

STORE=memory API_KEYS="$API_KEY" RATE_LIMIT_MAX=0 LOG_LEVEL=warn NODE_ENV=test HOST=127.0.0.1 PORT="$PORT" \
  node --import tsx src/server.ts >"$SERVER_LOG" 2>&1 &
server_pid=$!
trap 'stop_process "$server_pid"' EXIT
trap 'exit 130' INT TERM
wait_for_url "$BASE_URL/livez" "$server_pid" || {
  echo "fuzz: the service did not come up on $BASE_URL" >&2
  cat "$SERVER_LOG" >&2
  exit 1
}

echo "fuzz: schemathesis on $BASE_URL/docs/json (settings: schemathesis.toml)"
status=0
SCHEMATHESIS_BASE_URL="$BASE_URL" SCHEMATHESIS_API_KEY="$API_KEY" \
  "$VENV/bin/schemathesis" --config-file schemathesis.toml run "$BASE_URL/docs/json" \
  --checks all --no-color --report junit,json --report-dir "$REPORT_DIR" || status=$?
# The headline figures of schemathesis's JSON report (no parsing of anything else).
node -e '
  const fs = require("node:fs");
  const [dir] = process.argv.slice(1);
  const file = fs.readdirSync(dir).find((f) => /^json-.*\.json$/.test(f));
  const { seed, operations: o, phases, test_cases: t } = JSON.parse(fs.readFileSync(`${dir}/${file}`, "utf8"));
  console.log(`\nschemathesis report (seed ${seed}): ${o.tested} of ${o.selected} operations tested;`,
    Object.entries(phases).map(([name, p]) => `${name} ${p.status}`).join(", "));
  console.log(`  ${t.generated} test cases, ${t.with_failures} with failures, ${t.errored} errors`);
' "$REPORT_DIR" || true

if [ "$status" -ne 0 ]; then
  echo "fuzz: schemathesis FAILED (exit $status); reports and server log in $REPORT_DIR" >&2
  tail -n 50 "$SERVER_LOG" >&2 || true
  exit "$status"
fi

echo ""
echo "features: Cucumber against $BASE_URL"
BASE_URL="$BASE_URL" API_KEY="$API_KEY" npm run --silent test:features
