/**
 * Large writes on the MongoDB store through the whole app (buildApp + inject) at
 * the default MONGODB_TIMEOUT_MS (5 s): a 5,000-epic import into an empty
 * backlog, a second replica's full load and catch-up, one task delete, a replace
 * of the 5,000 epics by 5,000 others, and PUT {} over 5,000. Medians of a few
 * runs, each on a new database; an answer other than 2xx is reported, not hidden.
 *
 *   node --import tsx bench/mongo-large-writes.ts [runs]
 *
 * MongoDB: MONGODB_URI when set; otherwise a SecantusDB started here (bench/secantus.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createMongoStore } from '../src/repo/mongo-store.js';
import { generateEpics } from './epic-generator.js';
import { startSecantus } from './secantus.js';
import { median } from './stats.js';

const EPICS = 5_000;
const runs = Number(process.argv[2] ?? 3);
const dictionary = (seed: number, suffix: string) =>
  Object.fromEntries(
    generateEpics(EPICS, seed).map((epic) => [
      epic.id,
      { Tasks: epic.tasks.map((task) => `${task}${suffix}`), Bugs: epic.bugs, Epics: epic.epics },
    ]),
  );
const first = dictionary(42, '');
const second = dictionary(7, '-other');
const aTask = Object.values(first).flatMap((entry) => entry.Tasks)[0] as string;
const logger = pino({ level: 'silent' });
const config = loadConfig({ NODE_ENV: 'test', STORE: 'memory', LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0' });

const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-mongo-large-'));
const server = process.env.MONGODB_URI ? undefined : await startSecantus(path.join(dataDir, 'db'));
const uri = process.env.MONGODB_URI ?? server?.uri;
if (!uri) throw new Error('Set MONGODB_URI, or install SecantusDB with bash scripts/suites/mongo.sh');

const timings = new Map<string, number[]>();
const failures: string[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const dbName = `bench_large_${Date.now()}`;
    const store = await createMongoStore({ uri, dbName, logger, timeoutMs: 5000 });
    const other = await createMongoStore({ uri, dbName, logger, timeoutMs: 5000 });
    const app = await buildApp({ config, store, logger });
    const time = async (name: string, action: () => Promise<unknown>) => {
      const started = performance.now();
      const result = (await action()) as { statusCode?: number };
      const ms = performance.now() - started;
      if (result?.statusCode !== undefined && result.statusCode >= 300) {
        failures.push(`${name}: ${result.statusCode} after ${ms.toFixed(0)} ms`);
      } else timings.set(name, [...(timings.get(name) ?? []), ms]);
    };
    await time('import 5,000 epics (POST, empty backlog)', () =>
      app.inject({ method: 'POST', url: '/v1/backlog', payload: first }),
    );
    await time('another replica: full load of 5,000', () => other.read());
    await time('DELETE one task', () =>
      app.inject({ method: 'DELETE', url: `/v1/tasks/${encodeURIComponent(aTask)}` }),
    );
    await time('another replica: catch-up after it', () => other.read());
    await time('replace 5,000 by 5,000 others (PUT)', () =>
      app.inject({ method: 'PUT', url: '/v1/backlog', payload: second }),
    );
    await time('PUT {} over 5,000', () => app.inject({ method: 'PUT', url: '/v1/backlog', payload: {} }));
    await app.close();
    await Promise.all([store.close(), other.close()]);
    const client = new MongoClient(uri);
    await client.db(dbName).dropDatabase();
    await client.close();
  }
} finally {
  server?.process.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
}

console.log(`MongoDB store, ${EPICS} epics, MONGODB_TIMEOUT_MS 5000, ${runs} runs`);
for (const [name, values] of timings) {
  console.log(`${name}: median ${median(values).toFixed(0)} ms (${values.map((v) => v.toFixed(0)).join(', ')})`);
}
for (const failure of failures) console.log(`FAILED ${failure}`);
