import { describe, expect, it } from 'vitest';
import {
  addBug,
  addTask,
  applyChange,
  type Backlog,
  BugExists,
  BugNotFound,
  type Change,
  CycleDetected,
  createEpic,
  deleteEpic,
  EpicExists,
  EpicNotFound,
  emptyBacklog,
  InvalidId,
  isNoChange,
  LinkExists,
  LinkNotFound,
  linkEpics,
  mergeDictionary,
  removeBug,
  removeTask,
  TaskExists,
  TaskNotFound,
  UnknownEpicLink,
  unlinkEpics,
} from '../../src/domain/index.js';
import { applied, backlog, derived, plain, rebuilt, specBacklog } from '../helpers/backlogs.js';

describe('createEpic', () => {
  it('appends the epic with its lists, duplicates collapsed', () => {
    const b = applied(
      createEpic(specBacklog(), { id: 'EpicF', tasks: ['t', 't'], bugs: ['BugB1'], epics: ['EpicC', 'EpicC'] }),
    );
    expect([...b.epics.keys()].at(-1)).toBe('EpicF');
    expect(b.epics.get('EpicF')).toEqual({ id: 'EpicF', tasks: ['t'], bugs: ['BugB1'], epics: ['EpicC'] });
  });

  it('defaults missing lists to empty ones', () => {
    expect(applied(createEpic(emptyBacklog(), { id: 'A' })).epics.get('A')).toEqual({
      id: 'A',
      tasks: [],
      bugs: [],
      epics: [],
    });
  });

  it('refuses a taken id, a reserved id, and an invalid one', () => {
    expect(() => createEpic(specBacklog(), { id: 'EpicA' })).toThrow(EpicExists);
    expect(() => createEpic(emptyBacklog(), { id: 'blocked' })).toThrow(InvalidId);
    expect(() => createEpic(emptyBacklog(), { id: '' })).toThrow(InvalidId);
  });

  it('refuses a task that another epic holds', () => {
    expect(() => createEpic(specBacklog(), { id: 'EpicF', tasks: ['TaskB2'] })).toThrow(TaskExists);
  });

  it('refuses a link to itself as a cycle, and to a missing epic', () => {
    expect(() => createEpic(emptyBacklog(), { id: 'A', epics: ['A'] })).toThrow(CycleDetected);
    expect(() => createEpic(emptyBacklog(), { id: 'A', epics: ['A'] })).toThrow('A -> A');
    expect(() => createEpic(emptyBacklog(), { id: 'A', epics: ['Ghost'] })).toThrow(UnknownEpicLink);
  });

  it('refuses an invalid task, bug or link id', () => {
    expect(() => createEpic(emptyBacklog(), { id: 'A', tasks: [' t'] })).toThrow(InvalidId);
    expect(() => createEpic(emptyBacklog(), { id: 'A', bugs: ['b\n'] })).toThrow(InvalidId);
    expect(() => createEpic(emptyBacklog(), { id: 'A', epics: [''] })).toThrow(InvalidId);
  });
});

describe('deleteEpic', () => {
  it('removes the epic, its tasks, its bug reports and every link to it', () => {
    const b = applied(deleteEpic(specBacklog(), 'EpicB'));
    expect([...b.epics.keys()]).toEqual(['EpicA', 'EpicC', 'EpicD', 'EpicE']);
    expect(b.epics.get('EpicA')?.epics).toEqual([]);
    expect(() => removeTask(b, 'TaskB1')).toThrow(TaskNotFound);
    expect(() => removeBug(b, 'BugB1')).toThrow(BugNotFound);
  });

  it('removes links from every parent in a diamond', () => {
    const b = applied(
      deleteEpic(backlog({ D: {}, B: { Epics: ['D'] }, C: { Epics: ['D'] }, A: { Epics: ['B', 'C'] } }), 'D'),
    );
    expect(plain(b)).toEqual(plain(backlog({ B: {}, C: {}, A: { Epics: ['B', 'C'] } })));
  });

  it('keeps the bug in the other epics that report it', () => {
    const b = applied(deleteEpic(backlog({ A: { Bugs: ['x'] }, B: { Bugs: ['x'] } }), 'A'));
    expect(b.epics.get('B')?.bugs).toEqual(['x']);
  });

  it('refuses a missing epic', () => {
    expect(() => deleteEpic(specBacklog(), 'Ghost')).toThrow(EpicNotFound);
  });
});

