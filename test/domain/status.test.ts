import { describe, expect, it } from 'vitest';
import { backlogFromDictionary, computeStatuses, removeTask } from '../../src/domain/index.js';
import { backlog, specBacklog } from '../helpers/backlogs.js';

function statusesOf(dictionary: Parameters<typeof backlog>[0]) {
  return Object.fromEntries(computeStatuses(backlog(dictionary)));
}

describe('computeStatuses', () => {
  it('gives the statuses of the SPEC example', () => {
    expect(Object.fromEntries(computeStatuses(specBacklog()))).toEqual({
      EpicA: 'wip',
      EpicB: 'wip',
      EpicC: 'completed',
      EpicD: 'completed',
      EpicE: 'pending_validation',
    });
  });

  it('is empty for an empty backlog', () => {
    expect(computeStatuses(backlog({})).size).toBe(0);
  });

  it('lists every epic in creation order', () => {
    const statuses = computeStatuses(backlog({ Z: { Epics: [] }, Y: { Epics: ['Z'] }, X: { Epics: ['Y'] } }));
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

describe('computeStatuses cache', () => {
  it('computes the statuses of one backlog object once, and those of a changed backlog anew', () => {
    const backlog = backlogFromDictionary(
      Object.entries({ EpicA: { Tasks: ['TaskA1'], Epics: ['EpicB'] }, EpicB: {} }),
    );
    const first = computeStatuses(backlog);
    expect(computeStatuses(backlog)).toBe(first);
    const done = removeTask(backlog, 'TaskA1');
    expect(computeStatuses(done).get('EpicA')).toBe('completed');
    expect(first.get('EpicA')).toBe('wip');
  });
});
