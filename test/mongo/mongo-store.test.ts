import { afterEach, describe, expect, it } from 'vitest';
import { addTask, createEpic, StoreCorrupted, StoreUnavailable, toDictionary } from '../../src/domain/index.js';
import { describeBacklogStoreContract } from '../repo/backlog-store.contract.js';
import { dropDatabase, openMongoStore, uniqueDbName, withClient } from './mongo-support.js';

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

describe('mongodb store', () => {
  const dbNames: string[] = [];
  afterEach(async () => {
    for (const dbName of dbNames.splice(0)) await dropDatabase(dbName);
  });

  async function storedDatabase() {
    const dbName = uniqueDbName();
    dbNames.push(dbName);
    const store = await openMongoStore(dbName);
    await store.update((b) => createEpic(b, { id: 'EpicA', tasks: ['TaskA1'] }));
    await store.update((b) => createEpic(b, { id: 'Epic.$B', epics: ['EpicA'] }));
    return { dbName, store };
  }

  it('stores one document per epic, ids as values, in creation order', async () => {
    const { dbName, store } = await storedDatabase();
    await store.close();
    const documents = await withClient((client) =>
      client.db(dbName).collection('epics').find({}).sort({ seq: 1 }).toArray(),
    );
    expect(documents).toEqual([
      { _id: 'EpicA', seq: 0, tasks: ['TaskA1'], bugs: [], epics: [] },
      { _id: 'Epic.$B', seq: 1, tasks: [], bugs: [], epics: ['EpicA'] },
    ]);
  });

  it('creates its indexes at start-up, idempotently', async () => {
    const { dbName, store } = await storedDatabase();
    const again = await openMongoStore(dbName);
    const indexes = await withClient((client) => client.db(dbName).collection('epics').indexes());
    expect(indexes.find((index) => index.name === 'seq_unique')).toMatchObject({ key: { seq: 1 }, unique: true });
    await Promise.all([store.close(), again.close()]);
  });

  it('sees a write made by another replica on its next read', async () => {
    const { dbName, store } = await storedDatabase();
    const other = await openMongoStore(dbName);
    expect([...(await store.read()).epics.keys()]).toEqual(['EpicA', 'Epic.$B']);
    await other.update((b) => addTask(b, 'EpicA', 'TaskA2'));
    expect((await store.read()).epics.get('EpicA')?.tasks).toEqual(['TaskA1', 'TaskA2']);
    await store.update((b) => addTask(b, 'Epic.$B', 'TaskB1'));
    expect(toDictionary(await other.read())).toEqual(toDictionary(await store.read()));
    await Promise.all([store.close(), other.close()]);
  });

  it('keeps creation order when an epic is re-created or epics are reordered', async () => {
    const { store } = await storedDatabase();
    await store.update((b) => ({ epics: new Map([...b.epics].reverse()) }));
    expect([...(await store.read()).epics.keys()]).toEqual(['Epic.$B', 'EpicA']);
    await store.update((b) => createEpic(b, { id: 'EpicC' }));
    expect([...(await store.read()).epics.keys()]).toEqual(['Epic.$B', 'EpicA', 'EpicC']);
    await store.close();
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
      await bumpVersion(dbName);
      const reading = store.read();
      await expect(reading).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(reading).rejects.toThrow(/epic document "EpicA" is damaged/);
      await expect(reading.catch((error) => error.cause)).resolves.toBeInstanceOf(StoreCorrupted);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.update((b) => addTask(b, 'EpicA', 'T'))).rejects.toBeInstanceOf(StoreUnavailable);
      await store.close();
    });

    it('refuses to start on a backlog that breaks a rule (a link to a missing epic)', async () => {
      const { dbName, store } = await storedDatabase();
      await store.close();
      await withClient((client) => client.db(dbName).collection<{ _id: string }>('epics').deleteOne({ _id: 'EpicA' }));
      const opening = openMongoStore(dbName);
      await expect(opening).rejects.toBeInstanceOf(StoreCorrupted);
      await expect(opening).rejects.toThrow(/EpicA/);
    });

    it('refuses to start on a damaged meta document', async () => {
      const { dbName, store } = await storedDatabase();
      await store.close();
      await withClient((client) =>
        client
          .db(dbName)
          .collection<{ _id: string }>('backlog_meta')
          .updateOne({ _id: 'backlog' }, { $set: { version: 'seven' } }),
      );
      await expect(openMongoStore(dbName)).rejects.toThrow(/meta document is damaged/);
    });
  });
});

function bumpVersion(dbName: string): Promise<unknown> {
  return withClient((client) =>
    client
      .db(dbName)
      .collection<{ _id: string; version: number; revision: string }>('backlog_meta')
      .updateOne({ _id: 'backlog' }, { $inc: { version: 1 }, $set: { revision: 'edited by hand' } }),
  );
}
