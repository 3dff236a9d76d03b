import { describe, expect, it } from 'vitest';
import {
  addTask,
  applyChange,
  type Backlog,
  backlogFromDictionary,
  backlogView,
  bugsOfEpic,
  type DictionaryEntry,
  epicsBlockedByBug,
  epicsWithBlockedStatus,
  linkEpics,
  mergeDictionary,
  removeTask,
} from '../../src/domain/index.js';

const DEPTH = 100_000;

/** E0 -> E1 -> ... -> E99999, the last one holding a task and a bug; the root is created first. */
function deepChain(): Backlog {
  const entries: [string, DictionaryEntry][] = [];
  for (let i = 0; i < DEPTH; i++) {
    entries.push([`E${i}`, i + 1 < DEPTH ? { Epics: [`E${i + 1}`] } : { Tasks: ['t'], Bugs: ['x'] }]);
  }
  return backlogFromDictionary(entries);
}

/** 40 levels of two epics, each linking both epics of the next level: 2^40 paths from the top. */
function diamondLadder(levels: number): Backlog {
  const entries: [string, DictionaryEntry][] = [];
  for (let level = 0; level < levels; level++) {
    const next = level + 1 < levels ? [`L${level + 1}a`, `L${level + 1}b`] : [];
    entries.push([`L${level}a`, { Epics: next }], [`L${level}b`, { Epics: next }]);
  }
  entries.push(['Bottom', { Bugs: ['deep'] }]);
  return applyChange(mergeDictionary(backlogFromDictionary(entries), [[`L${levels - 1}b`, { Epics: ['Bottom'] }]]));
}

describe('at scale', () => {
  // Shared by the tests that only read it or are refused; a test that applies a change builds its own.
  const chain = deepChain();

  it('computes a 100,000-deep chain without overflowing the stack', () => {
    const statuses = chain.statuses;
    expect(statuses.get('E0')).toBe('blocked');
    expect(statuses.get(`E${DEPTH - 1}`)).toBe('wip');
    expect([...statuses.values()].filter((status) => status === 'blocked')).toHaveLength(DEPTH - 1);
    expect(bugsOfEpic(chain, 'E0')).toEqual([{ id: 'x', epics: [`E${DEPTH - 1}`] }]);
    const blocked = epicsBlockedByBug(chain, 'x');
    expect(blocked.blocked).toHaveLength(DEPTH);
    expect(blocked.highest).toEqual(['E0']);
    expect(epicsWithBlockedStatus(chain).highest).toEqual(['E0']);
    expect(backlogView(chain).epics).toHaveLength(DEPTH);
  });

  it('refuses the link that would close a 100,000-long cycle, naming it whole', () => {
    expect(() => linkEpics(chain, `E${DEPTH - 1}`, 'E0')).toThrow(
      new RegExp(`^Links would form a cycle: E${DEPTH - 1} -> E0 -> E1 -> .* -> E${DEPTH - 1}$`),
    );
  });

  it('carries a status change up the whole chain, and only the statuses that change', () => {
    const change = removeTask(deepChain(), 't');
    expect(change.statusChanges).toHaveLength(DEPTH);
    expect(change.statusChanges[0]).toEqual({ epic: 'E0', from: 'blocked', to: 'pending_validation' });
    expect(change.statusChanges.at(-1)).toEqual({ epic: `E${DEPTH - 1}`, from: 'wip', to: 'pending_validation' });
    const done = applyChange(change);
    expect(done.statusCounts.get('pending_validation')).toBe(DEPTH);
    expect(epicsWithBlockedStatus(done).blocked).toHaveLength(0);
    // A second change that moves only the bottom epic stops there.
    expect(removeTask(applyChange(addTask(done, 'E5', 'u')), 'u').statusChanges).toHaveLength(6);
  });

  it('computes a diamond ladder of 40 levels (2^40 paths) without walking the paths', () => {
    const ladder = diamondLadder(40);
    const statuses = ladder.statuses;
    expect(statuses.get('L0a')).toBe('pending_validation');
    expect(statuses.get('L39a')).toBe('completed');
    expect(bugsOfEpic(ladder, 'L0a')).toEqual([{ id: 'deep', epics: ['Bottom'] }]);
    const blocked = epicsBlockedByBug(ladder, 'deep');
    expect(blocked.blocked).toHaveLength(40 * 2);
    expect(blocked.highest).toEqual(['L0a', 'L0b']);
    expect(() => linkEpics(ladder, 'Bottom', 'L0b')).toThrow(/^Links would form a cycle: Bottom -> L0b -> /);
  });
});
