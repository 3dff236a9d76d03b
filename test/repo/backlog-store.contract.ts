import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addBug,
  addTask,
  type BacklogStore,
  createEpic,
  deleteEpic,
  EpicExists,
  linkEpics,
  noChange,
  RevisionMismatch,
  removeTask,
  replaceChange,
  toDictionary,
} from '../../src/domain/index.js';
import { specBacklog } from '../helpers/backlogs.js';

export interface StoreUnderTest {
  store: BacklogStore;
  /** Opens a second store on the same data (a restart, or another replica); required when persistent. */
  reopen?: () => Promise<BacklogStore>;
  cleanup: () => Promise<void>;
}

const replaceWithSpec = () => (b: Parameters<typeof replaceChange>[0]) => replaceChange(b, specBacklog());
const specDictionary = () => toDictionary(specBacklog());

/** The behaviour every BacklogStore implementation must show. */
export function describeBacklogStoreContract(
  name: string,
  open: () => Promise<StoreUnderTest>,
  options: { persistent: boolean },
): void {
  describe(`BacklogStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: BacklogStore;
    const dictionary = async () => toDictionary((await store.read()).backlog);
    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.store.close();
      await subject.cleanup();
    });

    it('starts empty, at a revision', async () => {
      const { backlog, revision } = await store.read();
      expect(backlog.size).toBe(0);
      expect(Number.isSafeInteger(revision)).toBe(true);
    });

    it('commits an update, one revision further, and reads it back', async () => {
      const start = (await store.read()).revision;
      const commit = await store.update(replaceWithSpec());
      expect(commit.revision).toBe(start + 1);
      expect(toDictionary(commit.backlog)).toEqual(specDictionary());
      const read = await store.read();
      expect(read.revision).toBe(start + 1);
      expect(await dictionary()).toEqual(specDictionary());
    });

    it('reports the change it committed, status transitions included', async () => {
      await store.update(replaceWithSpec());
      await store.update((b) => removeTask(b, 'TaskA1'));
      const commit = await store.update((b) => removeTask(b, 'TaskA2'));
      expect([...commit.change.put.keys()]).toEqual(['EpicA']);
      expect(commit.change.statusChanges).toEqual([{ epic: 'EpicA', from: 'wip', to: 'blocked' }]);
      expect(commit.backlog.status('EpicA')).toBe('blocked');
    });

    it('commits nothing, and keeps the revision, for a change that changes nothing', async () => {
      await store.update(replaceWithSpec());
      const before = (await store.read()).revision;
      const commit = await store.update((b) => noChange(b));
      expect(commit.revision).toBe(before);
      const again = await store.update(replaceWithSpec());
      expect(again.revision).toBe(before);
      expect((await store.read()).revision).toBe(before);
    });

    it('commits only at a revision If-Match names; otherwise RevisionMismatch and nothing written', async () => {
      const { revision } = await store.update(replaceWithSpec());
      const stale = store.update((b) => createEpic(b, { id: 'Late' }), { ifRevision: [revision - 1] });
      await expect(stale).rejects.toBeInstanceOf(RevisionMismatch);
      expect((await store.read()).revision).toBe(revision);
      expect(await dictionary()).toEqual(specDictionary());
      const current = await store.update((b) => createEpic(b, { id: 'OnTime' }), { ifRevision: [revision] });
      expect(current.revision).toBe(revision + 1);
      expect((await store.read()).backlog.has('OnTime')).toBe(true);
    });

    it('keeps creation order and list order', async () => {
      await store.update(replaceWithSpec());
      await store.update((b) => createEpic(b, { id: 'Epic0', tasks: ['z', 'a'] }));
      await store.update((b) => addTask(b, 'EpicA', 'TaskA0'));
      const { backlog } = await store.read();
      expect([...backlog.epics.keys()]).toEqual(['EpicA', 'EpicB', 'EpicC', 'EpicD', 'EpicE', 'Epic0']);
      expect(backlog.epic('EpicA').tasks).toEqual(['TaskA1', 'TaskA2', 'TaskA0']);
      expect(backlog.epic('Epic0').tasks).toEqual(['z', 'a']);
    });

    it('stores ids as given, __proto__ and any Unicode included', async () => {
      const ids = ['__proto__', 'constructor', 'toString', 'épique 史诗 😀', 'a.b$c', 'hasOwnProperty'];
      for (const id of ids) await store.update((b) => createEpic(b, { id, tasks: [`${id}-task`], bugs: [id] }));
      const { backlog } = await store.read();
      expect([...backlog.epics.keys()]).toEqual(ids);
      expect(backlog.epic('__proto__').tasks).toEqual(['__proto__-task']);
    });

    it('writes nothing, and keeps the revision, when the change throws', async () => {
      const { revision } = await store.update(replaceWithSpec());
      await expect(store.update((b) => createEpic(b, { id: 'EpicA' }))).rejects.toBeInstanceOf(EpicExists);
      expect(await dictionary()).toEqual(specDictionary());
      expect((await store.read()).revision).toBe(revision);
    });

    it('loses no update among 100 concurrent ones, each its own revision', async () => {
      await store.update((b) => createEpic(b, { id: 'E' }));
      const commits = await Promise.all(
        Array.from({ length: 100 }, (_, i) => store.update((b) => addBug(b, 'E', `bug-${i}`))),
      );
      expect(new Set(commits.map((commit) => commit.revision)).size).toBe(100);
      expect((await store.read()).backlog.epic('E').bugs).toHaveLength(100);
    });

    it('hands `use` a backlog that no other commit changes while it runs, reads and updates interleaved', async () => {
      await store.update((b) => createEpic(b, { id: 'E', tasks: Array.from({ length: 40 }, (_, i) => `t${i}`) }));
      const answers = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          i % 2 === 0
            ? store.read(({ backlog, revision }) => ({ tasks: backlog.epic('E').tasks.length, revision }))
            : store.update(
                (b) => removeTask(b, `t${(i - 1) / 2}`),
                {},
                ({ backlog, revision }) => ({
                  tasks: backlog.epic('E').tasks.length,
                  revision,
                }),
              ),
        ),
      );
      // Every answer is consistent: a revision's task count is the same wherever it was seen.
      const seen = new Map<number, number>();
      for (const { tasks, revision } of answers) {
        expect(seen.get(revision) ?? tasks, `revision ${revision}`).toBe(tasks);
        seen.set(revision, tasks);
      }
      expect((await store.read()).backlog.epic('E').tasks).toEqual([]);
    });

    it('lets exactly one of 30 concurrent adds of one task id succeed', async () => {
      for (const id of ['A', 'B', 'C']) await store.update((b) => createEpic(b, { id }));
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => store.update((b) => addTask(b, ['A', 'B', 'C'][i % 3] as string, 'T'))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const owners = [...(await store.read()).backlog.epics.values()].filter((e) => e.tasks.includes('T'));
      expect(owners).toHaveLength(1);
    });

    it('never lets opposite links raced in parallel both succeed', async () => {
      for (const id of ['P', 'Q']) await store.update((b) => createEpic(b, { id }));
      const results = await Promise.allSettled([
        store.update((b) => linkEpics(b, 'P', 'Q')),
        store.update((b) => linkEpics(b, 'Q', 'P')),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('deletes epics', async () => {
      await store.update(replaceWithSpec());
      await store.update((b) => deleteEpic(b, 'EpicC'));
      const { backlog } = await store.read();
      expect([...backlog.epics.keys()]).toEqual(['EpicA', 'EpicB', 'EpicD', 'EpicE']);
      expect(backlog.epic('EpicD').epics).toEqual([]);
    });

    it('replaces the whole backlog', async () => {
      await store.update(replaceWithSpec());
      await store.update((b) => createEpic(b, { id: 'Extra' }));
      await store.update(replaceWithSpec());
      expect(await dictionary()).toEqual(specDictionary());
    });

    // Only persistent stores can be reopened; no test is registered for the others.
    if (!options.persistent) return;
    it('shows committed updates and their revision to a store reopened on the same data, and goes on from there', async () => {
      await store.update(replaceWithSpec());
      await store.update((b) => addTask(b, 'EpicC', 'TaskC1'));
      await store.update((b) => deleteEpic(b, 'EpicE'));
      const { revision } = await store.read();
      const expected = await dictionary();
      await store.close();
      const reopened = await (subject.reopen as () => Promise<BacklogStore>)();
      subject.store = reopened;
      const read = await reopened.read();
      expect(toDictionary(read.backlog)).toEqual(expected);
      expect(read.backlog.status('EpicC')).toBe('wip');
      expect(read.revision).toBe(revision);
      expect((await reopened.update((b) => createEpic(b, { id: 'After' }))).revision).toBe(revision + 1);
    });
  });
}