describe('tasks', () => {
  it('adds a task at the end of the epic', () => {
    expect(applied(addTask(specBacklog(), 'EpicA', 'TaskA3')).epics.get('EpicA')?.tasks).toEqual([
      'TaskA1',
      'TaskA2',
      'TaskA3',
    ]);
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
    expect(applied(addTask(specBacklog(), 'EpicC', 'blocked')).epics.get('EpicC')?.tasks).toEqual(['blocked']);
  });

  it('removes a done task, and refuses an unknown one', () => {
    const b = applied(removeTask(specBacklog(), 'TaskA1'));
    expect(b.epics.get('EpicA')?.tasks).toEqual(['TaskA2']);
    expect(() => removeTask(b, 'TaskA1')).toThrow(TaskNotFound);
  });
});

describe('bugs', () => {
  it('reports one bug in several epics', () => {
    const b = applied(addBug(specBacklog(), 'EpicC', 'BugB1'));
    expect(b.epics.get('EpicC')?.bugs).toEqual(['BugB1']);
    expect(b.epics.get('EpicB')?.bugs).toEqual(['BugB1']);
  });

  it('refuses a bug already reported in that epic, a missing epic, an invalid id', () => {
    expect(() => addBug(specBacklog(), 'EpicB', 'BugB1')).toThrow(BugExists);
    expect(() => addBug(specBacklog(), 'Ghost', 'x')).toThrow(EpicNotFound);
    expect(() => addBug(specBacklog(), 'EpicB', ' x')).toThrow(InvalidId);
  });

  it('removes a fixed bug from every epic, and refuses an unknown one', () => {
    const b = applied(removeBug(backlog({ A: { Bugs: ['x', 'y'] }, B: { Bugs: ['y'] }, C: { Bugs: ['x'] } }), 'x'));
    expect(plain(b)).toEqual(plain(backlog({ A: { Bugs: ['y'] }, B: { Bugs: ['y'] }, C: {} })));
    expect(() => removeBug(b, 'x')).toThrow(BugNotFound);
  });
});

describe('links', () => {
  it('links a child, shared by several parents', () => {
    const b = applied(linkEpics(applied(linkEpics(specBacklog(), 'EpicE', 'EpicC')), 'EpicA', 'EpicC'));
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
    expect(() => linkEpics(chain, 'EpicB', 'EpicA')).toThrow('Links would form a cycle: EpicB -> EpicA -> EpicB');
    expect(() => linkEpics(chain, 'EpicC', 'EpicA')).toThrow(
      'Links would form a cycle: EpicC -> EpicA -> EpicB -> EpicC',
    );
  });

  it('names a cycle made of the new link and links that exist, when several paths lead back', () => {
    // A reaches T through B and through C; the named path must be one of them, link by link.
    const b = backlog({
      T: {},
      D: { Epics: ['T'] },
      C: { Epics: ['D'] },
      B: { Epics: ['C', 'D'] },
      A: { Epics: ['B', 'C'] },
    });
    const path = cyclePath(() => linkEpics(b, 'T', 'A'));
    expect(path[0]).toBe('T');
    expect(path[1]).toBe('A');
    expect(path.at(-1)).toBe('T');
    // Every link after the new one (T -> A) exists, and no epic but T is met twice.
    for (let i = 1; i + 1 < path.length; i++) expect(b.epic(path[i] as string).epics).toContain(path[i + 1]);
    expect(new Set(path.slice(1)).size).toBe(path.length - 1);
    expect(() => linkEpics(b, 'T', 'A')).toThrow(`Links would form a cycle: ${path.join(' -> ')}`);
  });

  it('refuses a self-link as a cycle', () => {
    expect(cyclePath(() => linkEpics(specBacklog(), 'EpicC', 'EpicC'))).toEqual(['EpicC', 'EpicC']);
  });

  it('accepts the second side of a diamond (not a cycle)', () => {
    const b = applied(linkEpics(backlog({ A: { Epics: ['B', 'C'] }, B: { Epics: ['D'] }, C: {}, D: {} }), 'C', 'D'));
    expect(b.epics.get('C')?.epics).toEqual(['D']);
  });

  it('unlinks, and refuses a link that is not there or a missing epic', () => {
    const b = applied(unlinkEpics(specBacklog(), 'EpicA', 'EpicB'));
    expect(b.epics.get('EpicA')?.epics).toEqual([]);
    expect(() => unlinkEpics(b, 'EpicA', 'EpicB')).toThrow(LinkNotFound);
    expect(() => unlinkEpics(b, 'EpicA', 'Ghost')).toThrow(EpicNotFound);
    expect(() => unlinkEpics(b, 'Ghost', 'EpicA')).toThrow(EpicNotFound);
  });
});

