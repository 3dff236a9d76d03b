#!/usr/bin/env bash
# Browser tests: the status dashboard at / in Debian's Chromium, driven by
# playwright-core (test/browser, vitest.browser.config.ts). Never a downloaded browser.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$ROOT"

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ] && [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium" >&2
  log="$(mktemp)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
  fi
  rm -f "$log"
fi
[ -x "$CHROMIUM" ] || skip_or_fail browser "needs Chromium: apt-get install -y chromium"

export CHROMIUM_PATH="$CHROMIUM"
npx vitest run --config vitest.browser.config.ts
