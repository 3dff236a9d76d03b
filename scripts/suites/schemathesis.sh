#!/usr/bin/env bash
# Contract fuzzing: schemathesis against the live service's own OpenAPI document
# (every phase, every check, positive and negative data, fixed seed: see
# schemathesis.toml), then the Cucumber features against the same server.
# Exits non-zero on any schemathesis failure or error, or any failing feature.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$ROOT"

REQUIREMENTS=scripts/requirements-schemathesis.txt
if ! ensure_tools_venv "$REQUIREMENTS"; then
  skip_or_fail schemathesis "cannot install $REQUIREMENTS into $VENV (python3 and PyPI needed)"
fi

REPORT_DIR="$ROOT/reports/schemathesis"
rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR"
PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
# Fixed, like the seed: the run is reproducible only if every request is the same.
API_KEY="schemathesis-suite-key"
SERVER_LOG="$REPORT_DIR/server.log"

server_pid=""
stop_server() {
  stop_process "$server_pid"
  server_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

STORE=memory API_KEYS="$API_KEY" RATE_LIMIT_MAX=0 LOG_LEVEL=warn NODE_ENV=test HOST=127.0.0.1 PORT="$PORT" \
  node --import tsx src/server.ts >"$SERVER_LOG" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
  curl -fsS "$BASE_URL/livez" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
if ! curl -fsS "$BASE_URL/livez" >/dev/null 2>&1; then
  echo "schemathesis: the service did not come up on $BASE_URL" >&2
  cat "$SERVER_LOG" >&2
  exit 1
fi

echo "schemathesis: fuzzing $BASE_URL/docs/json (settings: schemathesis.toml)"
started=$SECONDS
status=0
SCHEMATHESIS_BASE_URL="$BASE_URL" SCHEMATHESIS_API_KEY="$API_KEY" \
  "$VENV/bin/schemathesis" --config-file schemathesis.toml run "$BASE_URL/docs/json" \
  --checks all \
  --no-color \
  --report junit,json,vcr --report-dir "$REPORT_DIR" \
  >"$REPORT_DIR/output.txt" 2>&1 || status=$?
cat "$REPORT_DIR/output.txt"

# The figures of the run: operations, phases and test cases from the JSON report,
# every check that ran (and its outcome) from the VCR cassette.
"$VENV/bin/python" - "$REPORT_DIR" "$((SECONDS - started))" <<'PY' || true
import collections, glob, json, re, sys

report_dir, seconds = sys.argv[1], sys.argv[2]
run = json.load(open(glob.glob(f"{report_dir}/json-*.json")[0]))
checks = collections.Counter()
failed = collections.Counter()
name = None
with open(glob.glob(f"{report_dir}/vcr-*.yaml")[0], encoding="utf-8") as cassette:
    for line in cassette:
        if (match := re.match(r"    - name: '(\w+)'$", line)):
            name = match.group(1)
        elif name and (match := re.match(r"      status: '(\w+)'$", line)):
            checks[name] += 1
            failed[name] += match.group(1) != "SUCCESS"
            name = None
ops, cases = run["operations"], run["test_cases"]
phases = ", ".join(f"{phase} {info['status']}" for phase, info in run["phases"].items())
print("")
print(f"schemathesis summary (seed {run['seed']}, {seconds} s):")
print(f"  operations: {ops['tested']} tested of {ops['selected']} selected ({ops['total']} in the document)")
print(f"  phases: {phases}")
output = open(f"{report_dir}/output.txt", encoding="utf-8").read()
for label in ("Scenarios", "API Links"):
    if (match := re.search(rf"^\s+{label}:\s+(.+)$", output, re.M)):
        print(f"  stateful {label.lower()}: {match.group(1)}")
print(f"  examples: {cases['generated']} test cases generated; "
      f"{cases['with_failures']} with failures, {cases['unique_failures']} unique failures, {cases['errored']} errors")
print(f"  checks: {sum(checks.values())} run, {sum(failed.values())} failed, {len(checks)} kinds:")
for check, total in sorted(checks.items()):
    print(f"    {check}: {total - failed[check]}/{total} passed")
PY

if [ "$status" -ne 0 ]; then
  echo "schemathesis: FAILED (exit $status); server log: $SERVER_LOG" >&2
  tail -n 50 "$SERVER_LOG" >&2 || true
  exit "$status"
fi

echo ""
echo "features: Cucumber against $BASE_URL"
BASE_URL="$BASE_URL" API_KEY="$API_KEY" npm run --silent test:features
