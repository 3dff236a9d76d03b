import { describe, expect, it } from 'vitest';
import {
  applyChange,
  backlogFromDictionary,
  CycleDetected,
  emptyBacklog,
  InvalidId,
  isNoChange,
  mergeDictionary,
  TaskExists,
  toDictionary,
  UnknownEpicLink,
} from '../../src/domain/index.js';
import { applied, backlog, derived, plain, SPEC_EXAMPLE, specBacklog } from '../helpers/backlogs.js';

describe('backlogFromDictionary', () => {
  it('imports the SPEC example as it stands, ignoring the blank link', () => {
    const b = specBacklog();
    expect([...b.epics.keys()]).toEqual(['EpicA', 'EpicB', 'EpicC', 'EpicD', 'EpicE']);
    expect(b.epics.get('EpicB')).toEqual({ id: 'EpicB', tasks: ['TaskB1', 'TaskB2'], bugs: ['BugB1'], epics: [] });
    expect(b.epics.get('EpicA')?.epics).toEqual(['EpicB']);
  });

  it('reads a missing list as an empty one', () => {
    expect(plain(backlog({ A: {} }))).toEqual([['A', { Tasks: [], Bugs: [], Epics: [] }]]);
  });

  it('ignores blank strings and collapses duplicates inside a list, keeping first order', () => {
    const b = backlog({
      B: {},
      A: { Tasks: ['t2', '', 't1', 't2', '   ', '\u00a0\u3000'], Bugs: ['b', 'b'], Epics: ['B', '', 'B'] },
    });
    expect(b.epics.get('A')).toEqual({ id: 'A', tasks: ['t2', 't1'], bugs: ['b'], epics: ['B'] });
  });

  it('ignores list items made of any white space, tabs and line breaks included', () => {
    const b = backlog({ A: { Tasks: ['\t', ' \n ', '\r\n'], Bugs: ['\u000b\f'] } });
    expect(b.epics.get('A')).toEqual({ id: 'A', tasks: [], bugs: [], epics: [] });
  });

  it('refuses an invalid id inside a list, saying which', () => {
    expect(() => backlog({ A: { Tasks: [' padded'] } })).toThrow(InvalidId);
    expect(() => backlog({ A: { Bugs: ['bad\u0000bug'] } })).toThrow(/bad\\u0000bug/);
  });

  it('refuses an invalid or reserved epic id', () => {
    expect(() => backlog({ 'A ': {} })).toThrow(InvalidId);
    expect(() => backlog({ blocked: {} })).toThrow(/reserved/);
  });

  it('refuses a task in two epics of one import', () => {
    const attempt = () => backlog({ A: { Tasks: ['t'] }, B: { Tasks: ['t'] } });
    expect(attempt).toThrow(TaskExists);
    expect(attempt).toThrow(/"t".*"A"/);
  });

  it('refuses a link to an epic that exists neither in the import nor in the backlog', () => {
    expect(() => backlog({ A: { Epics: ['Ghost'] } })).toThrow(UnknownEpicLink);
  });

  it('accepts links to epics defined later in the document', () => {
    expect(backlog({ A: { Epics: ['B'] }, B: {} }).epics.get('A')?.epics).toEqual(['B']);
  });

  it('names the cycle by its path', () => {
    expect(() => backlog({ EpicA: { Epics: ['EpicB'] }, EpicB: { Epics: ['EpicA'] } })).toThrow(
      'EpicA -> EpicB -> EpicA',
    );
    expect(() => backlog({ A: { Epics: ['B'] }, B: { Epics: ['C'] }, C: { Epics: ['B'] } })).toThrow('B -> C -> B');
  });

  it('refuses an epic that links itself', () => {
    try {
      backlog({ Self: { Epics: ['Self'] } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CycleDetected);
      expect((error as CycleDetected).path).toEqual(['Self', 'Self']);
    }
  });

  it('keeps __proto__, constructor and toString as ordinary ids', () => {
    const b = backlogFromDictionary([
      ['__proto__', { Tasks: ['toString'], Epics: ['constructor'] }],
      ['constructor', { Bugs: ['__proto__'] }],
      ['toString', { Epics: ['__proto__'] }],
    ]);
    expect([...b.epics.keys()]).toEqual(['__proto__', 'constructor', 'toString']);
    expect(b.epics.get('__proto__')).toEqual({
      id: '__proto__',
      tasks: ['toString'],
      bugs: [],
      epics: ['constructor'],
    });
  });
});

describe('mergeDictionary', () => {
  const spec = Object.entries(SPEC_EXAMPLE);

  it('into an empty backlog is the import', () => {
    expect(derived(applied(mergeDictionary(emptyBacklog(), spec)))).toEqual(derived(specBacklog()));
  });

  it('is idempotent: merging the same document twice changes nothing', () => {
    const once = applied(mergeDictionary(specBacklog(), spec));
    expect(plain(once)).toEqual(plain(specBacklog()));
    const twice = mergeDictionary(once, spec);
    expect(isNoChange(twice)).toBe(true);
    expect(twice.statusChanges).toEqual([]);
    expect(applyChange(twice)).toBe(once);
    expect(once.epics.get('EpicA')).toEqual(specBacklog().epics.get('EpicA'));
  });

  it('unites lists in insertion order and appends new epics', () => {
    const merged = applied(
      mergeDictionary(specBacklog(), [
        ['EpicF', { Tasks: ['TaskF1'] }],
        ['EpicC', { Tasks: ['TaskC1'], Bugs: ['BugB1'], Epics: ['EpicF', 'EpicE'] }],
        ['EpicA', { Tasks: ['TaskA2', 'TaskA3', 'TaskA1'] }],
      ]),
    );
    expect([...merged.epics.keys()]).toEqual(['EpicA', 'EpicB', 'EpicC', 'EpicD', 'EpicE', 'EpicF']);
    expect(merged.epics.get('EpicA')?.tasks).toEqual(['TaskA1', 'TaskA2', 'TaskA3']);
    expect(merged.epics.get('EpicC')).toEqual({
      id: 'EpicC',
      tasks: ['TaskC1'],
      bugs: ['BugB1'],
      epics: ['EpicF', 'EpicE'],
    });
  });

  it('refuses a task that already belongs to another epic of the backlog', () => {
    expect(() => mergeDictionary(specBacklog(), [['EpicC', { Tasks: ['TaskA1'] }]])).toThrow(TaskExists);
  });

  it('accepts a task already in the same epic', () => {
    const merged = applied(mergeDictionary(specBacklog(), [['EpicA', { Tasks: ['TaskA1'] }]]));
    expect(merged.epics.get('EpicA')?.tasks).toEqual(['TaskA1', 'TaskA2']);
  });

  it('refuses a cycle closed through epics already in the backlog', () => {
    expect(() => mergeDictionary(specBacklog(), [['EpicB', { Epics: ['EpicA'] }]])).toThrow(
      'Links would form a cycle: EpicA -> EpicB -> EpicA',
    );
  });

  it('accepts links to epics of the backlog', () => {
    const merged = applied(mergeDictionary(specBacklog(), [['EpicF', { Epics: ['EpicE', 'EpicC'] }]]));
    expect(merged.epics.get('EpicF')?.epics).toEqual(['EpicE', 'EpicC']);
  });

  it('leaves the backlog it was given untouched, even when it refuses', () => {
    const before = specBacklog();
    const snapshot = derived(before);
    mergeDictionary(before, [['EpicZ', { Tasks: ['z'] }]]);
    expect(() =>
      mergeDictionary(before, [
        ['EpicY', { Tasks: ['y'] }],
        ['EpicC', { Epics: ['Ghost'] }],
      ]),
    ).toThrow(UnknownEpicLink);
    expect(derived(before)).toEqual(snapshot);
  });
});

describe('toDictionary', () => {
  it('exports in creation order, and imports back to the same backlog', () => {
    const exported = toDictionary(specBacklog());
    expect(exported.map(([id]) => id)).toEqual(['EpicA', 'EpicB', 'EpicC', 'EpicD', 'EpicE']);
    expect(exported[1]).toEqual(['EpicB', { Tasks: ['TaskB1', 'TaskB2'], Bugs: ['BugB1'], Epics: [] }]);
    expect(plain(backlogFromDictionary(exported))).toEqual(exported);
  });
});

describe('merging what is already there', () => {
  it('is an empty change, so that the store has nothing to write, and applying it keeps the very same backlog', () => {
    const once = backlogFromDictionary(
      Object.entries({ EpicA: { Tasks: ['TaskA1'], Epics: ['EpicB'] }, EpicB: { Bugs: ['BugB1'] } }),
    );
    const change = mergeDictionary(
      once,
      Object.entries({ EpicB: { Bugs: ['BugB1', ' '] }, EpicA: { Tasks: ['TaskA1'] } }),
    );
    expect(isNoChange(change)).toBe(true);
    expect(change.put.size + change.deleted.size).toBe(0);
    expect(applyChange(change)).toBe(once);
    expect(once.epic('EpicA').tasks).toEqual(['TaskA1']);
  });
});
