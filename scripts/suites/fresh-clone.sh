#!/usr/bin/env bash
# The README's first five minutes on a fresh clone of the committed HEAD, on the Node.js LTS:
# `npm install` must warn of no engine and leave `git status` clean; then scripts/readme-check.ts
# starts the service with `npm start`, runs the README's curl examples and stops it with SIGTERM.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

git rev-parse --is-inside-work-tree >/dev/null 2>&1 || skip_or_fail fresh-clone "not a git work tree (nothing to clone)"
bin="$(tools_node_lts)" || skip_or_fail fresh-clone "cannot install Node $NODE_LTS_VERSION from the npm registry"
export PATH="$bin:$PATH"
[ -z "$(git status --porcelain)" ] || echo "fresh-clone: uncommitted changes are not checked: this clones HEAD"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone --quiet "$ROOT" "$work/clone"
cd "$work/clone"
echo "fresh-clone: $(git log -1 --format='%h %s'), node $(node --version)"
# The npm cache makes this work offline once the packages were fetched.
timeout 600 npm install --prefer-offline --no-audit --no-fund 2>&1 | tee "$work/install.log"
if grep -q EBADENGINE "$work/install.log"; then
  echo "fresh-clone: npm install warned about an engine (above)" >&2
  exit 1
fi
if [ -n "$(git status --porcelain)" ]; then
  echo "fresh-clone: npm install changed the clone:" >&2
  git status --short >&2
  git diff --stat >&2
  exit 1
fi
echo "fresh-clone: npm install warned of no engine and left git status clean"
timeout 600 node --import tsx scripts/readme-check.ts README.md
