import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { freePort } from '../test/helpers/free-port.js';

/** SecantusDB as installed by `bash scripts/suites/mongo.sh`, or SECANTUS_CMD. */
export const SECANTUS_CMD =
  process.env.SECANTUS_CMD ?? new URL('../.tools/venv/bin/secantusd-py', import.meta.url).pathname;

/**
 * Starts a SecantusDB (a MongoDB-wire server) on a free loopback port with its
 * data in `dataDir`, and waits until it answers a ping; undefined when it is not
 * installed. `--sync-on-commit` so that, like the file store's fsync, every
 * acknowledged commit is on disk.
 */
export async function startSecantus(dataDir: string): Promise<{ uri: string; process: ChildProcess } | undefined> {
  if (!existsSync(SECANTUS_CMD)) return undefined;
  const port = await freePort();
  const args = ['--host', '127.0.0.1', '--port', String(port), '--storage-path', dataDir, '--log-level', 'ERROR'];
  const child = spawn(SECANTUS_CMD, [...args, '--sync-on-commit'], { stdio: 'ignore' });
  const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return { uri, process: child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.close();
    }
  }
  child.kill('SIGKILL');
  throw new Error('SecantusDB did not answer within 60 s');
}
