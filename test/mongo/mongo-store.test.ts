import type { CommandSucceededEvent } from 'mongodb';
import { describe, expect, it } from 'vitest';
import {
  addTask,
  backlogFromDictionary,
  createEpic,
  deleteEpic,
  EventsPruned,
  linkEpics,
  RevisionMismatch,
  removeTask,
  replaceChange,
  StoreCorrupted,
  StoreUnavailable,
  toDictionary,
} from '../../src/domain/index.js';
import { derived, rebuilt, SPEC_EXAMPLE } from '../helpers/backlogs.js';
import { describeBacklogStoreContract } from '../repo/backlog-store.contract.js';
import { dropDatabase, openMongoStore, testDatabases, uniqueDbName, withClient } from './mongo-support.js';

describeBacklogStoreContract(
  'mongodb',
  async () => {
    const dbName = uniqueDbName();
    return {
      store: await openMongoStore(dbName),
      reopen: () => openMongoStore(dbName),
      cleanup: async () => void (await dropDatabase(dbName)),
    };
  },
  { persistent: true },
);

/** Counts the epic documents a store's client reads (find and getMore replies on the epics collection). */
function epicReads() {
  const counter = {
    documents: 0,
    listener(event: CommandSucceededEvent) {
      const cursor = (event.reply as { cursor?: { ns?: string; firstBatch?: unknown[]; nextBatch?: unknown[] } })
        .cursor;
      if (!cursor?.ns?.endsWith('.epics')) return;
      counter.documents += (cursor.firstBatch ?? cursor.nextBatch ?? []).length;
    },
  };
  return counter;
}

