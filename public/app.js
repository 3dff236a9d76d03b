// @ts-check
// The dashboard's entry: holds the state, applies transitions (state.js), draws (views.js)
// and talks to the API (data.js). Follows the event stream; polls with If-None-Match when
// the stream is refused or unavailable.

import * as api from './data.js';
import { describeChanges, OPEN_WORK_AT_ONCE, openWorkSteps } from './model.js';
import * as S from './state.js';
import { announce, createViews } from './views.js';

/** @typedef {import('./state.js').State} State */

const params = new URLSearchParams(location.search);
/** Polling period when there is no stream: `?poll=MS` (at least 250), default 5 s. */
const POLL_MS = Math.max(250, Number(params.get('poll')) || 5_000);
/** `?stream=off` polls without trying the stream. */
const USE_STREAM = params.get('stream') !== 'off';
/** Events arriving close together cost one read of the backlog. */
const EVENT_DEBOUNCE_MS = 100;

let state = S.initialState();
let drawPending = false;

/** @param {(state: State) => State} transition */
function apply(transition) {
  state = transition(state);
  if (drawPending) return;
  drawPending = true;
  queueMicrotask(() => {
    drawPending = false;
    const started = performance.now();
    views.render(state);
    performance.measure('dashboard:render', { start: started, end: performance.now() });
  });
}

const views = createViews({
  chooseCard: (card) => apply((s) => S.chooseCard(s, card)),
  sortBy: (key) => apply((s) => S.sortBy(s, key)),
  search: (query) => apply((s) => S.search(s, query)),
  searchBug: (query) => apply((s) => S.searchBug(s, query)),
  toggle: (id, open) => apply((s) => S.toggle(s, id, open)),
  expandAll: () => apply(S.expandAll),
  collapseAll: () => apply(S.collapseAll),
  reveal: (id) => apply((s) => S.revealEpic(s, id)),
  focusTree: (key) => apply((s) => S.focusTree(s, key)),
  focusList: (id) => apply((s) => S.focusList(s, id)),
  select: (id) => apply((s) => S.selectEpic(s, id)),
  chooseBug,
  refresh: () => load(),
  needExtras,
});

// ----- the backlog -----

/** @type {Promise<void> | null} */
let loading = null;
let loadAgain = false;

/** Reads the backlog (If-None-Match); one read at a time, one more if asked meanwhile. */
function load() {
  if (loading) {
    loadAgain = true;
    return loading;
  }
  loading = (async () => {
    do {
      loadAgain = false;
      outdated = false;
      try {
        const answer = await api.fetchBacklog(state.etag);
        const now = Date.now();
        if (answer === null) {
          apply((s) => S.confirmBacklog(s, now));
          continue;
        }
        const first = state.backlog === null;
        const started = performance.now();
        apply((s) => S.receiveBacklog(s, answer.view, answer.etag, now));
        performance.measure('dashboard:update', { start: started, end: performance.now() });
        if (first) performance.mark('dashboard:first-backlog');
        if (state.backlog && state.backlog.list.length > OPEN_WORK_AT_ONCE) countWork(state.backlog);
        if (!first && state.touched.size > 0) {
          announce(describeChanges(state.changes));
          if (state.bug) refreshBug(state.bug);
        }
      } catch (error) {
        apply((s) => S.fail(s, error instanceof Error ? error.message : String(error)));
      }
    } while (loadAgain);
  })().finally(() => {
    loading = null;
  });
  return loading;
}

/**
 * Counts the open work under every epic of a large backlog in slices of a few milliseconds,
 * between frames; the rows show their counts when it is done. Given up when a newer backlog came.
 * @param {import('./model.js').Backlog} backlog
 */
function countWork(backlog) {
  const steps = openWorkSteps(backlog, 400);
  const slice = () => {
    if (state.backlog !== backlog) return;
    const started = performance.now();
    while (performance.now() - started < 8) {
      if (steps.next().done) {
        backlog.reasonCache.clear();
        apply((s) => S.workCounted(s, backlog));
        return;
      }
    }
    setTimeout(slice, 0);
  };
  setTimeout(slice, 0);
}

// ----- following changes -----

/** @type {ReturnType<typeof setInterval> | undefined} */
let pollTimer;
/** An event said the backlog changed and it is not read yet. */
let outdated = false;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let eventTimer;

