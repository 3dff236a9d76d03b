import { Collection, MongoNetworkTimeoutError } from 'mongodb';
import { describe, expect, it, vi } from 'vitest';
import { generateEpics } from '../../bench/epic-generator.js';
import { createEpic, mergeDictionary, StoreUnavailable } from '../../src/domain/index.js';
import { buildTestApp } from '../helpers/test-app.js';
import { testDatabases } from './mongo-support.js';

/** The generated benchmark backlog as an import body. */
function dictionary(size: number) {
  return Object.fromEntries(
    generateEpics(size).map((epic) => [epic.id, { Tasks: epic.tasks, Bugs: epic.bugs, Epics: epic.epics }]),
  );
}

describe('large writes on MongoDB', () => {
  const databases = testDatabases();
  const open = (dbName: string, timeoutMs: number) => databases.open(dbName, { timeoutMs });

  it('imports 5,000 epics and replaces them with nothing at the default timeout (5 s), in batches', async () => {
    const dbName = databases.create();
    const store = await open(dbName, 5000);
    const app = await buildTestApp({}, store);
    const body = dictionary(5000);

    const imported = await app.inject({ method: 'POST', url: '/v1/backlog', payload: body });
    expect(imported.statusCode).toBe(200);
    const other = await open(dbName, 5000);
    const read = await other.read();
    expect(read.backlog.size).toBe(5000);
    expect(read.revision).toBe(Number(JSON.parse(imported.headers.etag as string)));
    expect([...read.backlog.epics.keys()]).toEqual(Object.keys(body));
    expect(read.backlog.epic('epic-17').tasks).toEqual(body['epic-17']?.Tasks);

    const emptied = await app.inject({ method: 'PUT', url: '/v1/backlog', payload: {} });
    expect(emptied.statusCode).toBe(200);
    expect((await other.read()).backlog.size).toBe(0);
  });

  it('aborts a write whose round trip timed out, so that the next small write succeeds and nothing of it is stored', async () => {
    const dbName = databases.create();
    const writer = await open(dbName, 5000);
    const other = await open(dbName, 3000);
    const { revision } = await other.update((b) => createEpic(b, { id: 'Small' }));

    // The third batch of 1,000 epics reaches the server, then its answer "times out": the
    // transaction is open on the server, holding the meta document and 3,000 written epics.
    const bulkWrite = Collection.prototype.bulkWrite;
    let batches = 0;
    vi.spyOn(Collection.prototype, 'bulkWrite').mockImplementation(async function (this: Collection, ...args) {
      const result = await bulkWrite.apply(this, args as Parameters<typeof bulkWrite>);
      if (this.dbName === dbName && ++batches === 3) {
        throw new MongoNetworkTimeoutError('injected: connection to the server timed out');
      }
      return result;
    });
    const big = Object.entries(dictionary(5000));
    try {
      await expect(writer.update((b) => mergeDictionary(b, big))).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      vi.restoreAllMocks();
    }
    expect(batches).toBe(3);

    // Had the transaction been left open, it would hold the backlog until the server's
    // transaction lifetime limit (60 s), and this write would give up after its 3 s of retries.
    const next = await other.update((b) => createEpic(b, { id: 'After' }));
    expect(next.revision).toBe(revision + 1);
    expect([...next.backlog.epics.keys()]).toEqual(['Small', 'After']);
    expect((await writer.read()).backlog.size).toBe(2);
  });
});
