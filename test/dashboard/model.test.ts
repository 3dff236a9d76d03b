import { describe, expect, it } from 'vitest';
import {
  countByStatus,
  describeChanges,
  diffBacklogs,
  homePath,
  indexBacklog,
  listEpics,
  matchRank,
  moveIndex,
  OPEN_WORK_AT_ONCE,
  openWork,
  openWorkSteps,
  reasons,
  reasonText,
  searchBugs,
  searchEpics,
  treeRows,
} from '../../public/model.js';
import { EXAMPLE, generatedView, view } from './fixtures.js';

const example = () => indexBacklog(view(EXAMPLE));

describe('indexing a backlog', () => {
  it('finds roots, parents, the epics reporting each bug, and counts per status', () => {
    const backlog = example();
    expect(backlog.roots).toEqual(['EpicA', 'EpicD', 'EpicE', 'EpicP', 'EpicU']);
    expect(backlog.parents.get('EpicS')).toEqual(['EpicQ', 'EpicR']);
    expect(backlog.bugs.get('BugT1')).toEqual(['EpicT', 'EpicU']);
    expect(backlog.bugIds).toEqual(['BugB1', 'BugE1', 'BugS1', 'BugT1']);
    expect(countByStatus(backlog)).toEqual({
      wip: 4,
      blocked: 3,
      pending_validation: 2,
      completed: 2,
      all: 11,
      attention: 5,
    });
  });

  it('draws a shared epic in full under the first parent that reaches it, in natural bug order', () => {
    const backlog = example();
    expect(backlog.home.get('EpicS')).toBe('EpicQ');
    expect(backlog.home.get('EpicT')).toBe('EpicS');
    expect(backlog.home.get('EpicP')).toBeNull();
    expect(homePath(backlog, 'EpicT')).toEqual(['EpicS', 'EpicQ', 'EpicP']);
    const bugs = indexBacklog({
      epics: [{ id: 'E', status: 'pending_validation', tasks: [], bugs: ['bug-10', 'bug-9', 'Bug-1'], epics: [] }],
    });
    expect(bugs.bugIds).toEqual(['Bug-1', 'bug-9', 'bug-10']);
  });
});

describe('the rows of the tree', () => {
  it('shows a shared epic once in full and as a reference under its other parents', () => {
    const backlog = example();
    const rows = treeRows(backlog, new Set(backlog.list.map((epic) => epic.id)));
    expect(rows.map((row) => `${'  '.repeat(row.level - 1)}${row.id}${row.ref ? ' ↪' : ''}`)).toEqual([
      'EpicA',
      '  EpicB',
      'EpicD',
      '  EpicC',
      'EpicE',
      'EpicP',
      '  EpicQ',
      '    EpicS',
      '      EpicT',
      '  EpicR',
      '    EpicS ↪',
      'EpicU',
    ]);
    const ref = rows.find((row) => row.ref);
    expect(ref).toMatchObject({
      key: 'EpicR\u0001EpicS',
      parent: 'EpicR',
      hasChildren: false,
      posinset: 1,
      setsize: 1,
    });
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
  });

  it('shows only the children of open epics', () => {
    const backlog = example();
    expect(treeRows(backlog, new Set()).map((row) => row.id)).toEqual(backlog.roots);
    const rows = treeRows(backlog, new Set(['EpicP']));
    expect(rows.map((row) => row.id)).toEqual(['EpicA', 'EpicD', 'EpicE', 'EpicP', 'EpicQ', 'EpicR', 'EpicU']);
    expect(rows.find((row) => row.id === 'EpicQ')).toMatchObject({ hasChildren: true, expanded: false, level: 2 });
  });

  it('at 2,000 generated epics, opened fully: one row per root and per link, each epic in full once', () => {
    const backlog = indexBacklog(generatedView(2_000));
    const rows = treeRows(backlog, new Set(backlog.list.map((epic) => epic.id)));
    const links = backlog.list.reduce((sum, epic) => sum + epic.epics.length, 0);
    expect(rows.length).toBe(backlog.roots.length + links);
    const full = rows.filter((row) => !row.ref).map((row) => row.id);
    expect(full.length).toBe(2_000);
    expect(new Set(full).size).toBe(2_000);
    // Shared epics there are: most rows are references, not repeated subtrees.
    expect(rows.filter((row) => row.ref).length).toBeGreaterThan(100);
  });
});

