import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addBug,
  addTask,
  type Backlog,
  type BacklogStore,
  createEpic,
  EpicExists,
  linkEpics,
  toDictionary,
} from '../../src/domain/index.js';
import { specBacklog } from '../helpers/backlogs.js';

export interface StoreUnderTest {
  store: BacklogStore;
  /** Opens a second store on the same data (a restart, or another replica); required when persistent. */
  reopen?: () => Promise<BacklogStore>;
  cleanup: () => Promise<void>;
}

const specExample = specBacklog();

function replaceWith(target: Backlog) {
  return () => target;
}

/** The behaviour every BacklogStore implementation must show. */
export function describeBacklogStoreContract(
  name: string,
  open: () => Promise<StoreUnderTest>,
  options: { persistent: boolean },
): void {
  describe(`BacklogStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    beforeEach(async () => {
      subject = await open();
    });
    afterEach(async () => {
      await subject.store.close();
      await subject.cleanup();
    });

    it('starts empty', async () => {
      expect((await subject.store.read()).epics.size).toBe(0);
    });

    it('commits an update and returns the committed backlog', async () => {
      const committed = await subject.store.update(replaceWith(specExample));
      expect(toDictionary(committed)).toEqual(toDictionary(specExample));
      expect(toDictionary(await subject.store.read())).toEqual(toDictionary(specExample));
    });

    it('keeps creation order and list order', async () => {
      await subject.store.update(replaceWith(specExample));
      await subject.store.update((b) => createEpic(b, { id: 'Epic0', tasks: ['z', 'a'] }));
      await subject.store.update((b) => addTask(b, 'EpicA', 'TaskA0'));
      const ids = [...(await subject.store.read()).epics.keys()];
      expect(ids).toEqual(['EpicA', 'EpicB', 'EpicC', 'EpicD', 'EpicE', 'Epic0']);
      expect((await subject.store.read()).epics.get('EpicA')?.tasks).toEqual(['TaskA1', 'TaskA2', 'TaskA0']);
      expect((await subject.store.read()).epics.get('Epic0')?.tasks).toEqual(['z', 'a']);
    });

    it('stores ids as given, __proto__ and any Unicode included', async () => {
      const ids = ['__proto__', 'constructor', 'toString', 'épique 史诗 😀', 'a.b$c', 'hasOwnProperty'];
      for (const id of ids) await subject.store.update((b) => createEpic(b, { id, tasks: [`${id}-task`], bugs: [id] }));
      const stored = await subject.store.read();
      expect([...stored.epics.keys()]).toEqual(ids);
      expect(stored.epics.get('__proto__')?.tasks).toEqual(['__proto__-task']);
    });

    it('writes nothing when the change throws', async () => {
      await subject.store.update(replaceWith(specExample));
      await expect(subject.store.update((b) => createEpic(b, { id: 'EpicA' }))).rejects.toBeInstanceOf(EpicExists);
      expect(toDictionary(await subject.store.read())).toEqual(toDictionary(specExample));
    });

    it('loses no update among 100 concurrent ones', async () => {
      await subject.store.update((b) => createEpic(b, { id: 'E' }));
      await Promise.all(Array.from({ length: 100 }, (_, i) => subject.store.update((b) => addBug(b, 'E', `bug-${i}`))));
      expect((await subject.store.read()).epics.get('E')?.bugs).toHaveLength(100);
    });

    it('lets exactly one of 30 concurrent adds of one task id succeed', async () => {
      for (const id of ['A', 'B', 'C']) await subject.store.update((b) => createEpic(b, { id }));
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          subject.store.update((b) => addTask(b, ['A', 'B', 'C'][i % 3] as string, 'T')),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const owners = [...(await subject.store.read()).epics.values()].filter((e) => e.tasks.includes('T'));
      expect(owners).toHaveLength(1);
    });

    it('never lets opposite links raced in parallel both succeed', async () => {
      for (const id of ['P', 'Q']) await subject.store.update((b) => createEpic(b, { id }));
      const results = await Promise.allSettled([
        subject.store.update((b) => linkEpics(b, 'P', 'Q')),
        subject.store.update((b) => linkEpics(b, 'Q', 'P')),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('deletes epics', async () => {
      await subject.store.update(replaceWith(specExample));
      await subject.store.update((b) => ({ epics: new Map([...b.epics].filter(([id]) => id !== 'EpicC')) }));
      expect([...(await subject.store.read()).epics.keys()]).toEqual(['EpicA', 'EpicB', 'EpicD', 'EpicE']);
    });

    // Only persistent stores can be reopened; no test is registered for the others.
    if (!options.persistent) return;
    it('shows committed updates to a store reopened on the same data', async () => {
      await subject.store.update(replaceWith(specExample));
      await subject.store.update((b) => addTask(b, 'EpicC', 'TaskC1'));
      const reopened = await (subject.reopen as () => Promise<BacklogStore>)();
      try {
        expect(toDictionary(await reopened.read())).toEqual(toDictionary(await subject.store.read()));
      } finally {
        await reopened.close();
      }
    });
  });
}
