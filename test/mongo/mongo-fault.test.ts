import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createMongoStore, MongoNotReplicaSet } from '../../src/repo/mongo-store.js';
import { freePort, OwnServer, openMongoStore, silentLogger } from './mongo-support.js';

const TIMEOUT_MS = 1000;
// A request may wait for the one ahead of it to time out, then time out itself.
const SETTLE_BOUND_MS = 3 * TIMEOUT_MS + 1500;
const config = loadConfig({ NODE_ENV: 'test', STORE: 'memory', LOG_LEVEL: 'silent' });

async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${withinMs} ms`);
    await sleep(100);
  }
}

describe('MongoDB store when the server is away', () => {
  let server: OwnServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'backlog-mongo-fault-'));
    server = new OwnServer(await freePort(), path.join(dataDir, 'db'));
  });
  afterAll(async () => {
    await server.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts without the server, answers 503 on /readyz, then serves once the server is up', async () => {
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    const started = Date.now();
    const store = await createMongoStore({ uri: server.uri, dbName: 'startup', logger, timeoutMs: TIMEOUT_MS });
    expect(Date.now() - started).toBeLessThan(SETTLE_BOUND_MS);
    expect(logs.join('')).toMatch(/MongoDB is unreachable: starting anyway/);
    const app = await buildApp({ config, store, logger: silentLogger });
    try {
      expect((await app.inject({ url: '/livez' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
      expect((await app.inject({ url: '/v1/backlog' })).statusCode).toBe(503);
      await server.start();
      await eventually(async () => (await app.inject({ url: '/readyz' })).statusCode === 200, 30_000);
      const created = await app.inject({ method: 'POST', url: '/v1/epics', payload: { id: 'E' } });
      expect(created.statusCode).toBe(201);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('answers 503 while the server is down, never hangs, recovers, and keeps every acknowledged write', async () => {
    if (!(await server.ping())) await server.start();
    const store = await openMongoStore('outage', { timeoutMs: TIMEOUT_MS }, server.uri);
    const app = await buildApp({ config, store, logger: silentLogger });
    expect((await app.inject({ method: 'POST', url: '/v1/epics', payload: { id: 'E' } })).statusCode).toBe(201);

    const acknowledged: string[] = [];
    const answers: { status: number; ms: number; at: number }[] = [];
    let restartedAt = Number.POSITIVE_INFINITY;
    let next = 0;
    let stop = false;
    async function client(reads: boolean): Promise<void> {
      while (!stop) {
        const id = `T${next++}`;
        const started = Date.now();
        const response = await (reads
          ? app.inject({ url: '/v1/backlog' })
          : app.inject({ method: 'POST', url: '/v1/epics/E', payload: { type: 'task', id } }));
        answers.push({ status: response.statusCode, ms: Date.now() - started, at: Date.now() });
        if (response.statusCode === 201) acknowledged.push(id);
        if (response.statusCode !== 201 && response.statusCode !== 200) await sleep(50);
      }
    }
    const clients = Promise.all([client(false), client(false), client(false), client(true)]);
    try {
      await sleep(1000);
      await server.kill();
      await sleep(2 * TIMEOUT_MS + 500);
      await expect(store.ping()).rejects.toThrow();
      await server.start();
      restartedAt = Date.now();
      await eventually(async () => answers.some((a) => a.at > restartedAt && a.status === 201), 30_000);
      await sleep(300);
    } finally {
      stop = true;
      await clients;
    }

    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].sort()).toEqual([200, 201, 503]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(SETTLE_BOUND_MS);
    await store.ping();
    const tasks = (await store.read()).backlog.epics.get('E')?.tasks ?? [];
    expect(tasks).toEqual(expect.arrayContaining(acknowledged));
    const reopened = await openMongoStore('outage', {}, server.uri);
    const { backlog, revision } = await reopened.read();
    expect(backlog.epics.get('E')?.tasks).toEqual(tasks);
    // The server was killed mid-write: still no commit without its event nor the reverse. The epic's
    // creation and each stored task are one commit each, and each has its event, seqs without a gap.
    const events = [];
    for (let page = await reopened.events(undefined, 1000); ; page = await reopened.events(page.next, 1000)) {
      events.push(...page.events);
      if (page.next === null) break;
    }
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => revision - events.length + 1 + i));
    expect(events).toHaveLength(tasks.length + 1);
    await Promise.all([reopened.close(), app.close()]);
    await store.close();
  });

  it('refuses to start on a standalone server, which cannot run transactions', async () => {
    const standalone = new OwnServer(await freePort(), path.join(dataDir, 'standalone'), ['--standalone']);
    await standalone.start();
    try {
      const opening = openMongoStore('standalone', {}, standalone.uri);
      await expect(opening).rejects.toBeInstanceOf(MongoNotReplicaSet);
      await expect(opening).rejects.toThrow(/replica set/);
    } finally {
      await standalone.kill();
    }
  });
});
