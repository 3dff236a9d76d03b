import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Backlog,
  backlogFromDictionary,
  computeStatuses,
  type DictionaryEntry,
  epicsBlockedByBug,
  mergeDictionary,
  type Status,
  toDictionary,
} from '../../src/domain/index.js';

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
        const statuses = computeStatuses(backlogFromDictionary(entries));
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
        const once = mergeDictionary(b, added);
        expect(plain(mergeDictionary(once, added))).toEqual(plain(once));
        const ids = [...once.epics.keys()];
        expect(ids.slice(0, b.epics.size)).toEqual([...b.epics.keys()]);
        for (const [id, entry] of [...base, ...added]) {
          const merged = once.epics.get(id);
          for (const task of entry.Tasks) expect(merged?.tasks).toContain(task);
          for (const bug of entry.Bugs) expect(merged?.bugs).toContain(bug);
          for (const child of entry.Epics) expect(merged?.epics).toContain(child);
        }
        for (const [id, epic] of b.epics) {
          expect(once.epics.get(id)?.tasks.slice(0, epic.tasks.length)).toEqual(epic.tasks);
        }
      }),
    );
  });
});
