// The backlog status dashboard: reads the public API only (GET /v1/backlog, polled with
// If-None-Match, and GET /v1/bugs/{bugId}/blocked-epics), builds every node with the DOM
// API (never from HTML strings) and keeps the user's filters, search, expanded nodes and
// focus across refreshes.
import {
  applyFilters,
  countByStatus,
  describeChanges,
  filtersActive,
  indexBacklog,
  KEY_SEPARATOR,
  plural,
  rollup,
  STATUS_INFO,
  STATUSES,
} from './model.js';

const params = new URLSearchParams(window.location.search);
/** Poll period in ms; `?poll=` overrides it (tests use a short one). */
const POLL_MS = Math.min(Math.max(Number(params.get('poll')) || 5000, 250), 600_000);
/** Above this many epics the tree opens with its roots only. */
const LARGE_BACKLOG = 200;
/** Rows rendered open at most; past it nodes start closed (they still open on demand). */
const MAX_OPEN_ROWS = 2000;

const state = {
  etag: null,
  index: null,
  filters: { statuses: new Set(), query: '' },
  view: { match: new Map(), shown: new Map() },
  /** The user's own choices, path key → expanded; otherwise `defaultExpanded`, then the size rule. */
  toggled: new Map(),
  defaultExpanded: null,
  /** The tree item that holds tabindex 0 (roving tabindex), and the one selected. */
  focusKey: null,
  selectedKey: null,
  /** The chosen bug: { id, loading } | { id, blocked, highest } | { id, gone } | { id, error }. */
  bug: null,
  lastUpdated: null,
  lastChecked: null,
  renderedRows: 0,
};

const itemsByKey = new Map();
const $ = (id) => document.getElementById(id);

/** Builds an element; text always goes in as text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function statusLabel(status) {
  return STATUS_INFO[status]?.label ?? status;
}

function badge(status) {
  const info = STATUS_INFO[status] ?? { label: status, icon: '?' };
  return el(
    'span',
    { class: `badge status-${status}`, 'data-status': status },
    el('span', { class: 'icon', 'aria-hidden': 'true', text: info.icon }),
    ` ${info.label}`,
  );
}

// ---------------------------------------------------------------- announcements, errors

let announceTimer;
/** Says it in the live region after `delay` ms, unless something newer is said before. */
function announce(message, delay = 50) {
  const live = $('live');
  live.textContent = '';
  clearTimeout(announceTimer);
  // Emptied first, so that the same message twice is read twice.
  announceTimer = setTimeout(() => {
    live.textContent = message;
  }, delay);
}

function showError(message) {
  const box = $('error');
  if (box.textContent !== message) box.textContent = message;
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

async function problemText(response) {
  if (response.status === 401) {
    return 'This service needs an API key to read the backlog (AUTH_READS=true); the dashboard reads without one.';
  }
  try {
    const problem = await response.json();
    if (problem && typeof problem.title === 'string') return `${problem.title}: ${problem.detail ?? ''}`.trim();
  } catch {
    // not JSON: fall through
  }
  return `The service answered ${response.status}.`;
}

// ---------------------------------------------------------------- loading

let pollTimer;
let inFlight = null;

function schedule() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(() => {
    if (document.hidden) schedule();
    else poll();
  }, POLL_MS);
}

function poll() {
  if (inFlight) return inFlight;
  clearTimeout(pollTimer);
  inFlight = load().finally(() => {
    inFlight = null;
    schedule();
  });
  return inFlight;
}

async function load() {
  const headers = { accept: 'application/json' };
  if (state.etag) headers['if-none-match'] = state.etag;
  let response;
  try {
    response = await fetch('/v1/backlog', { headers, cache: 'no-store' });
  } catch {
    showError(`Cannot reach the service; retrying every ${POLL_MS / 1000} s.`);
    return;
  }
  state.lastChecked = new Date();
  if (response.status === 304) {
    clearError();
    renderUpdated();
    return;
  }
  if (!response.ok) {
    showError(`${await problemText(response)} Retrying every ${POLL_MS / 1000} s.`);
    renderUpdated();
    return;
  }
  const view = await response.json();
  clearError();
  const before = state.index;
  state.etag = response.headers.get('etag');
  state.index = indexBacklog(view);
  state.lastUpdated = state.lastChecked;
  if (state.bug) state.bug = await fetchBlocked(state.bug.id);
  render();
  document.body.dataset.loaded = 'true';
  announce(describeChanges(before, state.index) ?? `Backlog loaded: ${plural(state.index.epics.size, 'epic')}.`);
}

