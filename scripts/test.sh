#!/usr/bin/env bash
# npm test: every suite, each an npm script that also runs alone (`npm run test:mongo`, ...).
# A suite that cannot run here prints a loud SKIPPED line and passes, except with CI=true.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUITES=(lint typecheck test:unit test:features test:mongo test:fuzz test:deploy test:browser test:lts test:fresh-clone)
passed=0
failures=()
for suite in "${SUITES[@]}"; do
  echo ""
  echo "==> $suite"
  started=$SECONDS
  if npm run --silent "$suite"; then
    passed=$((passed + 1))
    echo "<== $suite: ok ($((SECONDS - started)) s)"
  else
    failures+=("$suite")
    echo "<== $suite: FAILED ($((SECONDS - started)) s)"
  fi
done

echo ""
[ ${#failures[@]} -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, ${#failures[@]} failed"
[ ${#failures[@]} -eq 0 ]
