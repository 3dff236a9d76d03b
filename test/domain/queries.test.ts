import { describe, expect, it } from 'vitest';
import {
  applyChange,
  BugNotFound,
  backlogView,
  bugReports,
  bugsOfEpic,
  EpicNotFound,
  epicsBlockedByBug,
  epicsWithBlockedStatus,
  epicView,
  linkEpics,
  parentsOf,
  reachableFrom,
  unlinkEpics,
} from '../../src/domain/index.js';
import { backlog, specBacklog } from '../helpers/backlogs.js';

// A diamond A -> {B, C} -> D, plus E -> C, with bugs at several levels.
const diamond = () =>
  backlog({
    D: { Bugs: ['x', 'y'] },
    B: { Bugs: ['x'], Epics: ['D'] },
    C: { Epics: ['D'] },
    A: { Tasks: ['t'], Bugs: ['z'], Epics: ['B', 'C'] },
    E: { Epics: ['C'] },
    F: { Bugs: ['x'] },
  });

describe('bugsOfEpic (B*)', () => {
  it('lists the bugs of the epic and every epic under it, each once, with the epics holding them', () => {
    expect(bugsOfEpic(diamond(), 'A')).toEqual([
      { id: 'x', epics: ['D', 'B'] },
      { id: 'y', epics: ['D'] },
      { id: 'z', epics: ['A'] },
    ]);
    expect(bugsOfEpic(diamond(), 'E')).toEqual([
      { id: 'x', epics: ['D'] },
      { id: 'y', epics: ['D'] },
    ]);
  });

  it('is empty for an epic with no bugs below, and refuses a missing epic', () => {
    expect(bugsOfEpic(specBacklog(), 'EpicD')).toEqual([]);
    expect(bugsOfEpic(specBacklog(), 'EpicA')).toEqual([{ id: 'BugB1', epics: ['EpicB'] }]);
    expect(() => bugsOfEpic(specBacklog(), 'Ghost')).toThrow(EpicNotFound);
  });
});

describe('epicsBlockedByBug', () => {
  it('gives every epic whose B* holds the bug, and the highest of them', () => {
    expect(epicsBlockedByBug(diamond(), 'y')).toEqual({
      bug: 'y',
      blocked: [
        { id: 'D', status: 'pending_validation' },
        { id: 'B', status: 'pending_validation' },
        { id: 'C', status: 'pending_validation' },
        { id: 'A', status: 'wip' },
        { id: 'E', status: 'pending_validation' },
      ],
      highest: ['A', 'E'],
    });
  });

  it('counts every reporter, and a reporter with no blocked parent is highest', () => {
    const blocked = epicsBlockedByBug(diamond(), 'x');
    expect(blocked.blocked.map((epic) => epic.id)).toEqual(['D', 'B', 'C', 'A', 'E', 'F']);
    expect(blocked.highest).toEqual(['A', 'E', 'F']);
  });

  it('answers for the SPEC example', () => {
    expect(epicsBlockedByBug(specBacklog(), 'BugB1')).toEqual({
      bug: 'BugB1',
      blocked: [
        { id: 'EpicA', status: 'wip' },
        { id: 'EpicB', status: 'wip' },
      ],
      highest: ['EpicA'],
    });
    expect(epicsBlockedByBug(specBacklog(), 'BugE1').highest).toEqual(['EpicE']);
  });

  it('refuses a bug nobody reports', () => {
    expect(() => epicsBlockedByBug(specBacklog(), 'Ghost')).toThrow(BugNotFound);
  });
});

describe('epicsWithBlockedStatus', () => {
  it('lists the blocked epics, and as highest those no blocked epic links to', () => {
    const b = backlog({ C: { Tasks: ['t'] }, B: { Epics: ['C'] }, A: { Epics: ['B'] }, X: { Epics: ['C'] } });
    expect(epicsWithBlockedStatus(b)).toEqual({
      bug: null,
      blocked: [
        { id: 'B', status: 'blocked' },
        { id: 'A', status: 'blocked' },
        { id: 'X', status: 'blocked' },
      ],
      highest: ['A', 'X'],
    });
  });

  it('is empty when nothing is blocked', () => {
    expect(epicsWithBlockedStatus(specBacklog())).toEqual({ bug: null, blocked: [], highest: [] });
  });
});

describe('views and indexes', () => {
  it('shows the backlog with every status, in creation order', () => {
    expect(backlogView(specBacklog()).epics.map(({ id, status }) => `${id}:${status}`)).toEqual([
      'EpicA:wip',
      'EpicB:wip',
      'EpicC:completed',
      'EpicD:completed',
      'EpicE:pending_validation',
    ]);
  });

  it('shows one epic with its parents', () => {
    expect(epicView(diamond(), 'C')).toEqual({
      id: 'C',
      status: 'pending_validation',
      tasks: [],
      bugs: [],
      epics: ['D'],
      parents: ['A', 'E'],
    });
    expect(() => epicView(diamond(), 'Ghost')).toThrow(EpicNotFound);
  });

  it('indexes parents, reachable epics, task owners and bug reports', () => {
    expect(parentsOf(diamond(), 'D')).toEqual(['B', 'C']);
    expect([...reachableFrom(diamond(), 'A')].sort()).toEqual(['A', 'B', 'C', 'D']);
    expect([...specBacklog().taskOwners]).toEqual([
      ['TaskA1', 'EpicA'],
      ['TaskA2', 'EpicA'],
      ['TaskB1', 'EpicB'],
      ['TaskB2', 'EpicB'],
    ]);
    expect([...bugReports(diamond())]).toEqual([
      ['x', ['D', 'B', 'F']],
      ['y', ['D']],
      ['z', ['A']],
    ]);
  });
});

describe('after changes', () => {
  it('answers from the parents and reporters that each change kept up to date', () => {
    // EpicB moves from under EpicA to under EpicD.
    const b = applyChange(unlinkEpics(applyChange(linkEpics(specBacklog(), 'EpicD', 'EpicB')), 'EpicA', 'EpicB'));
    expect(parentsOf(b, 'EpicB')).toEqual(['EpicD']);
    expect(epicView(b, 'EpicB').parents).toEqual(['EpicD']);
    expect(epicsBlockedByBug(b, 'BugB1')).toEqual({
      bug: 'BugB1',
      blocked: [
        { id: 'EpicB', status: 'wip' },
        { id: 'EpicD', status: 'blocked' },
      ],
      highest: ['EpicD'],
    });
    expect(epicsWithBlockedStatus(b).highest).toEqual(['EpicD']);
    expect(bugsOfEpic(b, 'EpicA')).toEqual([]);
    expect(bugsOfEpic(b, 'EpicD')).toEqual([{ id: 'BugB1', epics: ['EpicB'] }]);
  });
});
