#!/usr/bin/env bash
# The MongoDB suite: the store contract, two replicas on one database, the
# server killed and restarted under load, and the HTTP tests, all against a
# MongoDB-wire server. Uses MONGODB_URI when set; otherwise starts SecantusDB
# (PyPI, pinned in scripts/requirements-mongo.txt) on a free loopback port with
# a temporary data folder, and stops it on exit. The fault tests always start
# their own SecantusDB (SECANTUS_CMD), so they can kill it.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VENV="$(tools_venv venv scripts/requirements-mongo.txt)" ||
  skip_or_fail mongo "cannot install scripts/requirements-mongo.txt into .tools/venv (python3 and PyPI needed)"
export SECANTUS_CMD="$VENV/bin/secantusd-py"

server_pid=""
work_dir=""
cleanup() {
  stop_process "$server_pid"
  [ -z "$work_dir" ] || rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${MONGODB_URI:-}" ]; then
  work_dir="$(mktemp -d "${TMPDIR:-/tmp}/backlog-mongo-suite.XXXXXX")"
  port="$(free_port)"
  # --sync-on-commit: SecantusDB ignores `j: true` on commitTransaction (docs/mongodb.md).
  "$SECANTUS_CMD" --host 127.0.0.1 --port "$port" --storage-path "$work_dir/data" \
    --log-level WARNING --sync-on-commit >"$work_dir/server.log" 2>&1 &
  server_pid=$!
  export MONGODB_URI="mongodb://127.0.0.1:$port/?directConnection=true"
  node --input-type=module -e "
    import { MongoClient } from 'mongodb';
    const deadline = Date.now() + 60_000;
    for (;;) {
      const client = new MongoClient(process.env.MONGODB_URI, { serverSelectionTimeoutMS: 500 });
      try { await client.db('admin').command({ ping: 1 }); break; }
      catch (error) { if (Date.now() > deadline) { console.error(String(error)); process.exit(1); } }
      finally { await client.close(); }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  " || {
    echo "mongo: SecantusDB did not answer on port $port within 60 s" >&2
    cat "$work_dir/server.log" >&2
    exit 1
  }
  echo "mongo: SecantusDB $("$VENV/bin/python" -m pip show secantusdb 2>/dev/null | sed -n 's/^Version: //p') on 127.0.0.1:$port"
else
  echo "mongo: using MONGODB_URI from the environment"
fi

npx vitest run --config vitest.mongo.config.ts
