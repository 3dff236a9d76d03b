import { describe, expect, it } from 'vitest';
import { generateEpics } from '../../bench/epic-generator.js';
import { createEpic, mergeDictionary, StoreUnavailable } from '../../src/domain/index.js';
import { buildTestApp } from '../helpers/test-app.js';
import { testDatabases } from './mongo-support.js';

/** The generated benchmark backlog as an import body, `tasksEach` extra tasks per epic. */
function dictionary(size: number, tasksEach = 0) {
  return Object.fromEntries(
    generateEpics(size).map((epic) => [
      epic.id,
      {
        Tasks: [...epic.tasks, ...Array.from({ length: tasksEach }, (_, i) => `${epic.id}-extra-${i}`)],
        Bugs: epic.bugs,
        Epics: epic.epics,
      },
    ]),
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

  it('aborts a write that timed out, so that the next small write succeeds at once and nothing of it is stored', async () => {
    const dbName = databases.create();
    // 1 s per round trip, against batches of 1,000 epics with 50 tasks each: one of them takes longer.
    const hasty = await open(dbName, 1000);
    const other = await open(dbName, 3000);
    const { revision } = await other.update((b) => createEpic(b, { id: 'Small' }));

    const big = Object.entries(dictionary(5000, 50));
    await expect(hasty.update((b) => mergeDictionary(b, big))).rejects.toBeInstanceOf(StoreUnavailable);

    // Had the timed-out transaction been left open, it would hold the backlog until the server's
    // transaction lifetime limit (60 s) and this write would give up after its 3 s of retries.
    const next = await other.update((b) => createEpic(b, { id: 'After' }));
    expect(next.revision).toBe(revision + 1);
    expect([...next.backlog.epics.keys()]).toEqual(['Small', 'After']);
    expect((await hasty.read()).backlog.size).toBe(2);
  });
});
