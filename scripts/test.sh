#!/usr/bin/env bash
# The whole test command: lint, types, unit and HTTP tests, Cucumber, then every
# suite in scripts/suites (MongoDB, contract fuzzing, deployment files, browser).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

passed=0
failed=0
failures=()
run_suite() {
  local name="$1"
  shift
  echo ""
  echo "==> $name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "<== $name: ok ($((SECONDS - started)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "<== $name: FAILED ($((SECONDS - started)) s)"
  fi
}

run_suite lint npx biome check .
run_suite typecheck npx tsc --noEmit -p tsconfig.json
run_suite unit npx vitest run --coverage
run_suite features npm run --silent test:features
for suite in scripts/suites/*.sh; do
  [ -e "$suite" ] || continue
  run_suite "$(basename "$suite" .sh)" bash "$suite"
done

echo ""
[ "$failed" -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