describe('mongodb store', () => {
  const databases = testDatabases();
  const open = databases.open;

  async function storedDatabase() {
    const dbName = databases.create();
    const store = await open(dbName);
    await store.update((b) => createEpic(b, { id: 'EpicA', tasks: ['TaskA1'] }));
    await store.update((b) => createEpic(b, { id: 'Epic.$B', epics: ['EpicA'] }));
    return { dbName, store };
  }

  const collection = <T extends { _id: unknown }>(dbName: string, name: string) =>
    withClient((client) => client.db(dbName).collection<T>(name).find({}).sort({ _id: 1 }).toArray());

  it('stores one document per epic, ids as values, in creation order; a numbered meta document; a record per commit', async () => {
    const { dbName, store } = await storedDatabase();
    const { revision } = await store.read();
    const documents = await withClient((client) =>
      client.db(dbName).collection('epics').find({}).sort({ seq: 1 }).toArray(),
    );
    expect(documents).toEqual([
      { _id: 'EpicA', seq: 0, tasks: ['TaskA1'], bugs: [], epics: [] },
      { _id: 'Epic.$B', seq: 1, tasks: [], bugs: [], epics: ['EpicA'] },
    ]);
    const [meta] = await collection<{ _id: string; commitId?: string }>(dbName, 'backlog_meta');
    expect(meta).toEqual({ _id: 'backlog', revision, commitId: expect.any(String), eventsSince: revision - 2 });
    const commits = await collection<{ _id: number }>(dbName, 'commits');
    expect(commits).toEqual([
      { _id: revision - 1, commitId: expect.any(String), at: expect.any(Date), epics: ['EpicA'] },
      { _id: revision, commitId: meta?.commitId, at: expect.any(Date), epics: ['Epic.$B'] },
    ]);
    const events = await collection<{ _id: number }>(dbName, 'events');
    expect(events).toEqual([
      {
        _id: revision - 1,
        seq: revision - 1,
        at: expect.any(String),
        actor: null,
        operation: { method: 'NONE', route: '', ids: [] },
        changes: [{ epic: 'EpicA', from: null, to: 'wip' }],
      },
      {
        _id: revision,
        seq: revision,
        at: expect.any(String),
        actor: null,
        operation: { method: 'NONE', route: '', ids: [] },
        changes: [{ epic: 'Epic.$B', from: null, to: 'blocked' }],
      },
    ]);
  });

  it('starts a new database at the clock, so that a database made anew does not repeat revisions', async () => {
    const dbName = databases.create();
    const before = Date.now();
    const { revision } = await (await open(dbName)).read();
    expect(revision).toBeGreaterThanOrEqual(before);
    expect(revision).toBeLessThanOrEqual(Date.now());
  });

  it('writes only the epics a change touches', async () => {
    const dbName = databases.create();
    const writes: { command: string; count: number }[] = [];
    const store = await open(dbName, {
      onCommand: (event) => {
        const reply = event.reply as { n?: number };
        if (['insert', 'update', 'delete'].includes(event.commandName)) {
          writes.push({ command: event.commandName, count: reply.n ?? 0 });
        }
      },
    });
    await store.update((b) => replaceChange(b, backlogFromDictionary(Object.entries(SPEC_EXAMPLE))));
    writes.length = 0;
    await store.update((b) => removeTask(b, 'TaskB1'));
    // Besides the meta document (findAndModify): one epic, then one commit record, then its event. (A
    // commit whose revision is a multiple of 100 also prunes old commit records: none here, so that delete counts 0.)
    expect(writes.filter((write) => write.command !== 'delete' || write.count > 0)).toEqual([
      { command: 'update', count: 1 },
      { command: 'update', count: 1 },
      { command: 'update', count: 1 },
    ]);
  });

  it('drops events older than the retention in a commit whose revision is a multiple of 100, and answers EventsPruned below them', async () => {
    const dbName = databases.create();
    const store = await open(dbName, { eventsRetentionMs: 150 });
    const first = await store.update((b) => createEpic(b, { id: 'First' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    let last = first;
    for (let i = 0; i < 100 && (i === 0 || last.revision % 100 !== 0); i++) {
      last = await store.update((b) => createEpic(b, { id: `E${i}` }));
    }
    // Some of the later events may be past the retention too by now: what is kept is a tail, up to the last.
    const { events } = await store.events(undefined, 1000);
    expect(events.at(-1)?.seq).toBe(last.revision);
    expect(events[0]?.seq).toBeGreaterThan(first.revision);
    await expect(store.events(first.revision - 1, 10)).rejects.toThrow(EventsPruned);
    expect(await store.history('First')).toEqual([]);
    // A second replica reads the same bound from the meta document.
    const other = await open(dbName, { eventsRetentionMs: 150 });
    await expect(other.events(first.revision - 1, 10)).rejects.toThrow(EventsPruned);
  });

  it('answers EventsPruned, not a page with a gap, when the events after `after` were pruned past what the meta document said', async () => {
    const dbName = databases.create();
    const store = await open(dbName);
    const first = await store.update((b) => createEpic(b, { id: 'A' }));
    await store.update((b) => createEpic(b, { id: 'B' }));
    // As a pruning commit of another replica would leave it between this replica's two reads.
    await withClient((client) =>
      client.db(dbName).collection<{ _id: number }>('events').deleteOne({ _id: first.revision }),
    );
    await expect(store.events(first.revision - 1, 10)).rejects.toThrow(EventsPruned);
    expect((await store.events(first.revision, 10)).events.map((event) => event.seq)).toEqual([first.revision + 1]);
  });

  it('creates its indexes at start-up, idempotently', async () => {
    const { dbName } = await storedDatabase();
    await open(dbName);
    const indexes = await withClient((client) => client.db(dbName).collection('epics').indexes());
    expect(indexes.find((index) => index.name === 'seq_unique')).toMatchObject({ key: { seq: 1 }, unique: true });
  });

  it('sees a write made by another replica on its next read, with the same revision', async () => {
    const { dbName, store } = await storedDatabase();
    const other = await open(dbName);
    expect([...(await store.read()).backlog.epics.keys()]).toEqual(['EpicA', 'Epic.$B']);
    const written = await other.update((b) => addTask(b, 'EpicA', 'TaskA2'));
    const read = await store.read();
    expect(read.revision).toBe(written.revision);
    expect(read.backlog.epic('EpicA').tasks).toEqual(['TaskA1', 'TaskA2']);
    await store.update((b) => addTask(b, 'Epic.$B', 'TaskB1'));
    const [mine, theirs] = [await store.read(), await other.read()];
    expect(theirs.revision).toBe(mine.revision);
    expect(toDictionary(theirs.backlog)).toEqual(toDictionary(mine.backlog));
  });

  it('catches up by reading only the epics changed since its revision, statuses and indexes as a rebuild has them', async () => {
    const dbName = databases.create();
    const writer = await open(dbName);
    const entries = Array.from({ length: 300 }, (_, i) => [
      `E${i}`,
      { Tasks: [`T${i}`], Bugs: i % 7 === 0 ? ['shared-bug'] : [], Epics: i > 0 ? [`E${i - 1}`] : [] },
    ]);
    await writer.update((b) => replaceChange(b, backlogFromDictionary(entries as never)));
    const reads = epicReads();
    const reader = await open(dbName, { onCommand: reads.listener });
    expect((await reader.read()).backlog.size).toBe(300);
    expect(reads.documents).toBe(300); // its first load reads everything

    reads.documents = 0;
    await writer.update((b) => removeTask(b, 'T0'));
    await writer.update((b) => createEpic(b, { id: 'New', epics: ['E299'] }));
    await writer.update((b) => deleteEpic(b, 'E150'));
    await writer.update((b) => linkEpics(b, 'New', 'E5'));
    const caughtUp = await reader.read();
    // T0's epic, New, E150 (deleted: asked for, not found) and its parent E151.
    expect(reads.documents).toBe(3);
    const expected = await writer.read();
    expect(caughtUp.revision).toBe(expected.revision);
    expect(toDictionary(caughtUp.backlog)).toEqual(toDictionary(expected.backlog));
    expect(derived(caughtUp.backlog)).toEqual(derived(rebuilt(caughtUp.backlog)));
    expect(derived(caughtUp.backlog)).toEqual(derived(expected.backlog));
  });

  it('reads everything again when the records it needs are gone, and still ends equal', async () => {
    const { dbName, store } = await storedDatabase();
    const reads = epicReads();
    const other = await open(dbName, { onCommand: reads.listener });
    await other.read();
    await store.update((b) => addTask(b, 'EpicA', 'TaskA2'));
    await withClient((client) => client.db(dbName).collection('commits').deleteMany({}));
    reads.documents = 0;
    const read = await other.read();
    expect(reads.documents).toBe(2);
    expect(toDictionary(read.backlog)).toEqual(toDictionary((await store.read()).backlog));
  });

  it('keeps creation order when another replica deletes an epic and creates it again, and after a replacement', async () => {
    const { dbName, store } = await storedDatabase();
    const other = await open(dbName);
    await other.read();
    await store.update((b) => createEpic(b, { id: 'EpicC' }));
    await store.update((b) => deleteEpic(b, 'EpicA'));
    await store.update((b) => createEpic(b, { id: 'EpicA' }));
    expect([...(await other.read()).backlog.epics.keys()]).toEqual(['Epic.$B', 'EpicC', 'EpicA']);
    await store.update((b) =>
      replaceChange(
        b,
        backlogFromDictionary([
          ['Z', {}],
          ['Y', { Epics: ['Z'] }],
        ]),
      ),
    );
    expect([...(await other.read()).backlog.epics.keys()]).toEqual(['Z', 'Y']);
    await other.update((b) => createEpic(b, { id: 'X' }));
    expect([...(await store.read()).backlog.epics.keys()]).toEqual(['Z', 'Y', 'X']);
  });

  it('refuses a write whose If-Match another replica has made stale, writing nothing', async () => {
    const { dbName, store } = await storedDatabase();
    const other = await open(dbName);
    const { revision } = await other.read();
    await store.update((b) => createEpic(b, { id: 'EpicC' }));
    const stale = other.update((b) => createEpic(b, { id: 'EpicD' }), { ifRevision: [revision] });
    await expect(stale).rejects.toBeInstanceOf(RevisionMismatch);
    const read = await store.read();
    expect(read.revision).toBe(revision + 1);
    expect(read.backlog.has('EpicD')).toBe(false);
  });

  it('keeps the commit records bounded: a commit at a multiple of 100 prunes those 10,000 revisions older', async () => {
    const { dbName } = await storedDatabase();
    await databases.closeStores();
    const round = 1_000_000;
    await withClient(async (client) => {
      const db = client.db(dbName);
      await db
        .collection<{ _id: string }>('backlog_meta')
        .updateOne({ _id: 'backlog' }, { $set: { revision: round - 1 } });
      await db.collection('commits').deleteMany({});
      const old = (id: number) => ({ _id: id, commitId: `old-${id}`, at: new Date(), epics: [] });
      await db.collection<{ _id: number }>('commits').insertMany([old(5), old(round - 10_000), old(round - 9_999)]);
    });
    const reopened = await open(dbName);
    expect((await reopened.update((b) => createEpic(b, { id: 'EpicC' }))).revision).toBe(round);
    const ids = (await collection<{ _id: number }>(dbName, 'commits')).map((record) => record._id);
    expect(ids).toEqual([round - 9_999, round]);
  });

  it('gives a database written before revisions were numbers a numbered revision', async () => {
    const dbName = databases.create();
    await withClient(async (client) => {
      const db = client.db(dbName);
      await db
        .collection<{ _id: string }>('epics')
        .insertOne({ _id: 'Old', seq: 0, tasks: ['t'], bugs: [], epics: [] } as never);
      await db
        .collection<{ _id: string }>('backlog_meta')
        .insertOne({ _id: 'backlog', version: 7, revision: 'a-random-id' } as never);
    });
    const before = Date.now();
    const store = await open(dbName);
    const read = await store.read();
    expect(read.revision).toBeGreaterThanOrEqual(before);
    expect(toDictionary(read.backlog)).toEqual([['Old', { Tasks: ['t'], Bugs: [], Epics: [] }]]);
    expect((await store.update((b) => addTask(b, 'Old', 'u'))).revision).toBe(read.revision + 1);
  });

  describe('on damaged documents', () => {
    it('answers StoreUnavailable caused by StoreCorrupted, naming the document', async () => {
      const { dbName, store } = await storedDatabase();
      await withClient((client) =>
        client
          .db(dbName)
          .collection<{ _id: string }>('epics')
          .updateOne({ _id: 'EpicA' }, { $set: { tasks: 'not a list' } }),
      );
      await bumpRevision(dbName);
      const reading = store.read();
      await expect(reading).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(reading).rejects.toThrow(/epic document "EpicA" is damaged/);
      await expect(reading.catch((error) => error.cause)).resolves.toBeInstanceOf(StoreCorrupted);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.update((b) => addTask(b, 'EpicA', 'T'))).rejects.toBeInstanceOf(StoreUnavailable);
    });

    it('finds a broken rule among the epics a commit record names (a link to a missing epic)', async () => {
      const { dbName, store } = await storedDatabase();
      await store.read();
      await withClient((client) =>
        client
          .db(dbName)
          .collection<{ _id: string }>('epics')
          .updateOne({ _id: 'EpicA' }, { $set: { epics: ['Nowhere'] } }),
      );
      await bumpRevision(dbName, ['EpicA']);
      const reading = store.read();
      await expect(reading).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(reading).rejects.toThrow(/Nowhere/);
      await expect(reading.catch((error) => error.cause)).resolves.toBeInstanceOf(StoreCorrupted);
    });

    it('refuses to start on a backlog that breaks a rule (a link to a missing epic)', async () => {
      const { dbName } = await storedDatabase();
      await databases.closeStores();
      await withClient((client) => client.db(dbName).collection<{ _id: string }>('epics').deleteOne({ _id: 'EpicA' }));
      const opening = openMongoStore(dbName);
      await expect(opening).rejects.toBeInstanceOf(StoreCorrupted);
      await expect(opening).rejects.toThrow(/EpicA/);
    });

    it('refuses to start on a damaged meta document', async () => {
      const { dbName } = await storedDatabase();
      await databases.closeStores();
      await withClient((client) =>
        client
          .db(dbName)
          .collection<{ _id: string }>('backlog_meta')
          .updateOne({ _id: 'backlog' }, { $set: { revision: 'seven' } }),
      );
      await expect(openMongoStore(dbName)).rejects.toThrow(/meta document is damaged/);
    });
  });
});

/** A commit made by hand: the revision moves on, with a record naming `epics` (none: no record). */
function bumpRevision(dbName: string, epics?: string[]): Promise<unknown> {
  return withClient(async (client) => {
    const db = client.db(dbName);
    const meta = db.collection<{ _id: string; revision: number; commitId: string }>('backlog_meta');
    const before = await meta.findOneAndUpdate(
      { _id: 'backlog' },
      { $inc: { revision: 1 }, $set: { commitId: 'edited by hand' } },
      { returnDocument: 'before' },
    );
    if (!epics || !before) return;
    await db
      .collection<{ _id: number }>('commits')
      .insertOne({ _id: before.revision + 1, commitId: 'edited by hand', at: new Date(), epics } as never);
  });
}
