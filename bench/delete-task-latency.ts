/**
 * p50 latency of DELETE /v1/tasks/{id} on a 5,000-epic backlog, through the
 * whole app (buildApp + inject, no socket), for the embedded file store and for
 * MongoDB, in one run on one machine.
 *
 *   node --import tsx bench/delete-task-latency.ts
 *
 * MongoDB: MONGODB_URI when set; otherwise a SecantusDB started here from
 * SECANTUS_CMD or .tools/venv (bash scripts/suites/mongo.sh installs it), with a
 * fresh data folder and `--sync-on-commit` so that, like the file store's
 * fsync, every answered delete is on disk. BENCH_DELETES sets the sample size.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type BacklogStore, taskOwners } from '../src/domain/index.js';
import { createFileStore } from '../src/repo/file-store.js';
import { createMemoryStore } from '../src/repo/memory-store.js';
import { createMongoStore } from '../src/repo/mongo-store.js';
import { generateBacklog } from './backlog-generator.js';
import { startSecantus } from './secantus.js';
import { percentile } from './stats.js';

const EPICS = 5_000;
const DELETES = Number(process.env.BENCH_DELETES ?? 200);
const WARM_UP = 10;
const logger = pino({ level: 'silent' });
const config = loadConfig({ NODE_ENV: 'test', STORE: 'memory', LOG_LEVEL: 'silent' });

/** Seeds the store, then deletes tasks one at a time through the app; milliseconds per request, sorted. */
async function measure(store: BacklogStore): Promise<number[]> {
  const backlog = generateBacklog(EPICS);
  await store.update(() => backlog);
  const tasks = [...taskOwners(backlog).keys()].slice(0, WARM_UP + DELETES);
  if (tasks.length < WARM_UP + DELETES) throw new Error(`only ${tasks.length} tasks in the generated backlog`);
  const app = await buildApp({ config, store, logger });
  const times: number[] = [];
  try {
    for (const [i, task] of tasks.entries()) {
      const started = performance.now();
      const response = await app.inject({ method: 'DELETE', url: `/v1/tasks/${encodeURIComponent(task)}` });
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`DELETE ${task}: ${response.statusCode} ${response.body}`);
      if (i >= WARM_UP) times.push(elapsed);
    }
  } finally {
    await app.close();
  }
  return times.sort((a, b) => a - b);
}

function report(name: string, times: number[]): void {
  const [p50, p90, p99] = [50, 90, 99].map((p) => percentile(times, p).toFixed(2).padStart(8));
  console.log(`${name.padEnd(34)} p50 ${p50} ms   p90 ${p90} ms   p99 ${p99} ms   (${times.length} deletes)`);
}

async function main(): Promise<void> {
  console.log(`DELETE /v1/tasks/{id} on a ${EPICS.toLocaleString('en')}-epic backlog (buildApp + inject, sequential)`);
  const scratch = await mkdtemp(path.join(tmpdir(), 'backlog-bench-delete-'));
  let secantus: { uri: string; process: ChildProcess } | undefined;
  try {
    // No I/O: what the app itself costs (the answer carries the whole backlog view).
    report('memory store (baseline, no I/O)', await measure(createMemoryStore()));
    const fileStore = await createFileStore({ dataDir: path.join(scratch, 'file') });
    report('embedded file store (fsync)', await measure(fileStore));
    await fileStore.close();

    let uri = process.env.MONGODB_URI;
    let label = 'MongoDB (MONGODB_URI)';
    if (!uri) {
      secantus = await startSecantus(path.join(scratch, 'secantus'));
      uri = secantus?.uri;
      label = 'MongoDB wire: SecantusDB';
    }
    if (!uri) {
      console.log('MongoDB: skipped (set MONGODB_URI, or run bash scripts/suites/mongo.sh once to install SecantusDB)');
      return;
    }
    const dbName = `bench_delete_${process.pid}`;
    const mongoStore = await createMongoStore({ uri, dbName, logger });
    try {
      report(label, await measure(mongoStore));
    } finally {
      await mongoStore.close();
      const client = new MongoClient(uri);
      await client.db(dbName).dropDatabase();
      await client.close();
    }
  } finally {
    secantus?.process.kill('SIGTERM');
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
