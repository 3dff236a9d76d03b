/**
 * History and live updates (SPEC section 8), measured in one run:
 *
 * 1. 500 event-stream clients on one server process (memory store, 127.0.0.1): the
 *    server's RSS without and with them, and the time from sending a commit to each
 *    client receiving its event (p50, p99 over 50 commits x 500 clients; the time to
 *    the last client too), against a floor measured in the same run: a no-op request
 *    (GET /livez) on the same keep-alive connection.
 * 2. The cost of a mutation with and without events, in this process: the same
 *    requests through the whole app (app.inject, Prefer: return=minimal) on the memory
 *    store, which writes an event with every commit, and on a memory store whose commit
 *    path is the one before events (no cause, no event, no log, no watchers), batches
 *    alternated; floor: GET /livez through app.inject.
 *
 *   npm run bench:stream   (BENCH_STREAM_CLIENTS, BENCH_STREAM_COMMITS to change the sizes)
 */

import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import {
  applyChange,
  type Backlog,
  type BacklogStore,
  type Change,
  type Commit,
  type Committed,
  checkRevision,
  emptyBacklog,
  handOver,
  isNoChange,
  type UpdateOptions,
} from '../src/domain/index.js';
import { createMemoryStore } from '../src/repo/memory-store.js';
import { createSerialQueue } from '../src/repo/serial-queue.js';
import { parseSse } from '../test/helpers/sse.js';
import { startServer } from './bench-server.js';
import { median, percentile } from './stats.js';

const CLIENTS = Number(process.env.BENCH_STREAM_CLIENTS ?? 500);
const COMMITS = Number(process.env.BENCH_STREAM_COMMITS ?? 50);
const MUTATIONS = Number(process.env.BENCH_STREAM_MUTATIONS ?? 2000);

