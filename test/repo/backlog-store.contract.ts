import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addBug,
  addTask,
  type BacklogStore,
  createEpic,
  deleteEpic,
  EpicExists,
  type EventCause,
  EventsPruned,
  linkEpics,
  noChange,
  progressOf,
  RevisionMismatch,
  removeBug,
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

const cause = (actor: string | null, ...ids: string[]): EventCause => ({
  actor,
  operation: { method: 'DELETE', route: '/v1/tasks/{taskId}', ids },
});

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

    it('writes one event per commit, seq = revision, with its cause and status changes, and none for a no-op or a refusal', async () => {
      const start = (await store.read()).revision;
      const replaced = await store.update(replaceWithSpec(), { cause: cause('alice') });
      const commit = await store.update((b) => removeBug(b, 'BugE1'), { cause: cause('bob', 'BugE1') });
      await store.update((b) => noChange(b), { cause: cause('carol') });
      await expect(store.update((b) => createEpic(b, { id: 'EpicA' }), { cause: cause('dave') })).rejects.toThrow(
        EpicExists,
      );
      await expect(
        store.update((b) => deleteEpic(b, 'EpicA'), { ifRevision: [start], cause: cause('eve') }),
      ).rejects.toThrow(RevisionMismatch);
      expect(commit.event).toMatchObject({ seq: start + 2, actor: 'bob', changes: commit.change.statusChanges });
      const { events, next } = await store.events(start, 100);
      expect(next).toBeNull();
      expect(events.map((event) => [event.seq, event.actor])).toEqual([
        [start + 1, 'alice'],
        [start + 2, 'bob'],
      ]);
      expect(events[0]?.changes).toEqual(replaced.change.statusChanges);
      expect(events[1]).toEqual({
        seq: start + 2,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        actor: 'bob',
        operation: { method: 'DELETE', route: '/v1/tasks/{taskId}', ids: ['BugE1'] },
        changes: commit.change.statusChanges,
      });
      expect(commit.change.statusChanges.length).toBeGreaterThan(0);
    });

    it('pages events by `after` and `limit`, with `next` until the last page', async () => {
      const start = (await store.read()).revision;
      for (let i = 0; i < 5; i++) await store.update((b) => createEpic(b, { id: `E${i}` }));
      const first = await store.events(start, 2);
      expect(first.events.map((event) => event.seq)).toEqual([start + 1, start + 2]);
      expect(first.next).toBe(start + 2);
      const last = await store.events(start + 4, 2);
      expect(last.events.map((event) => event.seq)).toEqual([start + 5]);
      expect(last.next).toBeNull();
      expect((await store.events(undefined, 100)).events.map((event) => event.seq)).toEqual(
        [1, 2, 3, 4, 5].map((i) => start + i),
      );
      expect((await store.events(start + 5, 100)).events).toEqual([]);
      await expect(store.events(start - 1, 10)).rejects.toThrow(EventsPruned);
    });

    it("answers an epic's status timeline, oldest first, its deletion included", async () => {
      const start = (await store.read()).revision;
      await store.update((b) => createEpic(b, { id: 'Child', tasks: ['T1'] }), { cause: cause('alice') });
      await store.update((b) => createEpic(b, { id: 'Parent', epics: ['Child'] }));
      await store.update((b) => addBug(b, 'Child', 'B1'), { cause: cause('bob') });
      await store.update((b) => removeTask(b, 'T1'));
      await store.update((b) => removeBug(b, 'B1'), { cause: cause('carol') });
      await store.update((b) => deleteEpic(b, 'Parent'));
      const history = await store.history('Parent');
      expect(history.map(({ seq, from, to }) => [seq - start, from, to])).toEqual([
        [2, null, 'blocked'],
        [4, 'blocked', 'pending_validation'],
        [5, 'pending_validation', 'completed'],
        [6, 'completed', null],
      ]);
      expect((await store.history('Child')).map(({ to, actor }) => [to, actor])).toEqual([
        ['wip', 'alice'],
        ['pending_validation', null],
        ['completed', 'carol'],
      ]);
      expect(await store.history('Nobody')).toEqual([]);
    });

    it('calls its watchers with the revision of each commit, and stops when told', async () => {
      const seen: number[] = [];
      const stop = store.watch((revision) => seen.push(revision));
      const one = await store.update((b) => createEpic(b, { id: 'A' }));
      await store.update((b) => noChange(b));
      const two = await store.update((b) => createEpic(b, { id: 'B' }));
      stop();
      await store.update((b) => createEpic(b, { id: 'C' }));
      // A store may also announce the revision current when the watch began (MongoDB does).
      expect(seen.filter((revision) => revision >= one.revision)).toEqual([one.revision, two.revision]);
      expect(seen.every((revision) => revision >= one.revision - 1)).toBe(true);
    });

    it('keeps what each epic marked done and fixed, for its progress', async () => {
      await store.update(replaceWithSpec());
      await store.update((b) => removeTask(b, 'TaskB1'));
      await store.update((b) => removeBug(b, 'BugB1'));
      const { backlog } = await store.read();
      expect(backlog.epic('EpicB')).toMatchObject({ tasks: ['TaskB2'], done: ['TaskB1'], bugs: [], fixed: ['BugB1'] });
      expect(progressOf(backlog, 'EpicA')).toEqual({ tasksDone: 1, tasksOpen: 3, bugsFixed: 1, bugsOpen: 0 });
    });

    // Only persistent stores can be reopened; no test is registered for the others.
    if (!options.persistent) return;
    it('keeps events, histories and progress across a reopen', async () => {
      await store.update(replaceWithSpec(), { cause: cause('alice') });
      await store.update((b) => removeTask(b, 'TaskB1'), { cause: cause('bob', 'TaskB1') });
      await store.update((b) => removeBug(b, 'BugE1'), { cause: cause('bob', 'BugE1') });
      await store.update((b) => addTask(b, 'EpicC', 'TaskC9'));
      const events = (await store.events(undefined, 1000)).events;
      const history = await store.history('EpicE');
      expect(history.map(({ to }) => to)).toEqual(['pending_validation', 'completed']);
      const progress = progressOf((await store.read()).backlog, 'EpicA');
      await store.close();
      const reopened = await (subject.reopen as () => Promise<BacklogStore>)();
      subject.store = reopened;
      expect((await reopened.events(undefined, 1000)).events).toEqual(events);
      expect(await reopened.history('EpicE')).toEqual(history);
      expect(progressOf((await reopened.read()).backlog, 'EpicA')).toEqual(progress);
      const after = await reopened.update((b) => removeTask(b, 'TaskC9'), { cause: cause('carol') });
      expect((await reopened.events(events.at(-1)?.seq, 10)).events).toEqual([after.event]);
    });

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
