import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBug,
  addTask,
  applyChange,
  type Backlog,
  backlogFromDictionary,
  type Change,
  createEpic,
  type DictionaryEntry,
  DomainError,
  deleteEpic,
  epicsBlockedByBug,
  linkEpics,
  mergeDictionary,
  progressOf,
  removeBug,
  removeTask,
  type Status,
  toDictionary,
  unlinkEpics,
} from '../../src/domain/index.js';
import { derived, rebuilt } from '../helpers/backlogs.js';

type Entries = [string, Required<DictionaryEntry>][];

// Prototype names among the ids, so that every property also holds for them.
const NAMES = ['__proto__', 'constructor', 'toString', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9', 'E10', 'E11'];
const BUGS = ['x', 'y', 'z', 'constructor'];
const MAX_EPICS = NAMES.length;

interface Shape {
  /** Whether each epic of the universe is in this dictionary. */
  present: boolean[];
  /** Candidate children of each epic; only those of a higher index are kept, which keeps every graph acyclic. */
  links: number[][];
  tasks: number[];
  bugs: string[][];
  /** Creation order: a permutation of the universe. */
  order: number[];
}

const shapeArb = (n: number): fc.Arbitrary<Shape> =>
  fc.record({
    present: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    links: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }), {
      minLength: n,
      maxLength: n,
    }),
    tasks: fc.array(fc.nat(2), { minLength: n, maxLength: n }),
    bugs: fc.array(fc.subarray(BUGS), { minLength: n, maxLength: n }),
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
  });

/**
 * A dictionary over the first n names. `linkable` says which epics its links
 * may name (itself, plus those of the backlog it will be merged into).
 */
function toEntries(shape: Shape, taskPrefix: string, linkable: (i: number) => boolean): Entries {
  return shape.order
    .filter((i) => shape.present[i])
    .map((i): [string, Required<DictionaryEntry>] => [
      NAMES[i] as string,
      {
        Tasks: Array.from({ length: shape.tasks[i] as number }, (_, k) => `${taskPrefix}${i}.${k}`),
        Bugs: shape.bugs[i] as string[],
        Epics: (shape.links[i] as number[]).filter((j) => j > i && linkable(j)).map((j) => NAMES[j] as string),
      },
    ]);
}

const dagArb = fc
  .integer({ min: 1, max: MAX_EPICS })
  .chain((n) => shapeArb(n))
  .map((shape) => toEntries(shape, 'T', (j) => shape.present[j] === true));

/** Two dictionaries over one universe, the second one's links allowed to name the first one's epics. */
const mergeCaseArb = fc
  .integer({ min: 1, max: MAX_EPICS })
  .chain((n) => fc.tuple(shapeArb(n), shapeArb(n)))
  .map(([first, second]) => ({
    base: toEntries(first, 'T', (j) => first.present[j] === true),
    added: toEntries(second, 'U', (j) => first.present[j] === true || second.present[j] === true),
  }));

/** T*(e) or B*(e) by plain reachability over the dictionary. */
function closure(entries: Entries, id: string, list: 'Tasks' | 'Bugs'): Set<string> {
  const byId = new Map(entries);
  const seen = new Set([id]);
  const queue = [id];
  const items = new Set<string>();
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const entry = byId.get(next) as Required<DictionaryEntry>;
    for (const item of entry[list]) items.add(item);
    for (const child of entry.Epics) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return items;
}

/** SPEC section 2, the closed form. */
function closedFormStatus(entries: Entries, id: string): Status {
  const own = new Map(entries).get(id) as Required<DictionaryEntry>;
  if (own.Tasks.length > 0) return 'wip';
  if (closure(entries, id, 'Tasks').size > 0) return 'blocked';
  if (closure(entries, id, 'Bugs').size > 0) return 'pending_validation';
  return 'completed';
}

const plain = (b: Backlog) => toDictionary(b);

