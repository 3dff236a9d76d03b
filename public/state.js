// @ts-check
// The page's state and the only ways it changes: pure functions from a state to the next.
// Views read it; app.js applies these transitions and renders. No DOM, no I/O.

import {
  ATTENTION,
  allParents,
  diffBacklogs,
  homePath,
  indexBacklog,
  listEpics,
  STATUSES,
  searchBugs,
  searchEpics,
} from './model.js';

/** @typedef {import('./model.js').Backlog} Backlog */
/** @typedef {import('./model.js').BacklogView} BacklogView */
/** @typedef {import('./model.js').Status} Status */
/** @typedef {import('./model.js').Match} Match */
/** @typedef {import('./model.js').Change} Change */
/** @typedef {import('./model.js').SortKey} SortKey */
/** @typedef {'attention' | 'all' | Status} Card */
/** @typedef {{ tasksDone: number, tasksOpen: number, bugsFixed: number, bugsOpen: number }} Progress */
/** @typedef {{ progress?: Progress, since?: string }} Extra progress and "since when" of an epic, loaded lazily */
/** @typedef {{ bug: string, blocked: Array<{ id: string, status: Status }>, highest: string[] }} BlockedAnswer */

/**
 * @typedef {object} State
 * @property {Backlog | null} backlog
 * @property {string | null} etag of the backlog shown
 * @property {number} updatedAt when the backlog shown was last confirmed current (ms since epoch)
 * @property {'connecting' | 'live' | 'polling'} mode how the page follows the backlog
 * @property {string | null} error what went wrong with the last request, if it did
 * @property {Card} card the status card chosen: the flat list shows its epics
 * @property {{ key: SortKey, descending: boolean }} sort of the flat list
 * @property {string[]} listed the epics of the flat list, sorted
 * @property {string | null} listFocus the epic of the flat list holding the tab stop
 * @property {string} query the tree's search
 * @property {Match[]} matches of the search, best first
 * @property {Set<string>} expanded the open epics of the tree
 * @property {string | null} treeFocus the key of the tree row holding the tab stop
 * @property {{ key: string, seq: number, focus: boolean } | null} reveal a row of the tree to scroll into view (and focus)
 * @property {string | null} selected the epic whose details are shown
 * @property {string} bugQuery the bug list's search
 * @property {string[]} bugList the bugs listed
 * @property {string | null} bug the chosen bug
 * @property {BlockedAnswer | null} blocked the epics it blocks (GET /v1/bugs/{id}/blocked-epics)
 * @property {Map<string, Extra>} extras progress and since of the epics loaded so far
 * @property {{ progress: boolean, history: boolean }} features what the server answers (section 8)
 * @property {Backlog | null} counted the backlog whose open work is counted (`openWork`), once it is
 * @property {Change[]} changes the status changes of the last update
 * @property {Set<string>} touched the epics the last update changed
 */

/** Up to this many epics the tree opens fully; beyond, only the roots show. */
export const OPEN_TREE_UP_TO = 60;

/** A search opens the paths to at most this many matches (the best first). */
export const REVEAL_AT_MOST = 500;

/** @returns {State} */
export function initialState() {
  return {
    backlog: null,
    etag: null,
    updatedAt: 0,
    mode: 'connecting',
    error: null,
    card: 'attention',
    sort: { key: 'status', descending: false },
    listed: [],
    listFocus: null,
    query: '',
    matches: [],
    expanded: new Set(),
    treeFocus: null,
    reveal: null,
    selected: null,
    bugQuery: '',
    bugList: [],
    bug: null,
    blocked: null,
    extras: new Map(),
    features: { progress: true, history: true },
    counted: null,
    changes: [],
    touched: new Set(),
  };
}

/** The statuses a card shows. @param {Card} card @returns {Set<string>} */
export function cardStatuses(card) {
  if (card === 'attention') return new Set(ATTENTION);
  if (card === 'all') return new Set(STATUSES);
  return new Set([card]);
}

/**
 * A backlog read from the server (a 200 to GET /v1/backlog).
 * @param {State} state
 * @param {BacklogView} view
 * @param {string | null} etag
 * @param {number} now
 * @returns {State}
 */
export function receiveBacklog(state, view, etag, now) {
  const backlog = indexBacklog(view);
  const { changes, touched } = diffBacklogs(state.backlog, backlog);
  const first = state.backlog === null;
  const expanded = first && backlog.list.length <= OPEN_TREE_UP_TO ? allParents(backlog) : state.expanded;
  // A change below an epic moves its progress: every progress is read again after a change;
  // "since" changes only with the status, so only the changed epics lose theirs.
  const extras = touched.size === 0 ? state.extras : new Map();
  if (touched.size > 0) {
    for (const [id, extra] of state.extras) {
      if (!touched.has(id) && extra.since !== undefined) extras.set(id, { since: extra.since });
    }
  }
  const next = {
    ...state,
    backlog,
    etag,
    updatedAt: now,
    error: null,
    expanded,
    changes,
    touched,
    extras,
    selected: state.selected !== null && backlog.epics.has(state.selected) ? state.selected : null,
  };
  // A bug fixed meanwhile is no longer chosen.
  if (next.bug !== null && !backlog.bugs.has(next.bug)) {
    next.bug = null;
    next.blocked = null;
  }
  return refresh(next);
}