describe('why an epic waits', () => {
  it('a blocked epic: the open tasks it reaches, the nearest first, with the shortest path to each', () => {
    const why = reasons(example(), 'EpicP');
    expect(why).toMatchObject({ kind: 'tasks', more: false, itemCount: 2 });
    expect(why.holders).toEqual([
      { path: ['EpicP', 'EpicR'], items: ['TaskR1'] },
      { path: ['EpicP', 'EpicQ', 'EpicS', 'EpicT'], items: ['TaskT1'] },
    ]);
    expect(reasonText(why)).toBe('2 open tasks: TaskR1 in EpicR and more');
    expect(reasons(example(), 'EpicP', 1)).toMatchObject({ more: true, itemCount: 2 });
    expect(reasonText(reasons(example(), 'EpicQ'))).toBe('1 open task: TaskT1 in EpicS › EpicT');
  });

  it('a pending epic: its open bugs, its own first', () => {
    const why = reasons(example(), 'EpicE');
    expect(why).toEqual({ kind: 'bugs', holders: [{ path: ['EpicE'], items: ['BugE1'] }], more: false, itemCount: 1 });
    expect(reasonText(why)).toBe('1 open bug: BugE1 (its own)');
    expect(reasons(example(), 'EpicA').kind).toBeNull();
  });

  it('counts the open tasks and bugs under every epic, each once, as a walk of the DAG does', () => {
    const backlog = indexBacklog(generatedView(300));
    const work = openWork(backlog);
    backlog.list.forEach((epic, at) => {
      const tasks = new Set<string>();
      const bugs = new Set<string>();
      const seen = new Set([epic.id]);
      const stack = [epic.id];
      while (stack.length > 0) {
        const here = backlog.epics.get(stack.pop() as string);
        for (const task of here?.tasks ?? []) tasks.add(task);
        for (const bug of here?.bugs ?? []) bugs.add(bug);
        for (const child of here?.epics ?? []) if (!seen.has(child) && seen.add(child)) stack.push(child);
      }
      expect([work.tasks[at], work.bugs[at]], epic.id).toEqual([tasks.size, bugs.size]);
    });
  });

  it('counts a large backlog in slices, to the same figures; until then a reason has no count', () => {
    const whole = openWork(indexBacklog(generatedView(OPEN_WORK_AT_ONCE + 1)));
    const backlog = indexBacklog(generatedView(OPEN_WORK_AT_ONCE + 1));
    const blocked = backlog.list.find((epic) => epic.status === 'blocked')?.id as string;
    expect(reasons(backlog, blocked).itemCount).toBeNull();
    expect(reasonText(reasons(backlog, blocked))).toMatch(/^open tasks: /);
    let slices = 0;
    for (const _ of openWorkSteps(backlog, 1_000)) slices += 1;
    expect(slices).toBe(5);
    expect(backlog.work).toEqual(whole);
    backlog.reasonCache.clear();
    expect(reasons(backlog, blocked).itemCount).toBeGreaterThan(0);
  });

  it('on 2,000 generated epics, every blocked epic reaches open tasks and every pending one open bugs, along real links', () => {
    const backlog = indexBacklog(generatedView(2_000));
    let checked = 0;
    for (const epic of backlog.list) {
      if (epic.status !== 'blocked' && epic.status !== 'pending_validation') continue;
      const why = reasons(backlog, epic.id, 3);
      expect(why.kind).toBe(epic.status === 'blocked' ? 'tasks' : 'bugs');
      expect(why.itemCount).toBeGreaterThan(0);
      for (const holder of why.holders) {
        expect(holder.path[0]).toBe(epic.id);
        for (let i = 1; i < holder.path.length; i++) {
          expect(backlog.epics.get(holder.path[i - 1] as string)?.epics).toContain(holder.path[i]);
        }
        const last = backlog.epics.get(holder.path.at(-1) as string);
        expect(epic.status === 'blocked' ? last?.tasks : last?.bugs).toEqual(holder.items);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThan(500);
  });
});

describe('search', () => {
  const ranked = indexBacklog(
    view({
      'BUG-holder': { Tasks: [], Bugs: ['BUG-70', 'BUG-7xx'], Epics: [] },
      'EPIC-BUG-7': { Tasks: [], Bugs: [], Epics: [] },
      Exact: { Tasks: [], Bugs: ['BUG-7'], Epics: [] },
      'BUG-7-epic': { Tasks: [], Bugs: [], Epics: [] },
    }),
  );

  it('ranks exact matches first, then prefixes, then the rest, case-insensitive', () => {
    expect(matchRank('bug-7', 'bug-7')).toBe(0);
    expect(matchRank('bug-70', 'bug-7')).toBe(1);
    expect(matchRank('my-bug-7', 'bug-7')).toBe(2);
    expect(matchRank('bug-8', 'bug-7')).toBe(-1);
    expect(searchEpics(ranked, ' bug-7 ')).toEqual([
      { id: 'Exact', rank: 0, hit: 'bug BUG-7' },
      { id: 'BUG-holder', rank: 1, hit: 'bug BUG-70' },
      { id: 'BUG-7-epic', rank: 1, hit: null },
      { id: 'EPIC-BUG-7', rank: 2, hit: null },
    ]);
    expect(searchEpics(ranked, '   ')).toEqual([]);
  });

  it('finds an epic by its own task or bug', () => {
    expect(searchEpics(example(), 'TaskT1')).toEqual([{ id: 'EpicT', rank: 0, hit: 'task TaskT1' }]);
    expect(searchEpics(example(), 'BugT1').map((m) => m.id)).toEqual(['EpicT', 'EpicU']);
  });

  it('lists bugs in natural order, and a search exact first', () => {
    expect(searchBugs(ranked, '')).toEqual(['BUG-7', 'BUG-7xx', 'BUG-70']);
    const many = indexBacklog(
      view({ E: { Tasks: [], Bugs: ['BUG-71', 'XBUG-7', 'BUG-7', 'BUG-700', 'BUG-8'], Epics: [] } }),
    );
    expect(searchBugs(many, 'bug-7')).toEqual(['BUG-7', 'BUG-71', 'BUG-700', 'XBUG-7']);
  });
});

describe('the flat list', () => {
  it('lists the epics of the statuses asked, blocked first, then by creation', () => {
    const backlog = example();
    const attention = new Set(['blocked', 'pending_validation']);
    expect(listEpics(backlog, attention, { key: 'status', descending: false })).toEqual([
      'EpicP',
      'EpicQ',
      'EpicS',
      'EpicE',
      'EpicU',
    ]);
    expect(listEpics(backlog, attention, { key: 'id', descending: true })).toEqual([
      'EpicU',
      'EpicS',
      'EpicQ',
      'EpicP',
      'EpicE',
    ]);
    expect(listEpics(backlog, attention, { key: 'work', descending: false })[0]).toBe('EpicP');
    expect(listEpics(backlog, new Set(['completed']), { key: 'order', descending: false })).toEqual(['EpicC', 'EpicD']);
  });
});

describe('changes between two backlogs', () => {
  it('names the status moves and the epics touched', () => {
    const before = example();
    const after = indexBacklog(
      view({ ...EXAMPLE, EpicR: { Tasks: [], Bugs: [], Epics: ['EpicS'] }, EpicZ: { Tasks: [], Bugs: [], Epics: [] } }),
    );
    const { changes, touched } = diffBacklogs(before, after);
    expect(changes).toEqual([
      { epic: 'EpicR', from: 'wip', to: 'blocked' },
      { epic: 'EpicZ', from: null, to: 'completed' },
    ]);
    expect([...touched].sort()).toEqual(['EpicR', 'EpicZ']);
    expect(describeChanges(changes)).toBe('Backlog updated: EpicR WIP → Blocked; EpicZ added (Completed).');
    expect(describeChanges([])).toBe('Backlog updated; no status changed.');
    expect(diffBacklogs(null, after).changes).toEqual([]);
  });
});

describe('keys in lists', () => {
  it('moves with arrows, Home and End, within bounds', () => {
    expect(moveIndex('ArrowDown', 0, 3)).toBe(1);
    expect(moveIndex('ArrowDown', 2, 3)).toBe(2);
    expect(moveIndex('ArrowUp', 0, 3)).toBe(0);
    expect(moveIndex('Home', 2, 3)).toBe(0);
    expect(moveIndex('End', 0, 3)).toBe(2);
    expect(moveIndex('x', 0, 3)).toBeNull();
    expect(moveIndex('End', 0, 0)).toBeNull();
  });
});