async function fetchBlocked(id) {
  try {
    const response = await fetch(`/v1/bugs/${encodeURIComponent(id)}/blocked-epics`, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    if (response.status === 404) return { id, gone: true };
    if (!response.ok) return { id, error: await problemText(response) };
    const body = await response.json();
    return { id, blocked: body.blocked, highest: body.highest };
  } catch {
    return { id, error: 'Cannot reach the service.' };
  }
}

async function chooseBug(id) {
  if (state.bug?.id === id) {
    clearBug();
    return;
  }
  state.bug = { id, loading: true };
  render();
  const result = await fetchBlocked(id);
  if (state.bug?.id !== id) return; // another bug was chosen meanwhile
  state.bug = result;
  render();
  announce(blockedSummary(result));
}

function clearBug() {
  state.bug = null;
  render();
  announce('Bug selection cleared.');
}

function blockedSummary(bug) {
  if (bug.gone) return `${bug.id} no longer exists: it was fixed or removed.`;
  if (bug.error) return `Cannot tell what ${bug.id} blocks: ${bug.error}`;
  if (!bug.blocked) return `Loading what ${bug.id} blocks…`;
  return `${bug.id} blocks ${plural(bug.blocked.length, 'epic')}; the highest: ${bug.highest.join(', ')}.`;
}

/** 'highest', 'blocked' or null: how the chosen bug touches the epic. */
function bugMark(id) {
  const bug = state.bug;
  if (!bug?.blocked) return null;
  if (bug.highest.includes(id)) return 'highest';
  return bug.blocked.some((epic) => epic.id === id) ? 'blocked' : null;
}

// ---------------------------------------------------------------- rendering

function render() {
  const restoreFocus = keepFocus();
  const index = state.index;
  const empty = index !== null && index.epics.size === 0;
  $('empty').hidden = !empty;
  $('controls').hidden = empty;
  document.querySelector('.side').hidden = empty;
  document.querySelector('.layout').classList.toggle('is-empty', empty);
  $('tree-help').hidden = empty;
  renderUpdated();
  renderSummary();
  renderTree();
  renderDetails();
  renderBugs();
  renderBlocked();
  restoreFocus();
}

/** Re-rendering replaces nodes: the focused one is found again by its data-focus-id. */
function keepFocus() {
  const active = document.activeElement;
  const id = active instanceof HTMLElement ? active.dataset.focusId : undefined;
  if (id === undefined) return () => {};
  return () => {
    if (active.isConnected) return;
    const again = [...document.querySelectorAll('[data-focus-id]')].find((node) => node.dataset.focusId === id);
    const fallback = id.startsWith('epic:') ? $('tree').querySelector('[role="treeitem"][tabindex="0"]') : null;
    (again ?? fallback)?.focus();
  };
}

function renderUpdated() {
  const parts = [];
  if (state.lastUpdated) parts.push(`Updated ${state.lastUpdated.toLocaleTimeString()}`);
  if (state.lastChecked) parts.push(`checked ${state.lastChecked.toLocaleTimeString()}`);
  parts.push(`refreshes every ${POLL_MS >= 1000 ? `${POLL_MS / 1000} s` : `${POLL_MS} ms`}`);
  $('updated').textContent = parts.join(' · ');
}

function renderSummary() {
  const summary = $('summary');
  if (!state.index) return;
  const counts = countByStatus(state.index);
  summary.replaceChildren(
    el(
      'li',
      { class: 'summary-item total', 'data-status': 'all' },
      el('strong', { class: 'summary-count', text: String(state.index.epics.size) }),
      ` ${state.index.epics.size === 1 ? 'epic' : 'epics'} in all`,
    ),
    ...STATUSES.map((status) =>
      el(
        'li',
        { class: `summary-item status-${status}`, 'data-status': status },
        badge(status),
        el('strong', { class: 'summary-count', text: String(counts[status]) }),
        ` ${counts[status] === 1 ? 'epic' : 'epics'}`,
      ),
    ),
  );
}

function isExpanded(id, key, level) {
  if (state.toggled.has(key)) return state.toggled.get(key);
  if (state.renderedRows >= MAX_OPEN_ROWS) return false;
  if (state.defaultExpanded !== null) return state.defaultExpanded;
  if (state.index.epics.size <= LARGE_BACKLOG) return true;
  // A large backlog opens with its roots, and with the way down to whatever the filters find.
  return level === 1 || (filtersActive(state.filters) && !state.view.match.has(id));
}

function childrenShown(id) {
  const epic = state.index.epics.get(id);
  return epic.epics.filter((child) => state.index.epics.has(child) && state.view.shown.get(child) === true);
}

function renderTree() {
  const tree = $('tree');
  itemsByKey.clear();
  state.renderedRows = 0;
  const index = state.index;
  if (!index || index.epics.size === 0) {
    tree.replaceChildren();
    $('no-match').hidden = true;
    $('filter-result').textContent = '';
    return;
  }
  state.view = applyFilters(index, state.filters);
  const roots = index.roots.filter((id) => state.view.shown.get(id) === true);
  tree.replaceChildren(...roots.map((id, i) => treeItem(id, [id], 1, i + 1, roots.length)));
  $('no-match').hidden = roots.length > 0;
  $('filter-result').textContent = filtersActive(state.filters)
    ? `${plural(state.view.match.size, 'epic')} of ${index.epics.size} match the filters; epics above them are shown for context.`
    : '';

  // Roving tabindex: the item focused before (or its nearest ancestor still shown), else the first.
  let item = null;
  if (state.focusKey !== null) {
    const path = state.focusKey.split(KEY_SEPARATOR);
    while (path.length > 0 && !item) {
      item = itemsByKey.get(path.join(KEY_SEPARATOR)) ?? null;
      path.pop();
    }
  }
  item ??= tree.querySelector('[role="treeitem"]');
  if (item) {
    item.tabIndex = 0;
    state.focusKey = item.dataset.key;
  }
}

function treeItem(id, path, level, posinset, setsize) {
  state.renderedRows += 1;
  const index = state.index;
  const epic = index.epics.get(id);
  const key = path.join(KEY_SEPARATOR);
  const children = childrenShown(id);
  const expanded = children.length > 0 && isExpanded(id, key, level);
  const all = rollup(index, id);
  const parents = index.parents.get(id);
  const shared = parents.length > 1;
  const hit = state.view.match.get(id);
  const context = filtersActive(state.filters) && !state.view.match.has(id);
  const mark = bugMark(id);
  const ownTasks = epic.tasks.length;
  const ownBugs = epic.bugs.length;

  const label = [
    id,
    statusLabel(epic.status),
    `tasks: ${ownTasks} own, ${all.tasks} rolled-up`,
    `bugs: ${ownBugs} own, ${all.bugs.length} rolled-up`,
    shared ? `shared by ${parents.length} parents` : null,
    mark === 'highest' ? `highest epic blocked by ${state.bug.id}` : null,
    mark === 'blocked' ? `blocked by ${state.bug.id}` : null,
    hit ? `matches ${hit}` : null,
    context ? 'shown for context' : null,
  ]
    .filter(Boolean)
    .join(', ');

  const li = el('div', {
    role: 'treeitem',
    class: ['node', context ? 'context' : '', mark ? `marked-${mark}` : ''].filter(Boolean).join(' '),
    tabindex: '-1',
    'aria-level': level,
    'aria-setsize': setsize,
    'aria-posinset': posinset,
    'aria-selected': String(state.selectedKey === key),
    'aria-expanded': children.length > 0 ? String(expanded) : null,
    'aria-label': label,
    'data-key': key,
    'data-epic': id,
    'data-status': epic.status,
    'data-shared': shared ? 'true' : null,
    'data-blocked': mark,
    'data-focus-id': `epic:${key}`,
  });
  const row = el(
    'div',
    { class: 'row' },
    el('span', {
      class: 'twisty',
      'aria-hidden': 'true',
      text: children.length > 0 ? (expanded ? '▾' : '▸') : '',
    }),
    el('span', { class: 'epic-id', text: id }),
    badge(epic.status),
    el(
      'span',
      {
        class: 'counts',
        'data-own-tasks': ownTasks,
        'data-all-tasks': all.tasks,
        'data-own-bugs': ownBugs,
        'data-all-bugs': all.bugs.length,
      },
      el(
        'span',
        { class: 'count' },
        'Tasks ',
        el('strong', { text: String(ownTasks) }),
        ' own · ',
        el('strong', { text: String(all.tasks) }),
        ' rolled-up',
      ),
      el(
        'span',
        { class: 'count' },
        'Bugs ',
        el('strong', { text: String(ownBugs) }),
        ' own · ',
        el('strong', { text: String(all.bugs.length) }),
        ' rolled-up',
      ),
    ),
    shared ? el('span', { class: 'tag shared', text: `⇉ shared · ${parents.length} parents` }) : null,
    mark === 'highest'
      ? el('span', { class: 'tag bug-mark highest', text: `★ highest blocked by ${state.bug.id}` })
      : null,
    mark === 'blocked' ? el('span', { class: 'tag bug-mark', text: `blocked by ${state.bug.id}` }) : null,
    hit ? el('span', { class: 'tag hit', text: `matches ${hit}` }) : null,
    context ? el('span', { class: 'tag context-tag', text: 'context' }) : null,
  );
  li.append(row);
  if (children.length > 0) {
    const group = el('div', { role: 'group' });
    if (expanded) fillGroup(group, children, path, level + 1);
    else group.hidden = true;
    li.append(group);
  }
  itemsByKey.set(key, li);
  return li;
}

function fillGroup(group, children, path, level) {
  group.replaceChildren(
    ...children.map((child, i) => treeItem(child, [...path, child], level, i + 1, children.length)),
  );
}

function toggle(item, expand = item.getAttribute('aria-expanded') !== 'true') {
  if (!item.hasAttribute('aria-expanded')) return;
  const key = item.dataset.key;
  state.toggled.set(key, expand);
  item.setAttribute('aria-expanded', String(expand));
  item.querySelector(':scope > .row > .twisty').textContent = expand ? '▾' : '▸';
  const group = item.querySelector(':scope > [role="group"]');
  if (expand && group.childElementCount === 0) {
    fillGroup(
      group,
      childrenShown(item.dataset.epic),
      key.split(KEY_SEPARATOR),
      Number(item.getAttribute('aria-level')) + 1,
    );
  }
  group.hidden = !expand;
}

function visibleItems() {
  return [...$('tree').querySelectorAll('[role="treeitem"]')].filter(
    (item) => item.closest('[role="group"][hidden]') === null,
  );
}

function focusItem(item) {
  if (!item) return;
  for (const other of $('tree').querySelectorAll('[role="treeitem"][tabindex="0"]')) other.tabIndex = -1;
  item.tabIndex = 0;
  item.focus();
}

function select(item) {
  state.focusKey = item.dataset.key;
  if (state.selectedKey === item.dataset.key) return;
  state.selectedKey = item.dataset.key;
  for (const other of $('tree').querySelectorAll('[role="treeitem"][aria-selected="true"]')) {
    other.setAttribute('aria-selected', 'false');
  }
  item.setAttribute('aria-selected', 'true');
  renderDetails();
}

function selectedEpic() {
  if (state.selectedKey === null || !state.index) return null;
  const id = state.selectedKey.split(KEY_SEPARATOR).at(-1);
  return state.index.epics.get(id) ?? null;
}

function bugButton(id, focusPrefix, note) {
  return el(
    'button',
    {
      type: 'button',
      class: 'bug',
      'data-bug': id,
      'data-focus-id': `${focusPrefix}:${id}`,
      'aria-pressed': String(state.bug?.id === id),
    },
    el('span', { class: 'bug-icon', 'aria-hidden': 'true', text: '✱' }),
    ` ${id}`,
    note ? el('span', { class: 'note', text: ` ${note}` }) : null,
  );
}

function idList(ids, empty) {
  if (ids.length === 0) return el('p', { class: 'muted', text: empty });
  return el('ul', { class: 'id-list' }, ...ids.map((id) => el('li', { text: id })));
}

function renderDetails() {
  const body = $('details-body');
  const epic = selectedEpic();
  if (!epic) {
    state.selectedKey = null;
    body.replaceChildren(el('p', { class: 'muted', text: 'Choose an epic in the tree.' }));
    return;
  }
  const index = state.index;
  const all = rollup(index, epic.id);
  const parents = index.parents.get(epic.id);
  body.replaceChildren(
    el('h3', { class: 'details-title', text: epic.id }),
    el('p', {}, badge(epic.status), ` ${STATUS_INFO[epic.status]?.description ?? ''}`),
    el('h4', { text: 'Parents' }),
    idList(parents, 'None: a root epic.'),
    el('h4', { text: 'Linked epics' }),
    idList(epic.epics, 'None.'),
    el('h4', { text: `Own tasks (${epic.tasks.length}; ${all.tasks} rolled-up)` }),
    idList(epic.tasks, 'None.'),
    el('h4', { text: `Bugs (${epic.bugs.length} own; ${all.bugs.length} rolled-up)` }),
    all.bugs.length === 0
      ? el('p', { class: 'muted', text: 'None.' })
      : el(
          'ul',
          { class: 'bug-list' },
          ...all.bugs.map((bug) =>
            el('li', {}, bugButton(bug, 'detail-bug', epic.bugs.includes(bug) ? '(own)' : '(linked epic)')),
          ),
        ),
  );
}

function renderBugs() {
  const list = $('bug-list');
  if (!state.index) return;
  if (state.index.bugs.size === 0) {
    list.replaceChildren(el('li', { class: 'muted', text: 'No open bug.' }));
    return;
  }
  list.replaceChildren(
    ...[...state.index.bugs].map(([id, epics]) => el('li', {}, bugButton(id, 'bug', `in ${epics.join(', ')}`))),
  );
}

function renderBlocked() {
  const panel = $('blocked');
  const bug = state.bug;
  panel.hidden = bug === null;
  if (!bug) return;
  const body = $('blocked-body');
  if (!bug.blocked) {
    body.replaceChildren(el('p', { class: bug.error || bug.gone ? 'notice' : 'muted', text: blockedSummary(bug) }));
    return;
  }
  const order = [
    ...bug.blocked.filter((epic) => bug.highest.includes(epic.id)),
    ...bug.blocked.filter((epic) => !bug.highest.includes(epic.id)),
  ];
  body.replaceChildren(
    el('p', {}, el('strong', { text: bug.id }), ` blocks ${plural(bug.blocked.length, 'epic')}.`),
    el(
      'ul',
      { class: 'blocked-list' },
      ...order.map((epic) => {
        const highest = bug.highest.includes(epic.id);
        return el(
          'li',
          { class: highest ? 'highest' : '', 'data-epic': epic.id, 'data-highest': String(highest) },
          el('span', { class: 'star', 'aria-hidden': 'true', text: highest ? '★' : '·' }),
          el('span', { class: 'epic-id', text: epic.id }),
          badge(epic.status),
          highest ? el('span', { class: 'tag bug-mark highest', text: 'highest' }) : null,
        );
      }),
    ),
  );
}

function renderStatusFilter() {
  const fieldset = $('status-filter');
  for (const status of STATUSES) {
    fieldset.append(
      el(
        'label',
        { class: 'filter-option' },
        el('input', { type: 'checkbox', name: 'status', value: status, 'data-status': status }),
        badge(status),
      ),
    );
  }
}

function renderEmptyHint() {
  $('empty-example').textContent = [
    '{',
    '  "EpicA": { "Tasks": ["TaskA1", "TaskA2"], "Bugs": [], "Epics": ["EpicB"] },',
    '  "EpicB": { "Tasks": ["TaskB1"], "Bugs": ["BugB1"], "Epics": [] }',
    '}',
  ].join('\n');
  $('empty-curl').textContent = [
    `curl -X POST '${window.location.origin}/v1/backlog' \\`,
    "  -H 'Content-Type: application/json' \\",
    "  -H 'Authorization: Bearer YOUR_API_KEY' \\",
    '  --data-binary @backlog.json',
  ].join('\n');
}

// ---------------------------------------------------------------- events

function onFiltersChanged() {
  const restoreFocus = keepFocus();
  renderTree();
  restoreFocus();
  // Once typing pauses; anything said meanwhile wins.
  announce(
    filtersActive(state.filters)
      ? `${plural(state.view.match.size, 'epic')} match the filters.`
      : 'Filters cleared: every epic shown.',
    500,
  );
}

function wireEvents() {
  const tree = $('tree');
  tree.addEventListener('focusin', (event) => {
    const item = event.target.closest('[role="treeitem"]');
    if (item && event.target === item) {
      for (const other of tree.querySelectorAll('[role="treeitem"][tabindex="0"]')) {
        if (other !== item) other.tabIndex = -1;
      }
      item.tabIndex = 0;
      select(item);
    }
  });
  tree.addEventListener('click', (event) => {
    const item = event.target.closest('[role="treeitem"]');
    if (!item) return;
    if (event.target.closest('.twisty')) toggle(item);
    focusItem(item);
  });
  tree.addEventListener('keydown', (event) => {
    const item = event.target.closest('[role="treeitem"]');
    if (!item || event.target !== item || event.altKey || event.ctrlKey || event.metaKey) return;
    const visible = visibleItems();
    const at = visible.indexOf(item);
    const expanded = item.getAttribute('aria-expanded');
    switch (event.key) {
      case 'ArrowDown':
        focusItem(visible[at + 1]);
        break;
      case 'ArrowUp':
        focusItem(visible[at - 1]);
        break;
      case 'Home':
        focusItem(visible[0]);
        break;
      case 'End':
        focusItem(visible.at(-1));
        break;
      case 'ArrowRight':
        if (expanded === 'false') toggle(item, true);
        else if (expanded === 'true') focusItem(item.querySelector(':scope > [role="group"] > [role="treeitem"]'));
        break;
      case 'ArrowLeft':
        if (expanded === 'true') toggle(item, false);
        else focusItem(item.parentElement.closest('[role="treeitem"]'));
        break;
      case 'Enter':
      case ' ':
        toggle(item);
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  $('status-filter').addEventListener('change', (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement)) return;
    if (box.checked) state.filters.statuses.add(box.value);
    else state.filters.statuses.delete(box.value);
    onFiltersChanged();
  });
  let searchTimer;
  $('search').addEventListener('input', (event) => {
    state.filters.query = event.target.value;
    // A large tree is redrawn once typing pauses, a small one at once.
    clearTimeout(searchTimer);
    searchTimer = setTimeout(onFiltersChanged, state.index && state.index.epics.size > LARGE_BACKLOG ? 250 : 0);
  });
  $('clear-filters').addEventListener('click', () => {
    state.filters.statuses.clear();
    state.filters.query = '';
    $('search').value = '';
    clearTimeout(searchTimer);
    for (const box of $('status-filter').querySelectorAll('input')) box.checked = false;
    onFiltersChanged();
  });
  $('expand-all').addEventListener('click', () => {
    state.toggled.clear();
    state.defaultExpanded = true;
    render();
    announce('Every epic expanded.');
  });
  $('collapse-all').addEventListener('click', () => {
    state.toggled.clear();
    state.defaultExpanded = false;
    render();
    announce('Every epic collapsed.');
  });
  $('refresh').addEventListener('click', () => {
    poll();
  });
  $('clear-bug').addEventListener('click', () => {
    clearBug();
    $('bug-list').querySelector('button')?.focus();
  });
  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-bug]');
    if (button) chooseBug(button.dataset.bug);
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) poll();
  });
}

renderStatusFilter();
renderEmptyHint();
wireEvents();
poll();
