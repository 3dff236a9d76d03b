#!/usr/bin/env bash
# Browser tests: the status dashboard at / in Debian's Chromium, driven by
# playwright-core (test/browser, vitest.browser.config.ts). Never a downloaded browser.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

CHROMIUM_PATH="$(tools_chromium)" || skip_or_fail browser "needs Chromium: apt-get install -y chromium"
export CHROMIUM_PATH
npx vitest run --config vitest.browser.config.ts