const ms = (value: number) => `${value.toFixed(3).padStart(9)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ratio = (value: number, floor: number) => `${(value / floor).toFixed(2)}x`;

interface StreamClient {
  /** performance.now() when each event (by seq) arrived. */
  readonly arrivals: Map<number, number>;
  close(): void;
}

/** One SSE client on a socket of its own; resolves once the stream is open. */
function openClient(baseUrl: string): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<number, number>();
    const req = http.get(`${baseUrl}/v1/events/stream`, { agent: false }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`stream answered ${res.statusCode}`));
        return;
      }
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const now = performance.now();
        const parsed = parseSse(rest + chunk);
        rest = parsed.rest;
        for (const message of parsed.messages) if (message.id) arrivals.set(Number(message.id), now);
      });
      res.on('error', () => {});
      resolve({ arrivals, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !done(); ) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function streamBench(): Promise<void> {
  const logFile = path.join(await mkdtemp(path.join(tmpdir(), 'bench-stream-')), 'server.log');
  const server = await startServer({ serverDir: process.cwd(), store: 'memory', logFile });
  try {
    const floors: number[] = [];
    for (let i = 0; i < 200; i++) floors.push((await server.request('GET', '/livez')).ms);
    const floor = median(floors);
    const post = (id: string) =>
      server.request('POST', '/v1/epics', {
        body: JSON.stringify({ id }),
        headers: { prefer: 'return=minimal' },
      });
    const without: number[] = [];
    for (let i = 0; i < COMMITS; i++) without.push((await post(`Before${i}`)).ms);
    const idle = await server.memory();

    const clients: StreamClient[] = [];
    for (let i = 0; i < CLIENTS; i += 50) {
      clients.push(
        ...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, () => openClient(server.baseUrl)))),
      );
    }
    const open = await server.memory();

    const latencies: number[] = [];
    const lastClient: number[] = [];
    const withClients: number[] = [];
    for (let i = 0; i < COMMITS; i++) {
      const sent = performance.now();
      const answer = await post(`Streamed${i}`);
      if (answer.status !== 204) throw new Error(`commit answered ${answer.status}`);
      withClients.push(answer.ms);
      const seq = Number(JSON.parse(String(answer.headers.etag)));
      await until(() => clients.every((client) => client.arrivals.has(seq)), 30_000, `event ${seq} to every client`);
      const arrived = clients.map((client) => (client.arrivals.get(seq) as number) - sent);
      latencies.push(...arrived);
      lastClient.push(Math.max(...arrived));
    }
    const loaded = await server.memory();
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);

    console.log(`-- ${CLIENTS} event-stream clients on one server process (memory store), ${COMMITS} commits`);
    console.log(`floor: GET /livez, median of 200                                  ${ms(floor)}`);
    console.log(`commit to delivery, every client and commit: p50 ${ms(p50)}  (${ratio(p50, floor)} floor)`);
    console.log(`                                             p99 ${ms(p99)}  (${ratio(p99, floor)} floor)`);
    console.log(`commit to the last of ${CLIENTS} clients, median                  ${ms(median(lastClient))}`);
    const before = median(without);
    const during = median(withClients);
    console.log(
      `POST /v1/epics (204) answered, no stream open, median              ${ms(before)}  (${ratio(before, floor)} floor)`,
    );
    console.log(
      `POST /v1/epics (204) answered, ${CLIENTS} streams open, median        ${ms(during)}  (${ratio(during, floor)} floor; ${ratio(during, before)} without streams)`,
    );
    console.log(
      `server RSS: idle ${mib(idle.rss)}, ${CLIENTS} streams open ${mib(open.rss)} (+${mib(open.rss - idle.rss)}, ${((open.rss - idle.rss) / CLIENTS / 1024).toFixed(1)} KiB each), after the commits ${mib(loaded.rss)}; peak ${mib(loaded.peak)}`,
    );
    for (const client of clients) client.close();
  } finally {
    await server.stop();
  }
}

/** The memory store's commit path as it was before events: no cause, no event, no log, no watchers. */
function eventlessMemoryStore(): BacklogStore {
  let current = { backlog: emptyBacklog() as Backlog, revision: Date.now() };
  const queue = createSerialQueue({});
  return {
    async read<T>(use?: (committed: Committed) => T) {
      return handOver(current, use);
    },
    async update<T>(plan: (backlog: Backlog) => Change, options?: UpdateOptions, use?: (commit: Commit) => T) {
      const { handed } = await queue.run(() => {
        checkRevision(current.revision, options);
        const change = plan(current.backlog);
        if (!isNoChange(change)) current = { backlog: applyChange(change), revision: current.revision + 1 };
        return { handed: handOver({ ...current, change }, use) };
      });
      return handed;
    },
    events: async () => ({ events: [], next: null }),
    history: async () => [],
    watch: () => () => {},
    async ping() {},
    async close() {},
  };
}

async function mutationCost(): Promise<void> {
  const config = loadConfig({ STORE: 'memory', LOG_LEVEL: 'silent', NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0' });
  const withEvents = await buildApp({ config, store: createMemoryStore() });
  const withoutEvents = await buildApp({ config, store: eventlessMemoryStore() });
  // The same backlog in both: 200 epics in chains of 10, so that a task's completion moves a few statuses.
  const dictionary = Object.fromEntries(
    Array.from({ length: 200 }, (_, i) => [`E${i}`, { Tasks: [], Epics: i % 10 === 9 ? [] : [`E${i + 1}`] }]),
  );
  for (const app of [withEvents, withoutEvents]) {
    const answer = await app.inject({ method: 'PUT', url: '/v1/backlog', payload: dictionary });
    if (answer.statusCode !== 200) throw new Error(`import answered ${answer.statusCode}`);
  }
  const minimal = { prefer: 'return=minimal' };
  let n = 0;
  // One mutation pair: a task added to the bottom of a chain (every epic above turns blocked), then completed.
  const pair = async (app: typeof withEvents, out: number[]) => {
    const id = `T${n++}`;
    const epic = `E${(n % 20) * 10 + 9}`;
    let start = performance.now();
    const add = await app.inject({ method: 'POST', url: '/v1/tasks', headers: minimal, payload: { id, epic } });
    out.push(performance.now() - start);
    start = performance.now();
    const done = await app.inject({ method: 'DELETE', url: `/v1/tasks/${id}`, headers: minimal });
    out.push(performance.now() - start);
    if (add.statusCode !== 204 || done.statusCode !== 204) throw new Error(`${add.statusCode} ${done.statusCode}`);
  };
  const floors: number[] = [];
  const timesWith: number[] = [];
  const timesWithout: number[] = [];
  for (let i = 0; i < 200; i++) await pair(withEvents, []); // warm-up of both paths
  for (let i = 0; i < 200; i++) await pair(withoutEvents, []);
  for (let batch = 0; batch < 10; batch++) {
    for (let i = 0; i < MUTATIONS / 20; i++) await pair(withEvents, timesWith);
    for (let i = 0; i < MUTATIONS / 20; i++) await pair(withoutEvents, timesWithout);
    for (let i = 0; i < MUTATIONS / 20; i++) {
      const start = performance.now();
      await withEvents.inject({ url: '/livez' });
      floors.push(performance.now() - start);
    }
  }
  const floor = median(floors);
  const a = median(timesWith);
  const b = median(timesWithout);
  const events = (await withEvents.inject({ url: '/v1/events?limit=1' })).json() as { events: unknown[] };
  if (events.events.length !== 1) throw new Error('the memory store wrote no event');
  console.log(
    `\n-- the cost of a mutation with and without events (app.inject, Prefer: return=minimal, ${timesWith.length} mutations each)`,
  );
  console.log(`floor: GET /livez through app.inject, median                       ${ms(floor)}`);
  console.log(
    `mutation, memory store with events, median                         ${ms(a)}  (${ratio(a, floor)} floor)`,
  );
  console.log(
    `mutation, the commit path before events, median                    ${ms(b)}  (${ratio(b, floor)} floor)`,
  );
  console.log(`   with events / without: ${ratio(a, b)} (+${(a - b).toFixed(3)} ms per mutation)`);
  await withEvents.close();
  await withoutEvents.close();
}

console.log(`Event stream benchmark (node ${process.version})\n`);
await streamBench();
await mutationCost();
