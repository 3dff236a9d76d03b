import { describe, expect, it } from 'vitest';
import {
  addBug,
  addTask,
  BugExists,
  BugNotFound,
  CycleDetected,
  createEpic,
  deleteEpic,
  EpicExists,
  EpicNotFound,
  emptyBacklog,
  InvalidId,
  LinkExists,
  LinkNotFound,
  linkEpics,
  removeBug,
  removeTask,
  TaskExists,
  TaskNotFound,
  UnknownEpicLink,
  unlinkEpics,
} from '../../src/domain/index.js';
import { backlog, plain, specBacklog } from '../helpers/backlogs.js';

describe('createEpic', () => {
  it('appends the epic with its lists, duplicates collapsed', () => {
    const b = createEpic(specBacklog(), { id: 'EpicF', tasks: ['t', 't'], bugs: ['BugB1'], epics: ['EpicC', 'EpicC'] });
    expect([...b.epics.keys()].at(-1)).toBe('EpicF');
    expect(b.epics.get('EpicF')).toEqual({ id: 'EpicF', tasks: ['t'], bugs: ['BugB1'], epics: ['EpicC'] });
  });

  it('defaults missing lists to empty ones', () => {
    expect(createEpic(emptyBacklog, { id: 'A' }).epics.get('A')).toEqual({ id: 'A', tasks: [], bugs: [], epics: [] });
  });

  it('refuses a taken id, a reserved id, and an invalid one', () => {
    expect(() => createEpic(specBacklog(), { id: 'EpicA' })).toThrow(EpicExists);
    expect(() => createEpic(emptyBacklog, { id: 'blocked' })).toThrow(InvalidId);
    expect(() => createEpic(emptyBacklog, { id: '' })).toThrow(InvalidId);
  });

  it('refuses a task that another epic holds', () => {
    expect(() => createEpic(specBacklog(), { id: 'EpicF', tasks: ['TaskB2'] })).toThrow(TaskExists);
  });

  it('refuses a link to itself as a cycle, and to a missing epic', () => {
    expect(() => createEpic(emptyBacklog, { id: 'A', epics: ['A'] })).toThrow(CycleDetected);
    expect(() => createEpic(emptyBacklog, { id: 'A', epics: ['A'] })).toThrow('A -> A');
    expect(() => createEpic(emptyBacklog, { id: 'A', epics: ['Ghost'] })).toThrow(UnknownEpicLink);
  });

  it('refuses an invalid task, bug or link id', () => {
    expect(() => createEpic(emptyBacklog, { id: 'A', tasks: [' t'] })).toThrow(InvalidId);
    expect(() => createEpic(emptyBacklog, { id: 'A', bugs: ['b\n'] })).toThrow(InvalidId);
    expect(() => createEpic(emptyBacklog, { id: 'A', epics: [''] })).toThrow(InvalidId);
  });

  it('never changes the backlog it was given', () => {
    const before = specBacklog();
    const snapshot = plain(before);
    createEpic(before, { id: 'EpicF' });
    expect(plain(before)).toEqual(snapshot);
  });
});

describe('deleteEpic', () => {
  it('removes the epic, its tasks, its bug reports and every link to it', () => {
    const b = deleteEpic(specBacklog(), 'EpicB');
    expect([...b.epics.keys()]).toEqual(['EpicA', 'EpicC', 'EpicD', 'EpicE']);
    expect(b.epics.get('EpicA')?.epics).toEqual([]);
    expect(() => removeTask(b, 'TaskB1')).toThrow(TaskNotFound);
    expect(() => removeBug(b, 'BugB1')).toThrow(BugNotFound);
  });

  it('removes links from every parent in a diamond', () => {
    const b = deleteEpic(backlog({ D: {}, B: { Epics: ['D'] }, C: { Epics: ['D'] }, A: { Epics: ['B', 'C'] } }), 'D');
    expect(plain(b)).toEqual(plain(backlog({ B: {}, C: {}, A: { Epics: ['B', 'C'] } })));
  });

  it('keeps the bug in the other epics that report it', () => {
    const b = deleteEpic(backlog({ A: { Bugs: ['x'] }, B: { Bugs: ['x'] } }), 'A');
    expect(b.epics.get('B')?.bugs).toEqual(['x']);
  });

  it('refuses a missing epic', () => {
    expect(() => deleteEpic(specBacklog(), 'Ghost')).toThrow(EpicNotFound);
  });
});

describe('tasks', () => {
  it('adds a task at the end of the epic', () => {
    expect(addTask(specBacklog(), 'EpicA', 'TaskA3').epics.get('EpicA')?.tasks).toEqual(['TaskA1', 'TaskA2', 'TaskA3']);
  });

  it('refuses a task in a second epic, or twice in one', () => {
    expect(() => addTask(specBacklog(), 'EpicC', 'TaskA1')).toThrow(TaskExists);
    expect(() => addTask(specBacklog(), 'EpicA', 'TaskA1')).toThrow(TaskExists);
  });

  it('refuses a missing epic and an invalid id', () => {
    expect(() => addTask(specBacklog(), 'Ghost', 't')).toThrow(EpicNotFound);
    expect(() => addTask(specBacklog(), 'EpicA', 't\u007f')).toThrow(InvalidId);
  });

  it('accepts `blocked` as a task id: only epic ids reserve it', () => {
    expect(addTask(specBacklog(), 'EpicC', 'blocked').epics.get('EpicC')?.tasks).toEqual(['blocked']);
  });

  it('removes a done task, and refuses an unknown one', () => {
    const b = removeTask(specBacklog(), 'TaskA1');
    expect(b.epics.get('EpicA')?.tasks).toEqual(['TaskA2']);
    expect(() => removeTask(b, 'TaskA1')).toThrow(TaskNotFound);
  });
});