describe('properties on random DAGs', () => {
  it('computeStatuses equals the closed form over T* and B*', () => {
    fc.assert(
      fc.property(dagArb, (entries) => {
        const statuses = backlogFromDictionary(entries).statuses;
        expect([...statuses.keys()]).toEqual(entries.map(([id]) => id));
        for (const [id] of entries) expect(statuses.get(id)).toBe(closedFormStatus(entries, id));
      }),
    );
  });

  it('blocked-by-bug is {e : x in B*(e)}, and highest are those with no blocked parent', () => {
    fc.assert(
      fc.property(dagArb, (entries) => {
        const b = backlogFromDictionary(entries);
        const reported = new Set(entries.flatMap(([, entry]) => entry.Bugs));
        for (const bug of reported) {
          const expected = entries.map(([id]) => id).filter((id) => closure(entries, id, 'Bugs').has(bug));
          const blocked = new Set(expected);
          const highest = expected.filter(
            (id) => !entries.some(([parent, entry]) => blocked.has(parent) && entry.Epics.includes(id)),
          );
          const answer = epicsBlockedByBug(b, bug);
          expect(answer.blocked.map((epic) => epic.id)).toEqual(expected);
          expect(answer.highest).toEqual(highest);
          expect(answer.highest.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('export then import gives the same backlog, creation order included', () => {
    fc.assert(
      fc.property(dagArb, (entries) => {
        const b = backlogFromDictionary(entries);
        expect(plain(b)).toEqual(entries);
        expect(plain(backlogFromDictionary(toDictionary(b)))).toEqual(plain(b));
      }),
    );
  });

  it('merge is idempotent, keeps what was there and adds what was imported', () => {
    fc.assert(
      fc.property(mergeCaseArb, ({ base, added }) => {
        const b = backlogFromDictionary(base);
        const before = plain(b);
        const once = applyChange(mergeDictionary(backlogFromDictionary(base), added));
        const again = mergeDictionary(once, added);
        expect(again.put.size + again.deleted.size).toBe(0);
        const ids = [...once.epics.keys()];
        expect(ids.slice(0, b.epics.size)).toEqual(before.map(([id]) => id));
        for (const [id, entry] of [...base, ...added]) {
          const merged = once.epics.get(id);
          for (const task of entry.Tasks) expect(merged?.tasks).toContain(task);
          for (const bug of entry.Bugs) expect(merged?.bugs).toContain(bug);
          for (const child of entry.Epics) expect(merged?.epics).toContain(child);
        }
        for (const [id, entry] of before) {
          expect(once.epics.get(id)?.tasks.slice(0, entry.Tasks.length)).toEqual(entry.Tasks);
        }
      }),
    );
  });
});

/** One step of a random session; indexes pick among what exists at that moment. */
type Step =
  | { op: 'create'; name: number; tasks: number; bug: number; link: number }
  | { op: 'delete' | 'addTask' | 'removeTask' | 'addBug' | 'removeBug'; at: number; item: number }
  | { op: 'link' | 'unlink'; at: number; other: number }
  | { op: 'reopen'; at: number; item: number }
  | { op: 'merge'; shape: Shape };

const POOL = [...NAMES, 'E12', 'E13', 'E14', 'E15'];
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('create' as const),
    name: fc.nat(POOL.length - 1),
    tasks: fc.nat(2),
    bug: fc.nat(5),
    link: fc.nat(20),
  }),
  fc.record({
    op: fc.constantFrom(
      'delete' as const,
      'addTask' as const,
      'removeTask' as const,
      'addBug' as const,
      'removeBug' as const,
    ),
    at: fc.nat(50),
    item: fc.nat(50),
  }),
  fc.record({ op: fc.constantFrom('link' as const, 'unlink' as const), at: fc.nat(50), other: fc.nat(50) }),
  fc.record({ op: fc.constant('merge' as const), shape: shapeArb(6) }),
  fc.record({ op: fc.constant('reopen' as const), at: fc.nat(50), item: fc.nat(50) }),
);

let taskCounter = 0;

/** The change a step asks for on `b` (which may be refused with a DomainError, as a request would be). */
function planStep(b: Backlog, step: Step): Change {
  const ids = [...b.epics.keys()];
  const pick = (i: number) => ids[i % Math.max(ids.length, 1)] ?? 'missing';
  switch (step.op) {
    case 'create':
      return createEpic(b, {
        id: POOL[step.name] as string,
        tasks: Array.from({ length: step.tasks }, () => `t${taskCounter++}`),
        bugs: step.bug < BUGS.length ? [BUGS[step.bug] as string] : [],
        epics: ids.length > 0 && step.link < 10 ? [pick(step.link)] : [],
      });
    case 'delete':
      return deleteEpic(b, pick(step.at));
    case 'addTask':
      return addTask(b, pick(step.at), `t${taskCounter++}`);
    case 'removeTask': {
      const tasks = [...b.taskOwners.keys()];
      return removeTask(b, tasks[step.item % Math.max(tasks.length, 1)] ?? 'no-task');
    }
    case 'addBug':
      return addBug(b, pick(step.at), BUGS[step.item % BUGS.length] as string);
    case 'removeBug':
      return removeBug(b, BUGS[step.item % BUGS.length] as string);
    case 'link':
      return linkEpics(b, pick(step.at), pick(step.other));
    case 'unlink': {
      const withLinks = ids.filter((id) => b.epic(id).epics.length > 0);
      const parent = withLinks[step.at % Math.max(withLinks.length, 1)] ?? pick(step.at);
      const children = b.has(parent) ? b.epic(parent).epics : [];
      return unlinkEpics(b, parent, children[step.other % Math.max(children.length, 1)] ?? pick(step.other));
    }
    case 'reopen': {
      // A task marked done somewhere, added again (to any epic).
      const done = ids.flatMap((id) => b.epic(id).done ?? []);
      return addTask(b, pick(step.at), done[step.item % Math.max(done.length, 1)] ?? `t${taskCounter++}`);
    }
    case 'merge':
      return mergeDictionary(
        b,
        toEntries(step.shape, `m${taskCounter++}.`, (j) => step.shape.present[j] === true || b.has(NAMES[j] as string)),
      );
  }
}

describe('random operation sequences', () => {
  it('after every step, the incremental statuses and indexes equal a recomputation from scratch', () => {
    const applied = new Map<Step['op'], number>();
    fc.assert(
      fc.property(dagArb, fc.array(stepArb, { maxLength: 30 }), (entries, steps) => {
        let b = backlogFromDictionary(entries);
        for (const step of steps) {
          const before = derived(b);
          let change: Change;
          try {
            change = planStep(b, step);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            expect(derived(b)).toEqual(before); // a refused operation changes nothing
            continue;
          }
          expect(derived(b)).toEqual(before); // planning never touches the backlog
          const statusesBefore = new Map(b.statuses);
          b = applyChange(change);
          applied.set(step.op, (applied.get(step.op) ?? 0) + 1);
          expect(derived(b)).toEqual(derived(rebuilt(b)));
          for (const [id] of toDictionary(b)) expect(b.status(id)).toBe(closedFormStatus(toDictionary(b), id));
          // The change reports exactly the status transitions it caused.
          const transitions = new Map(change.statusChanges.map(({ epic, from, to }) => [epic, { from, to }]));
          for (const id of new Set([...statusesBefore.keys(), ...b.statuses.keys()])) {
            const from = statusesBefore.get(id) ?? null;
            const to = b.statuses.get(id) ?? null;
            expect(transitions.get(id) ?? { from, to: from }, id).toEqual({ from, to });
          }
        }
      }),
      { numRuns: 400 },
    );
    // The sessions exercised every operation, not only refusals.
    for (const op of ['create', 'delete', 'addTask', 'removeTask', 'addBug', 'removeBug', 'link', 'unlink', 'merge']) {
      expect(applied.get(op as Step['op']) ?? 0, op).toBeGreaterThan(10);
    }
  });
});

/**
 * What each epic remembers as done and fixed, kept by the rules of SPEC section 8
 * from the operations alone (not from the backlog's own lists).
 */
class ProgressModel {
  readonly done = new Map<string, Set<string>>();
  readonly fixed = new Map<string, Set<string>>();

  /** Records what `step`, applied to `before` (the backlog it was planned on), marks or reopens. */
  record(before: Backlog, step: Step, change: Change): void {
    const list = (lists: Map<string, Set<string>>, id: string) => {
      const set = lists.get(id) ?? new Set<string>();
      lists.set(id, set);
      return set;
    };
    for (const id of change.deleted) {
      this.done.delete(id);
      this.fixed.delete(id);
    }
    if (change.replacement) return;
    if (step.op === 'removeTask') {
      for (const [id, epic] of change.put) {
        for (const task of before.epic(id).tasks) if (!epic.tasks.includes(task)) list(this.done, id).add(task);
      }
    }
    if (step.op === 'removeBug') {
      const bug = BUGS[step.item % BUGS.length] as string;
      for (const id of change.put.keys()) list(this.fixed, id).add(bug);
    }
    // Adding an id again (a task, a bug, an import) reopens it in the epic it is added to.
    for (const [id, epic] of change.put) {
      const old = before.has(id) ? before.epic(id) : undefined;
      for (const task of epic.tasks) if (!old?.tasks.includes(task)) this.done.get(id)?.delete(task);
      for (const bug of epic.bugs) if (!old?.bugs.includes(bug)) this.fixed.get(id)?.delete(bug);
    }
  }

  /** The progress of `epicId` counted from scratch over the epics it reaches in the dictionary. */
  progress(entries: Entries, epicId: string) {
    const byId = new Map(entries);
    const reach = new Set([epicId]);
    for (const id of reach) for (const child of byId.get(id)?.Epics ?? []) reach.add(child);
    const open = (key: 'Tasks' | 'Bugs') => new Set([...reach].flatMap((id) => byId.get(id)?.[key] ?? []));
    const closed = (lists: Map<string, Set<string>>, opened: Set<string>) =>
      new Set([...reach].flatMap((id) => [...(lists.get(id) ?? [])]).filter((id) => !opened.has(id)));
    const tasks = open('Tasks');
    const bugs = open('Bugs');
    return {
      tasksDone: closed(this.done, tasks).size,
      tasksOpen: tasks.size,
      bugsFixed: closed(this.fixed, bugs).size,
      bugsOpen: bugs.size,
    };
  }
}

// Reopening is drawn more often here: a done task must exist first, so most draws find none.
const progressStepArb: fc.Arbitrary<Step> = fc.oneof(
  stepArb,
  fc.record({ op: fc.constant('reopen' as const), at: fc.nat(50), item: fc.nat(50) }),
);

describe('progress on random operation sequences', () => {
  it('equals a count from scratch over the reachable epics, after every step', () => {
    let reopened = 0;
    fc.assert(
      fc.property(dagArb, fc.array(progressStepArb, { maxLength: 30 }), (entries, steps) => {
        let b = backlogFromDictionary(entries);
        const model = new ProgressModel();
        for (const step of steps) {
          let change: Change;
          try {
            change = planStep(b, step);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            continue;
          }
          if (step.op === 'reopen' && [...model.done.values()].some((set) => set.size > 0)) reopened++;
          model.record(b, step, change);
          b = applyChange(change);
          const dictionary = toDictionary(b);
          for (const [id] of dictionary) expect(progressOf(b, id), id).toEqual(model.progress(dictionary, id));
        }
      }),
      { numRuns: 400 },
    );
    expect(reopened).toBeGreaterThan(10);
  });
});
