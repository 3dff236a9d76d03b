/**
 * The stream across replicas (SPEC section 8), measured: two service replicas on one
 * SecantusDB (a MongoDB-wire server; installed by `bash scripts/suites/mongo.sh`), a
 * stream client on replica A, commits made on replica B, spaced at random (0-300 ms).
 * Reported: the time from B's answer to A's delivery (p50, p99), for each EVENTS_POLL_MS
 * given, against a floor measured in the same run: a commit made on A itself, delivered
 * to the same client (no poll in the way).
 *
 *   node --import tsx bench/stream-replicas.ts   (BENCH_POLL_MS=500,100 BENCH_REPLICA_COMMITS=40)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createMongoStore } from '../src/repo/mongo-store.js';
import { parseSse } from '../test/helpers/sse.js';
import { startSecantus } from './secantus.js';
import { median, percentile } from './stats.js';

const POLLS = (process.env.BENCH_POLL_MS ?? '500,100').split(',').map(Number);
const COMMITS = Number(process.env.BENCH_REPLICA_COMMITS ?? 40);
const ENV = { NODE_ENV: 'test', LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0' };
const silent = pino({ level: 'silent' });

async function replica(uri: string, dbName: string, pollMs: number): Promise<{ app: FastifyInstance; url: string }> {
  const store = await createMongoStore({ uri, dbName, logger: silent, eventsPollMs: pollMs });
  const app = await buildApp({ config: loadConfig(ENV), store, logger: silent });
  app.addHook('onClose', () => store.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}

/** A stream on `url`, noting when each seq arrives. */
function follow(url: string): Promise<{ arrivals: Map<number, number>; close(): void }> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<number, number>();
    const request = http.get(`${url}/v1/events/stream`, (response) => {
      let rest = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const parsed = parseSse(rest + chunk);
        rest = parsed.rest;
        for (const message of parsed.messages) if (message.id) arrivals.set(Number(message.id), performance.now());
      });
      resolve({ arrivals, close: () => request.destroy() });
    });
    request.on('error', reject);
  });
}

async function commit(url: string, id: string): Promise<{ seq: number; answeredAt: number }> {
  const response = await fetch(`${url}/v1/epics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'return=minimal' },
    body: JSON.stringify({ id }),
  });
  const answeredAt = performance.now();
  if (response.status !== 204) throw new Error(`commit answered ${response.status}`);
  return { seq: Number(JSON.parse(response.headers.get('etag') as string)), answeredAt };
}

async function delay(arrivals: Map<number, number>, seq: number, answeredAt: number): Promise<number> {
  for (const deadline = performance.now() + 10_000; performance.now() < deadline; ) {
    const at = arrivals.get(seq);
    if (at !== undefined) return Math.max(at - answeredAt, 0);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`event ${seq} never arrived`);
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-stream-replicas-'));
const server = await startSecantus(dataDir);
if (!server) {
  console.log('SKIPPED stream across replicas: SecantusDB is not installed (run bash scripts/suites/mongo.sh once)');
  process.exit(0);
}
try {
  console.log(`stream across replicas: ${COMMITS} commits on B, a client on A, SecantusDB`);
  for (const pollMs of POLLS) {
    const dbName = `bench_replicas_${pollMs}_${Date.now()}`;
    const a = await replica(server.uri, dbName, pollMs);
    const b = await replica(server.uri, dbName, pollMs);
    const client = await follow(a.url);
    const remote: number[] = [];
    const local: number[] = [];
    for (let i = 0; i < COMMITS; i++) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      const onB = await commit(b.url, `B${i}`);
      remote.push(await delay(client.arrivals, onB.seq, onB.answeredAt));
      const onA = await commit(a.url, `A${i}`);
      local.push(await delay(client.arrivals, onA.seq, onA.answeredAt));
    }
    client.close();
    await a.app.close();
    await b.app.close();
    const sorted = (values: number[]) => [...values].sort((x, y) => x - y);
    const floor = median(local);
    console.log(
      `  EVENTS_POLL_MS=${pollMs}: commit on B -> client on A  p50 ${median(remote).toFixed(1)} ms, p99 ${percentile(sorted(remote), 99).toFixed(1)} ms` +
        `  | floor, commit on A -> same client: p50 ${floor.toFixed(2)} ms  (p50 ratio ${(median(remote) / floor).toFixed(0)}x)`,
    );
  }
} finally {
  server.process.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
}