describe('ids that are Object.prototype names', () => {
  it('are ordinary epic, task and bug ids', () => {
    let b = emptyBacklog();
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) b = applied(createEpic(b, { id }));
    b = applied(addTask(b, '__proto__', 'constructor'));
    b = applied(addTask(b, 'constructor', '__proto__'));
    b = applied(addBug(b, 'toString', '__proto__'));
    b = applied(linkEpics(b, '__proto__', 'toString'));
    expect(plain(b)).toEqual([
      ['__proto__', { Tasks: ['constructor'], Bugs: [], Epics: ['toString'] }],
      ['constructor', { Tasks: ['__proto__'], Bugs: [], Epics: [] }],
      ['toString', { Tasks: [], Bugs: ['__proto__'], Epics: [] }],
      ['hasOwnProperty', { Tasks: [], Bugs: [], Epics: [] }],
    ]);
    expect(() => addTask(b, 'hasOwnProperty', 'constructor')).toThrow(TaskExists);
    expect(plain(applied(removeBug(applied(removeTask(b, '__proto__')), '__proto__')))[2]).toEqual([
      'toString',
      { Tasks: [], Bugs: [], Epics: [] },
    ]);
  });
});

// Each operation on the SPEC example (EpicA wip, EpicB wip, EpicC completed, EpicD completed,
// EpicE pending_validation), as a plan on a backlog.
const OPERATIONS: [string, (b: Backlog) => Change][] = [
  ['createEpic', (b) => createEpic(b, { id: 'EpicF', tasks: ['TaskF1'], epics: ['EpicE'] })],
  ['deleteEpic', (b) => deleteEpic(b, 'EpicB')],
  ['addTask', (b) => addTask(b, 'EpicC', 'TaskC1')],
  ['removeTask', (b) => removeTask(b, 'TaskB1')],
  ['addBug', (b) => addBug(b, 'EpicC', 'BugB1')],
  ['removeBug', (b) => removeBug(b, 'BugE1')],
  ['linkEpics', (b) => linkEpics(b, 'EpicD', 'EpicB')],
  ['unlinkEpics', (b) => unlinkEpics(b, 'EpicA', 'EpicB')],
  [
    'mergeDictionary',
    (b) =>
      mergeDictionary(b, [
        ['EpicC', { Tasks: ['TaskC1'] }],
        ['EpicF', { Epics: ['EpicE'] }],
      ]),
  ],
];