/** Derived lists (flat list, matches, bugs) after the backlog or a choice changed. @param {State} state */
function refresh(state) {
  const { backlog } = state;
  if (!backlog) return state;
  return {
    ...state,
    listed: listEpics(backlog, cardStatuses(state.card), state.sort),
    matches: searchEpics(backlog, state.query),
    bugList: searchBugs(backlog, state.bugQuery),
  };
}

/** The backlog is unchanged (304): only the moment of the last update moves. @param {State} state @param {number} now */
export function confirmBacklog(state, now) {
  return { ...state, updatedAt: now, error: null, changes: [], touched: new Set() };
}

/** @param {State} state @param {string} error @returns {State} */
export function fail(state, error) {
  return { ...state, error };
}

/** @param {State} state @param {State['mode']} mode @returns {State} */
export function setMode(state, mode) {
  return { ...state, mode };
}

/** @param {State} state @param {Card} card @returns {State} */
export function chooseCard(state, card) {
  return refresh({ ...state, card });
}

/** Sorting by the same key again reverses the order. @param {State} state @param {SortKey} key @returns {State} */
export function sortBy(state, key) {
  const descending = state.sort.key === key ? !state.sort.descending : false;
  return refresh({ ...state, sort: { key, descending } });
}

/**
 * A new search: the path to each match opens (the best REVEAL_AT_MOST), and the best match
 * is scrolled into view. Nothing is hidden.
 * @param {State} state
 * @param {string} query
 * @returns {State}
 */
export function search(state, query) {
  const next = refresh({ ...state, query });
  const { backlog } = next;
  if (!backlog || next.matches.length === 0) return next;
  const expanded = new Set(next.expanded);
  for (const match of next.matches.slice(0, REVEAL_AT_MOST)) {
    for (const above of homePath(backlog, match.id)) expanded.add(above);
  }
  const best = /** @type {Match} */ (next.matches[0]).id;
  return { ...next, expanded, treeFocus: best, reveal: { key: best, seq: (state.reveal?.seq ?? 0) + 1, focus: false } };
}

/** @param {State} state @param {string} query @returns {State} */
export function searchBug(state, query) {
  return refresh({ ...state, bugQuery: query });
}

/** @param {State} state @param {string} id @param {boolean} [open] @returns {State} */
export function toggle(state, id, open = !state.expanded.has(id)) {
  const expanded = new Set(state.expanded);
  if (open) expanded.add(id);
  else expanded.delete(id);
  return { ...state, expanded };
}

/** @param {State} state @returns {State} */
export function expandAll(state) {
  return state.backlog ? { ...state, expanded: allParents(state.backlog) } : state;
}

/** @param {State} state @returns {State} */
export function collapseAll(state) {
  return { ...state, expanded: new Set() };
}

/**
 * Shows an epic's full row in the tree: its ancestors open, the row focused and scrolled to.
 * @param {State} state
 * @param {string} id
 * @returns {State}
 */
export function revealEpic(state, id) {
  if (!state.backlog?.epics.has(id)) return state;
  const expanded = new Set(state.expanded);
  for (const above of homePath(state.backlog, id)) expanded.add(above);
  return {
    ...state,
    expanded,
    treeFocus: id,
    selected: id,
    reveal: { key: id, seq: (state.reveal?.seq ?? 0) + 1, focus: true },
  };
}

/** @param {State} state @param {string | null} key @returns {State} */
export function focusTree(state, key) {
  return { ...state, treeFocus: key };
}

/** @param {State} state @param {string | null} id @returns {State} */
export function focusList(state, id) {
  return { ...state, listFocus: id };
}

/** @param {State} state @param {string | null} id @returns {State} */
export function selectEpic(state, id) {
  return { ...state, selected: id };
}

/** @param {State} state @param {string | null} bug @returns {State} */
export function chooseBug(state, bug) {
  return { ...state, bug, blocked: null };
}

/** @param {State} state @param {BlockedAnswer} answer @returns {State} */
export function receiveBlocked(state, answer) {
  return state.bug === answer.bug ? { ...state, blocked: answer } : state;
}

/** @param {State} state @param {string} id @param {Extra} extra @returns {State} */
export function receiveExtra(state, id, extra) {
  const extras = new Map(state.extras);
  extras.set(id, { ...extras.get(id), ...extra });
  return { ...state, extras };
}

/** The open work of this backlog is counted (app.js counts a large one in slices). @param {State} state @param {Backlog} backlog @returns {State} */
export function workCounted(state, backlog) {
  return state.backlog === backlog ? { ...state, counted: backlog } : state;
}

/** @param {State} state @param {'progress' | 'history'} feature @returns {State} */
export function lacks(state, feature) {
  return { ...state, features: { ...state.features, [feature]: false } };
}