describe('bugs', () => {
  it('reports one bug in several epics', () => {
    const b = addBug(specBacklog(), 'EpicC', 'BugB1');
    expect(b.epics.get('EpicC')?.bugs).toEqual(['BugB1']);
    expect(b.epics.get('EpicB')?.bugs).toEqual(['BugB1']);
  });

  it('refuses a bug already reported in that epic, a missing epic, an invalid id', () => {
    expect(() => addBug(specBacklog(), 'EpicB', 'BugB1')).toThrow(BugExists);
    expect(() => addBug(specBacklog(), 'Ghost', 'x')).toThrow(EpicNotFound);
    expect(() => addBug(specBacklog(), 'EpicB', ' x')).toThrow(InvalidId);
  });

  it('removes a fixed bug from every epic, and refuses an unknown one', () => {
    const b = removeBug(backlog({ A: { Bugs: ['x', 'y'] }, B: { Bugs: ['y'] }, C: { Bugs: ['x'] } }), 'x');
    expect(plain(b)).toEqual(plain(backlog({ A: { Bugs: ['y'] }, B: { Bugs: ['y'] }, C: {} })));
    expect(() => removeBug(b, 'x')).toThrow(BugNotFound);
  });
});

describe('links', () => {
  it('links a child, shared by several parents', () => {
    const b = linkEpics(linkEpics(specBacklog(), 'EpicE', 'EpicC'), 'EpicA', 'EpicC');
    expect(b.epics.get('EpicA')?.epics).toEqual(['EpicB', 'EpicC']);
    expect(b.epics.get('EpicE')?.epics).toEqual(['EpicC']);
  });

  it('refuses a link already there', () => {
    expect(() => linkEpics(specBacklog(), 'EpicA', 'EpicB')).toThrow(LinkExists);
  });

  it('refuses a link to or from a missing epic', () => {
    expect(() => linkEpics(specBacklog(), 'EpicA', 'Ghost')).toThrow(EpicNotFound);
    expect(() => linkEpics(specBacklog(), 'Ghost', 'EpicA')).toThrow(EpicNotFound);
  });

  it('names the cycle a link would close, starting from the parent', () => {
    const chain = backlog({ EpicA: { Epics: ['EpicB'] }, EpicB: { Epics: ['EpicC'] }, EpicC: {} });
    expect(() => linkEpics(chain, 'EpicB', 'EpicA')).toThrow('EpicB -> EpicA -> EpicB');
    expect(() => linkEpics(chain, 'EpicC', 'EpicA')).toThrow('EpicC -> EpicA -> EpicB -> EpicC');
  });

  it('refuses a self-link as a cycle', () => {
    try {
      linkEpics(specBacklog(), 'EpicC', 'EpicC');
      expect.unreachable();
    } catch (error) {
      expect((error as CycleDetected).path).toEqual(['EpicC', 'EpicC']);
    }
  });

  it('accepts the second side of a diamond (not a cycle)', () => {
    const b = linkEpics(backlog({ A: { Epics: ['B', 'C'] }, B: { Epics: ['D'] }, C: {}, D: {} }), 'C', 'D');
    expect(b.epics.get('C')?.epics).toEqual(['D']);
  });

  it('unlinks, and refuses a link that is not there or a missing epic', () => {
    const b = unlinkEpics(specBacklog(), 'EpicA', 'EpicB');
    expect(b.epics.get('EpicA')?.epics).toEqual([]);
    expect(() => unlinkEpics(b, 'EpicA', 'EpicB')).toThrow(LinkNotFound);
    expect(() => unlinkEpics(b, 'EpicA', 'Ghost')).toThrow(EpicNotFound);
    expect(() => unlinkEpics(b, 'Ghost', 'EpicA')).toThrow(EpicNotFound);
  });
});

describe('ids that are Object.prototype names', () => {
  it('are ordinary epic, task and bug ids', () => {
    let b = emptyBacklog;
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) b = createEpic(b, { id });
    b = addTask(b, '__proto__', 'constructor');
    b = addTask(b, 'constructor', '__proto__');
    b = addBug(b, 'toString', '__proto__');
    b = linkEpics(b, '__proto__', 'toString');
    expect(plain(b)).toEqual([
      ['__proto__', { Tasks: ['constructor'], Bugs: [], Epics: ['toString'] }],
      ['constructor', { Tasks: ['__proto__'], Bugs: [], Epics: [] }],
      ['toString', { Tasks: [], Bugs: ['__proto__'], Epics: [] }],
      ['hasOwnProperty', { Tasks: [], Bugs: [], Epics: [] }],
    ]);
    expect(() => addTask(b, 'hasOwnProperty', 'constructor')).toThrow(TaskExists);
    expect(plain(removeBug(removeTask(b, '__proto__'), '__proto__'))[2]).toEqual([
      'toString',
      { Tasks: [], Bugs: [], Epics: [] },
    ]);
  });
});
