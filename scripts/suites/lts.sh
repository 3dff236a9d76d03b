#!/usr/bin/env bash
# The unit, HTTP and Cucumber suites again on the Node.js LTS of the Dockerfile and `engines`
# (the machine's own node may be another version): Node from the npm registry (scripts/tools.sh).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

bin="$(tools_node_lts)" || skip_or_fail lts "cannot install Node $NODE_LTS_VERSION from the npm registry"
# npm runs on the first node in PATH, and so does every script it starts.
export PATH="$bin:$PATH"
echo "lts: $(node --version)"
# test:unit without coverage (measured once, on the machine's node): the same tests, faster.
npx vitest run
npm run --silent test:features
