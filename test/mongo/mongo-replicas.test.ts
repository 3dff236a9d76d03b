import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addBug,
  addTask,
  type Backlog,
  type BacklogStore,
  CycleDetected,
  createEpic,
  linkEpics,
  mergeDictionary,
  TaskExists,
  toDictionary,
} from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { buildTestApp } from '../helpers/test-app.js';
import { dropDatabase, openMongoStore, uniqueDbName } from './mongo-support.js';

/** Lists sorted: concurrent commits may land in any order, but the same content must land. */
function contentOf(backlog: Backlog) {
  return toDictionary(backlog)
    .map(([id, entry]) => [
      id,
      { Tasks: [...entry.Tasks].sort(), Bugs: [...entry.Bugs].sort(), Epics: [...entry.Epics].sort() },
    ])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
}

const mutation = (i: number) => (b: Backlog) => {
  if (i % 4 === 0) return createEpic(b, { id: `New${i}`, tasks: [`NewTask${i}`] });
  if (i % 4 === 1) return addBug(b, `E${i % 10}`, `Bug${i}`);
  return addTask(b, `E${i % 10}`, `Task${i}`);
};

describe('two replicas sharing one MongoDB database', () => {
  let dbName: string;
  let replicas: [BacklogStore, BacklogStore];
  beforeEach(async () => {
    dbName = uniqueDbName();
    replicas = [await openMongoStore(dbName), await openMongoStore(dbName)];
    for (let i = 0; i < 10; i++) await replicas[i % 2]?.update((b) => createEpic(b, { id: `E${i}` }));
  });
  afterEach(async () => {
    await Promise.all(replicas.map((store) => store.close()));
    await dropDatabase(dbName);
  });

  it('applies 200 concurrent mutations split across them as a serial run does', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => replicas[i % 2]?.update(mutation(i))),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const serial = createMemoryStore();
    for (let i = 0; i < 10; i++) await serial.update((b) => createEpic(b, { id: `E${i}` }));
    for (let i = 0; i < 200; i++) await serial.update(mutation(i));
    const [first, second] = [await replicas[0].read(), await replicas[1].read()];
    expect(contentOf(first.backlog)).toEqual(contentOf((await serial.read()).backlog));
    expect(second.revision).toBe(first.revision);
    expect(toDictionary(second.backlog)).toEqual(toDictionary(first.backlog));
    const reopened = await openMongoStore(dbName);
    const again = await reopened.read();
    expect(again.revision).toBe(first.revision);
    expect(toDictionary(again.backlog)).toEqual(toDictionary(first.backlog));
    await reopened.close();
  });

  it('never lets opposite links raced across them both succeed', async () => {
    for (let round = 0; round < 10; round++) {
      const [p, q] = [`P${round}`, `Q${round}`];
      await replicas[0].update((b) =>
        mergeDictionary(b, [
          [p, {}],
          [q, {}],
        ]),
      );
      const results = await Promise.allSettled([
        replicas[0].update((b) => linkEpics(b, p, q)),
        replicas[1].update((b) => linkEpics(b, q, p)),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(CycleDetected);
    }
  });

  it('lets exactly one of 30 concurrent adds of one task id across them succeed', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => replicas[i % 2]?.update((b) => addTask(b, `E${i % 10}`, 'T'))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TaskExists);
    }
    for (const store of replicas) {
      const owners = [...(await store.read()).backlog.epics.values()].filter((epic) => epic.tasks.includes('T'));
      expect(owners).toHaveLength(1);
    }
  });

  it('answers the same ETag from both, and a replica honours If-Match against a write made on the other', async () => {
    const [a, b] = [await buildTestApp({}, replicas[0]), await buildTestApp({}, replicas[1])];
    const etag = (await a.inject({ url: '/v1/backlog' })).headers.etag;
    expect((await b.inject({ url: '/v1/backlog' })).headers.etag).toBe(etag);
    expect((await b.inject({ url: '/v1/backlog', headers: { 'if-none-match': etag } })).statusCode).toBe(304);

    const created = await a.inject({ method: 'POST', url: '/v1/epics', payload: { id: 'FromA' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).not.toBe(etag);
    const seen = await b.inject({ url: '/v1/backlog', headers: { 'if-none-match': etag } });
    expect(seen.statusCode).toBe(200);
    expect(seen.headers.etag).toBe(created.headers.etag);

    const stale = await b.inject({
      method: 'POST',
      url: '/v1/epics',
      headers: { 'if-match': etag as string },
      payload: { id: 'FromB' },
    });
    expect(stale.statusCode).toBe(412);
    expect((await replicas[0].read()).backlog.has('FromB')).toBe(false);
  });

  it("tells a watcher on one replica of the other's commits within the poll bound, and both read the same events", async () => {
    const [a, b] = replicas;
    const seen: number[] = [];
    const stop = a.watch((revision) => seen.push(revision));
    try {
      const started = Date.now();
      const commit = await b.update((backlog) => createEpic(backlog, { id: 'FromB' }), {
        cause: { actor: 'bob', operation: { method: 'POST', route: '/v1/epics', ids: ['FromB'] } },
      });
      while (!seen.includes(commit.revision) && Date.now() - started < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen).toContain(commit.revision);
      const fromA = await a.events(commit.revision - 1, 10);
      expect(fromA.events).toEqual([commit.event]);
      expect(fromA.events[0]?.changes).toEqual([{ epic: 'FromB', from: null, to: 'completed' }]);
      expect(await a.history('FromB')).toEqual(await b.history('FromB'));
      // Every commit of either replica is one event, in revision order.
      const all = (await a.events(undefined, 1000)).events;
      expect(all.map((event) => event.seq)).toEqual(all.map((_, i) => commit.revision - all.length + 1 + i));
      expect(all).toHaveLength(11);
    } finally {
      stop();
    }
  });
});
