import { describe, expect, it } from 'vitest';
import { createEpic } from '../../src/domain/index.js';
import { createTestStore } from '../helpers/test-store.js';
import { withClient } from './mongo-support.js';

const databases = () =>
  withClient(async (client) => (await client.db('admin').admin().listDatabases()).databases.map((db) => db.name));

describe('the test store of the MongoDB suite', () => {
  it('is a MongoDB database of its own, dropped on close (TEST_STORE=mongo)', async () => {
    expect(process.env.TEST_STORE).toBe('mongo');
    const before = await databases();
    const store = await createTestStore();
    await store.update((backlog) => createEpic(backlog, { id: 'EpicOnMongo' }));
    const added = (await databases()).filter((name) => !before.includes(name));
    expect(added).toHaveLength(1);
    const stored = await withClient((client) =>
      client
        .db(added[0] as string)
        .collection('epics')
        .find({})
        .toArray(),
    );
    expect(stored.map((epic) => epic._id)).toEqual(['EpicOnMongo']);
    await store.close();
    expect(await databases()).not.toContain(added[0]);
  });
});