describe.each(OPERATIONS)('%s plans a change', (_name, operation) => {
  it('without touching the backlog it was given, which stays readable until the change is applied', () => {
    const base = specBacklog();
    const before = derived(base);
    const change = operation(base);
    expect(change.base).toBe(base);
    expect(isNoChange(change)).toBe(false);
    expect(derived(base)).toEqual(before);
  });

  it('that applyChange carries out: the epics it puts and deletes, the statuses it gives', () => {
    const change = operation(specBacklog());
    const next = applyChange(change);
    for (const [id, epic] of change.put) expect(next.epic(id)).toBe(epic);
    for (const id of change.deleted) expect(next.has(id)).toBe(false);
    for (const [id, status] of change.statuses) expect(next.status(id)).toBe(status);
    // Epics it does not name keep their status.
    const fresh = specBacklog();
    for (const [id, status] of fresh.statuses) {
      if (!change.statuses.has(id) && !change.deleted.has(id)) expect(next.status(id)).toBe(status);
    }
    // The indexes and statuses kept up incrementally are those of a backlog built from scratch.
    expect(derived(next)).toEqual(derived(rebuilt(next)));
  });

  it('whose statusChanges are exactly the statuses that differ, deleted epics first, created ones last', () => {
    const base = specBacklog();
    const before = new Map(base.statuses);
    const change = operation(base);
    const after = applyChange(change).statuses;
    const expected = [
      ...[...before].filter(([id]) => !after.has(id)).map(([epic, from]) => ({ epic, from, to: null })),
      ...[...after]
        .filter(([id, to]) => before.get(id) !== to)
        .map(([epic, to]) => ({ epic, from: before.get(epic) ?? null, to })),
    ];
    expect(change.statusChanges).toEqual(expected);
  });
});

describe('statusChanges on the SPEC example', () => {
  const statusChanges = (...operations: ((b: Backlog) => Change)[]) => {
    let b = specBacklog();
    let change: Change | undefined;
    for (const operation of operations) {
      change = operation(b);
      b = applyChange(change);
    }
    return change?.statusChanges;
  };

  it('createEpic: the new epic comes from null', () => {
    expect(statusChanges((b) => createEpic(b, { id: 'EpicF' }))).toEqual([
      { epic: 'EpicF', from: null, to: 'completed' },
    ]);
    expect(statusChanges((b) => createEpic(b, { id: 'EpicF', epics: ['EpicA'] }))).toEqual([
      { epic: 'EpicF', from: null, to: 'blocked' },
    ]);
  });

  it('deleteEpic: the deleted epic goes to null, its parents keep their status when it does not move', () => {
    expect(statusChanges((b) => deleteEpic(b, 'EpicB'))).toEqual([{ epic: 'EpicB', from: 'wip', to: null }]);
    expect(statusChanges((b) => deleteEpic(b, 'EpicE'))).toEqual([
      { epic: 'EpicE', from: 'pending_validation', to: null },
    ]);
  });

  it('deleteEpic: a parent whose blocking child goes away moves too', () => {
    expect(
      statusChanges(
        (b) => removeTask(b, 'TaskA1'),
        (b) => removeTask(b, 'TaskA2'),
        (b) => deleteEpic(b, 'EpicB'),
      ),
    ).toEqual([
      { epic: 'EpicB', from: 'wip', to: null },
      { epic: 'EpicA', from: 'blocked', to: 'completed' },
    ]);
  });

  it('removeTask: EpicA stays wip while TaskA2 remains, then is blocked by EpicB', () => {
    expect(statusChanges((b) => removeTask(b, 'TaskA1'))).toEqual([]);
    expect(
      statusChanges(
        (b) => removeTask(b, 'TaskA1'),
        (b) => removeTask(b, 'TaskA2'),
      ),
    ).toEqual([{ epic: 'EpicA', from: 'wip', to: 'blocked' }]);
    expect(
      statusChanges(
        (b) => removeTask(b, 'TaskB1'),
        (b) => removeTask(b, 'TaskB2'),
      ),
    ).toEqual([{ epic: 'EpicB', from: 'wip', to: 'pending_validation' }]);
  });

  it('addTask: the epic and every parent above it, in creation order', () => {
    expect(statusChanges((b) => addTask(b, 'EpicC', 'TaskC1'))).toEqual([
      { epic: 'EpicC', from: 'completed', to: 'wip' },
      { epic: 'EpicD', from: 'completed', to: 'blocked' },
    ]);
    expect(statusChanges((b) => addTask(b, 'EpicA', 'TaskA3'))).toEqual([]);
  });

  it('addBug and removeBug', () => {
    expect(statusChanges((b) => addBug(b, 'EpicC', 'BugC1'))).toEqual([
      { epic: 'EpicC', from: 'completed', to: 'pending_validation' },
      { epic: 'EpicD', from: 'completed', to: 'pending_validation' },
    ]);
    expect(statusChanges((b) => removeBug(b, 'BugE1'))).toEqual([
      { epic: 'EpicE', from: 'pending_validation', to: 'completed' },
    ]);
    expect(statusChanges((b) => removeBug(b, 'BugB1'))).toEqual([]);
  });

  it('linkEpics and unlinkEpics', () => {
    expect(statusChanges((b) => linkEpics(b, 'EpicD', 'EpicB'))).toEqual([
      { epic: 'EpicD', from: 'completed', to: 'blocked' },
    ]);
    expect(statusChanges((b) => linkEpics(b, 'EpicC', 'EpicE'))).toEqual([
      { epic: 'EpicC', from: 'completed', to: 'pending_validation' },
      { epic: 'EpicD', from: 'completed', to: 'pending_validation' },
    ]);
    expect(statusChanges((b) => linkEpics(b, 'EpicE', 'EpicC'))).toEqual([]);
    expect(
      statusChanges(
        (b) => removeTask(b, 'TaskA1'),
        (b) => removeTask(b, 'TaskA2'),
        (b) => unlinkEpics(b, 'EpicA', 'EpicB'),
      ),
    ).toEqual([{ epic: 'EpicA', from: 'blocked', to: 'completed' }]);
  });

  it('mergeDictionary: existing epics in creation order, then the new ones from null', () => {
    expect(
      statusChanges((b) =>
        mergeDictionary(b, [
          ['EpicF', { Epics: ['EpicE'] }],
          ['EpicC', { Tasks: ['TaskC1'] }],
        ]),
      ),
    ).toEqual([
      { epic: 'EpicC', from: 'completed', to: 'wip' },
      { epic: 'EpicD', from: 'completed', to: 'blocked' },
      { epic: 'EpicF', from: null, to: 'pending_validation' },
    ]);
  });

  it('mergeDictionary into an empty backlog: every epic from null', () => {
    const change = mergeDictionary(emptyBacklog(), plain(specBacklog()));
    expect(change.statusChanges).toEqual([
      { epic: 'EpicA', from: null, to: 'wip' },
      { epic: 'EpicB', from: null, to: 'wip' },
      { epic: 'EpicC', from: null, to: 'completed' },
      { epic: 'EpicD', from: null, to: 'completed' },
      { epic: 'EpicE', from: null, to: 'pending_validation' },
    ]);
  });
});

