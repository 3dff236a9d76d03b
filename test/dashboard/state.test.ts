import { describe, expect, it } from 'vitest';
import { treeRows } from '../../public/model.js';
import {
  chooseBug,
  chooseCard,
  collapseAll,
  confirmBacklog,
  initialState,
  OPEN_TREE_UP_TO,
  receiveBacklog,
  receiveBlocked,
  receiveExtra,
  revealEpic,
  type State,
  search,
  sortBy,
  toggle,
} from '../../public/state.js';
import { EXAMPLE, generatedView, view } from './fixtures.js';

const loaded = (): State => receiveBacklog(initialState(), view(EXAMPLE), '"1"', 1_000);

/** The ids of the tree's rows as the state would draw them. */
function visible(state: State): string[] {
  if (!state.backlog) throw new Error('no backlog');
  return treeRows(state.backlog, state.expanded).map((row) => row.id);
}

describe('the state of the page', () => {
  it('opens a small tree fully and lists what needs attention', () => {
    const state = loaded();
    expect(state.etag).toBe('"1"');
    expect(state.listed).toEqual(['EpicP', 'EpicQ', 'EpicS', 'EpicE', 'EpicU']);
    expect(visible(state)).toHaveLength(12);
    expect(state.bugList).toEqual(['BugB1', 'BugE1', 'BugS1', 'BugT1']);
  });

  it(`opens a tree of more than ${OPEN_TREE_UP_TO} epics collapsed, then keeps what the reader opened`, () => {
    const first = receiveBacklog(initialState(), generatedView(200), '"1"', 0);
    expect(visible(first)).toEqual(first.backlog?.roots);
    const opened = toggle(first, 'epic-0');
    const again = receiveBacklog(opened, generatedView(200), '"2"', 1);
    expect(again.expanded.has('epic-0')).toBe(true);
  });

  it('after "Collapse all", a search opens the path to every match and scrolls to the best', () => {
    const state = search(collapseAll(loaded()), 'TaskT1');
    expect(visible(state)).toContain('EpicT');
    expect(state.matches).toEqual([{ id: 'EpicT', rank: 0, hit: 'task TaskT1' }]);
    expect(state.reveal).toMatchObject({ key: 'EpicT', focus: false });

    const big = search(collapseAll(receiveBacklog(initialState(), generatedView(2_000), null, 0)), 'epic-19');
    const rows = visible(big);
    expect(big.matches.map((m) => m.id).slice(0, 2)).toEqual(['epic-19', 'epic-190']);
    expect(big.matches).toHaveLength(111);
    for (const match of big.matches) expect(rows).toContain(match.id);
  });

  it('reveals an epic: its ancestors open, focused and chosen', () => {
    const state = revealEpic(collapseAll(loaded()), 'EpicS');
    expect(visible(state)).toEqual(['EpicA', 'EpicD', 'EpicE', 'EpicP', 'EpicQ', 'EpicS', 'EpicR', 'EpicU']);
    expect(state).toMatchObject({ treeFocus: 'EpicS', selected: 'EpicS', reveal: { key: 'EpicS', focus: true } });
    expect(revealEpic(state, 'nothing')).toBe(state);
  });

  it('the cards filter the flat list; sorting by the same key again reverses it', () => {
    expect(chooseCard(loaded(), 'completed').listed).toEqual(['EpicC', 'EpicD']);
    expect(chooseCard(loaded(), 'all').listed).toHaveLength(11);
    const byId = sortBy(loaded(), 'id');
    expect(byId.listed).toEqual(['EpicE', 'EpicP', 'EpicQ', 'EpicS', 'EpicU']);
    expect(sortBy(byId, 'id').listed).toEqual(['EpicU', 'EpicS', 'EpicQ', 'EpicP', 'EpicE']);
  });

  it('an update keeps choices, names what changed, and drops progress that may have moved', () => {
    let state = receiveExtra(loaded(), 'EpicP', {
      since: '2026-01-01T00:00:00Z',
      progress: { tasksDone: 0, tasksOpen: 2, bugsFixed: 0, bugsOpen: 2 },
    });
    state = receiveExtra(state, 'EpicR', { since: '2026-01-02T00:00:00Z' });
    state = chooseCard(toggle(state, 'EpicD', false), 'blocked');
    const unchanged = confirmBacklog(state, 2_000);
    expect(unchanged.updatedAt).toBe(2_000);
    expect(unchanged.extras).toBe(state.extras);

    const next = receiveBacklog(
      state,
      view({ ...EXAMPLE, EpicR: { Tasks: [], Bugs: [], Epics: ['EpicS'] } }),
      '"2"',
      3_000,
    );
    expect(next.changes).toEqual([{ epic: 'EpicR', from: 'wip', to: 'blocked' }]);
    expect(next.listed).toEqual(['EpicP', 'EpicQ', 'EpicR', 'EpicS']);
    expect(next.expanded.has('EpicD')).toBe(false);
    expect(next.extras.get('EpicP')).toEqual({ since: '2026-01-01T00:00:00Z' });
    expect(next.extras.has('EpicR')).toBe(false);
  });

  it('keeps the answer of the bug chosen only', () => {
    const state = chooseBug(loaded(), 'BugT1');
    expect(receiveBlocked(state, { bug: 'BugE1', blocked: [], highest: [] }).blocked).toBeNull();
    const answer = {
      bug: 'BugT1',
      blocked: [{ id: 'EpicU', status: 'pending_validation' as const }],
      highest: ['EpicU'],
    };
    expect(receiveBlocked(state, answer).blocked).toEqual(answer);
    // Fixed meanwhile: no longer chosen.
    const fixed = receiveBacklog(
      state,
      view({
        ...EXAMPLE,
        EpicT: { Tasks: ['TaskT1'], Bugs: [], Epics: [] },
        EpicU: { Tasks: [], Bugs: [], Epics: [] },
      }),
      '"2"',
      1,
    );
    expect(fixed.bug).toBeNull();
    expect(receiveBacklog(state, view(EXAMPLE), '"2"', 1).bug).toBe('BugT1');
  });
});
