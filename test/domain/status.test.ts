import { describe, expect, it } from 'vitest';
import {
  applyChange,
  backlogFromDictionary,
  computeStatuses,
  type Epic,
  numberLinks,
  removeTask,
  statusOf,
} from '../../src/domain/index.js';
import { backlog, epic, rebuilt, specBacklog } from '../helpers/backlogs.js';

function statusesOf(dictionary: Parameters<typeof backlog>[0]) {
  return Object.fromEntries(backlog(dictionary).statuses);
}

describe('backlog statuses', () => {
  it('gives the statuses of the SPEC example', () => {
    expect(Object.fromEntries(specBacklog().statuses)).toEqual({
      EpicA: 'wip',
      EpicB: 'wip',
      EpicC: 'completed',
      EpicD: 'completed',
      EpicE: 'pending_validation',
    });
  });

  it('is empty for an empty backlog', () => {
    expect(backlog({}).statuses.size).toBe(0);
  });

  it('lists every epic in creation order', () => {
    const statuses = backlog({ Z: { Epics: [] }, Y: { Epics: ['Z'] }, X: { Epics: ['Y'] } }).statuses;
    expect([...statuses.keys()]).toEqual(['Z', 'Y', 'X']);
  });

  it('is wip when the epic has its own tasks, whatever its children and bugs', () => {
    expect(statusesOf({ A: { Tasks: ['t'], Bugs: ['b'], Epics: ['B'] }, B: { Tasks: ['u'] } }).A).toBe('wip');
  });

  it('is blocked when only linked epics, at any depth, have tasks', () => {
    expect(statusesOf({ A: { Epics: ['B'] }, B: { Epics: ['C'] }, C: { Tasks: ['t'] } })).toEqual({
      A: 'blocked',
      B: 'blocked',
      C: 'wip',
    });
  });

  it('is blocked rather than pending_validation when both work and bugs remain below', () => {
    expect(statusesOf({ A: { Bugs: ['b'], Epics: ['B', 'C'] }, B: { Bugs: ['c'] }, C: { Tasks: ['t'] } }).A).toBe(
      'blocked',
    );
  });

  it('is pending_validation when no task remains but a bug does, here or below', () => {
    expect(statusesOf({ A: { Epics: ['B'] }, B: { Epics: ['C'] }, C: { Bugs: ['b'] } })).toEqual({
      A: 'pending_validation',
      B: 'pending_validation',
      C: 'pending_validation',
    });
  });

  it('is completed when nothing remains anywhere below', () => {
    expect(statusesOf({ A: { Epics: ['B', 'C'] }, B: {}, C: { Epics: ['B'] } })).toEqual({
      A: 'completed',
      B: 'completed',
      C: 'completed',
    });
  });

  it('rolls a diamond up through both sides', () => {
    const diamond = { A: { Epics: ['B', 'C'] }, B: { Epics: ['D'] }, C: { Epics: ['D'] } };
    expect(statusesOf({ ...diamond, D: { Tasks: ['t'] } })).toEqual({
      A: 'blocked',
      B: 'blocked',
      C: 'blocked',
      D: 'wip',
    });
    expect(statusesOf({ ...diamond, D: { Bugs: ['b'] } })).toEqual({
      A: 'pending_validation',
      B: 'pending_validation',
      C: 'pending_validation',
      D: 'pending_validation',
    });
  });

  it('lets a shared child decide the status of each of its parents', () => {
    expect(
      statusesOf({
        Shared: { Tasks: ['t'] },
        P1: { Epics: ['Shared'] },
        P2: { Tasks: ['u'], Epics: ['Shared'] },
        P3: { Bugs: ['b'], Epics: ['Shared'] },
        Lone: { Bugs: ['b'] },
      }),
    ).toEqual({ Shared: 'wip', P1: 'blocked', P2: 'wip', P3: 'blocked', Lone: 'pending_validation' });
  });

  it('does not depend on the order children were linked or epics created', () => {
    const forward = statusesOf({ C: { Tasks: ['t'] }, B: {}, A: { Epics: ['B', 'C'] } });
    const backward = statusesOf({ B: {}, C: { Tasks: ['t'] }, A: { Epics: ['C', 'B'] } });
    expect(forward.A).toBe('blocked');
    expect(backward.A).toBe('blocked');
  });
});

describe('computeStatuses', () => {
  const indexOf = (epics: readonly Epic[]) => new Map(epics.map((e, i) => [e.id, i]));

  it('gives one status per epic, by position, parents listed before or after their children', () => {
    const epics = [
      epic('A', { epics: ['B'] }),
      epic('B', { epics: ['C'] }),
      epic('C', { bugs: ['b'] }),
      epic('D', { epics: ['A', 'E'] }),
      epic('E', { tasks: ['t'] }),
    ];
    expect(computeStatuses(epics, numberLinks(epics, indexOf(epics)))).toEqual([
      'pending_validation',
      'pending_validation',
      'pending_validation',
      'blocked',
      'wip',
    ]);
  });

  it('is empty for no epics', () => {
    expect(computeStatuses([], numberLinks([], new Map()))).toEqual([]);
  });

  it('agrees with statusOf, the rule one epic at a time', () => {
    const epics = [...specBacklog().epics.values()];
    const statuses = computeStatuses(epics, numberLinks(epics, indexOf(epics)));
    const byId = new Map(epics.map((e, i) => [e.id, statuses[i]]));
    for (const e of epics) expect(statusOf(e, (child) => byId.get(child) ?? 'completed')).toBe(byId.get(e.id));
  });
});

describe('statuses kept by the backlog', () => {
  it('are read, not recomputed, and a change gives the next backlog the statuses it computed', () => {
    const base = backlogFromDictionary(Object.entries({ EpicA: { Tasks: ['TaskA1'], Epics: ['EpicB'] }, EpicB: {} }));
    expect(base.statuses).toBe(base.statuses);
    const change = removeTask(base, 'TaskA1');
    expect(change.statuses).toEqual(new Map([['EpicA', 'completed']]));
    expect(base.status('EpicA')).toBe('wip');
    const done = applyChange(change);
    expect(done.status('EpicA')).toBe('completed');
    expect(done.statusCounts.get('completed')).toBe(2);
    expect(done.statuses).toEqual(rebuilt(done).statuses);
  });
});