function poll() {
  apply((s) => S.setMode(s, 'polling'));
  clearInterval(pollTimer);
  pollTimer = setInterval(load, POLL_MS);
}

/**
 * While polling, the stream is tried again this often (`?retry=MS`, at least 500; default a
 * minute): a server with too many clients may have room later.
 */
const STREAM_RETRY_MS = Math.max(500, Number(params.get('retry')) || 60_000);

function follow() {
  api.followEvents({
    onOpen() {
      clearInterval(pollTimer);
      apply((s) => S.setMode(s, 'live'));
      // Whatever happened before the stream opened is read now.
      load();
    },
    onChange() {
      // The backlog shown is outdated: its epics' details wait for the new one.
      outdated = true;
      clearTimeout(eventTimer);
      eventTimer = setTimeout(load, EVENT_DEBOUNCE_MS);
    },
    onRefused() {
      poll();
      setTimeout(follow, STREAM_RETRY_MS);
    },
  });
}

if (USE_STREAM) follow();
else poll();
load();
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') load();
});

// ----- bugs -----

/** @param {string | null} bug */
function chooseBug(bug) {
  apply((s) => S.chooseBug(s, bug));
  if (bug !== null) refreshBug(bug);
}

/** @param {string} bug */
async function refreshBug(bug) {
  try {
    const answer = await api.fetchBlocked(bug);
    apply((s) => S.receiveBlocked(s, answer));
  } catch (error) {
    // A bug fixed meanwhile is a 404: the choice goes.
    if (error instanceof api.ApiError && error.status === 404) apply((s) => S.chooseBug(s, null));
    else apply((s) => S.fail(s, error instanceof Error ? error.message : String(error)));
  }
}

// ----- progress and "since", for the rows on screen only -----

const extrasQueue = api.loadQueue(4);
/** @type {Set<string>} */
const asked = new Set();
/** @type {import('./model.js').Backlog | null} the backlog for which `asked` holds */
let askedFor = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let extrasTimer;
/** @type {Set<string>} */
let wanted = new Set();
let probed = false;
let probing = false;
/** @type {string[]} */
let lastWanted = [];

/** Loads progress and history of these epics (once per change of them), a moment after scrolling stops. @param {string[]} ids */
function needExtras(ids) {
  for (const id of ids) wanted.add(id);
  clearTimeout(extrasTimer);
  extrasTimer = setTimeout(() => {
    // An epic of an outdated backlog may be gone: the redraw after the new one asks again.
    if (outdated) return;
    const ids = [...wanted];
    lastWanted = ids;
    wanted = new Set();
    // After a change of the backlog, what was asked before is asked again.
    if (askedFor !== state.backlog) {
      askedFor = state.backlog;
      asked.clear();
    }
    for (const id of ids) {
      // Until the server has told whether it gives progress and history, one epic asks.
      if (!probed) {
        if (probing) break;
        probing = true;
      }
      const extra = state.extras.get(id);
      const needsProgress = state.features.progress && extra?.progress === undefined;
      const needsSince = state.features.history && extra?.since === undefined;
      if ((!needsProgress && !needsSince) || asked.has(id) || !state.backlog?.epics.has(id)) continue;
      asked.add(id);
      extrasQueue.add(id, () => loadExtra(id, needsProgress, needsSince));
    }
  }, 120);
}

/** @param {string} id @param {boolean} progress @param {boolean} history */
async function loadExtra(id, progress, history) {
  try {
    const [got, since] = await Promise.all([
      progress ? api.fetchProgress(id) : Promise.resolve(null),
      history ? api.fetchSince(id) : Promise.resolve(null),
    ]);
    if (progress && got === undefined) apply((s) => S.lacks(s, 'progress'));
    if (history && since === undefined) apply((s) => S.lacks(s, 'history'));
    /** @type {import('./state.js').Extra} */
    const extra = {};
    if (got) extra.progress = got;
    // '' (an empty history: an epic older than the server's history) shows "unknown", not "…".
    if (typeof since === 'string') extra.since = since;
    if (extra.progress || extra.since !== undefined) apply((s) => S.receiveExtra(s, id, extra));
  } catch {
    // Progress and "since" are extras: the row keeps its "…" and the next change asks again.
  }
  if (!probed) {
    probed = true;
    needExtras(lastWanted);
  }
}