describe('applying a change', () => {
  it('retires the backlog it was planned on: any read of it throws', () => {
    const base = specBacklog();
    const next = applyChange(removeTask(base, 'TaskA1'));
    expect(() => base.epics).toThrow('superseded');
    expect(() => base.status('EpicA')).toThrow('superseded');
    expect(() => base.has('EpicA')).toThrow('superseded');
    expect(() => plain(base)).toThrow('superseded');
    expect(() => removeTask(base, 'TaskA2')).toThrow('superseded');
    expect(next.epic('EpicA').tasks).toEqual(['TaskA2']);
  });

  it('applies a change once: a second application throws and leaves the result as it was', () => {
    const change = removeTask(specBacklog(), 'TaskA1');
    const next = applyChange(change);
    const snapshot = derived(next);
    expect(() => applyChange(change)).toThrow('superseded');
    expect(derived(next)).toEqual(snapshot);
  });

  it('keeps a backlog that a refused operation or an empty change was planned on', () => {
    const base = specBacklog();
    expect(() => removeTask(base, 'Ghost')).toThrow(TaskNotFound);
    const none = mergeDictionary(base, [['EpicA', { Tasks: ['TaskA1'] }]]);
    expect(isNoChange(none)).toBe(true);
    expect(applyChange(none)).toBe(base);
    expect(plain(base)).toEqual(plain(specBacklog()));
  });
});

function cyclePath(attempt: () => unknown): readonly string[] {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(CycleDetected);
    return (error as CycleDetected).path;
  }
  return expect.unreachable('no cycle was refused');
}
