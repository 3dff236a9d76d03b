// @ts-check
// The page drawn from the state: each part redraws when the slices of state it reads
// change, and lists draw only the rows on screen. User input becomes calls of `actions`;
// nothing here changes the state itself.

import {
  countByStatus,
  KEY_SEPARATOR,
  moveIndex,
  plural,
  reasons,
  reasonText,
  STATUS_INFO,
  statusLabel,
  treeRows,
} from './model.js';
import { virtualList } from './virtual-list.js';

/** @typedef {import('./state.js').State} State */
/** @typedef {import('./state.js').Card} Card */
/** @typedef {import('./state.js').Extra} Extra */
/** @typedef {import('./model.js').Backlog} Backlog */
/** @typedef {import('./model.js').TreeRow} TreeRow */
/** @typedef {import('./model.js').SortKey} SortKey */

/**
 * @typedef {object} Actions what the user can do
 * @property {(card: Card) => void} chooseCard
 * @property {(key: SortKey) => void} sortBy
 * @property {(query: string) => void} search
 * @property {(query: string) => void} searchBug
 * @property {(id: string, open?: boolean) => void} toggle
 * @property {() => void} expandAll
 * @property {() => void} collapseAll
 * @property {(id: string) => void} reveal
 * @property {(key: string | null) => void} focusTree
 * @property {(id: string | null) => void} focusList
 * @property {(id: string | null) => void} select
 * @property {(bug: string | null) => void} chooseBug
 * @property {() => void} refresh
 * @property {(ids: string[]) => void} needExtras
 */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attributes]
 * @param {Array<Node | string | null | undefined | false>} children
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** @param {string} status */
function badge(status) {
  const info = STATUS_INFO[/** @type {import('./model.js').Status} */ (status)];
  return el(
    'span',
    { class: `badge status-${status}` },
    el('span', { class: 'icon', 'aria-hidden': 'true' }, info?.icon ?? '?'),
    ` ${statusLabel(status)}`,
  );
}

const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "since" as a reader wants it: how long ago, and the moment itself in `datetime`. @param {string} at @param {number} now */
function since(at, now) {
  // An epic with no history (made before the server kept it) has no "since".
  if (at === '') return el('span', { class: 'muted' }, 'unknown');
  const then = Date.parse(at);
  const minutes = Math.max(0, Math.round((now - then) / 60_000));
  const text =
    minutes < 1
      ? 'just now'
      : minutes < 60
        ? `${minutes} min`
        : minutes < 48 * 60
          ? `${Math.round(minutes / 60)} h`
          : `${Math.round(minutes / 1440)} days`;
  return el('time', { datetime: at, title: DAY.format(then) }, text);
}

/** @param {import('./state.js').Progress} progress */
function progressNode(progress) {
  const total = progress.tasksDone + progress.tasksOpen;
  const label = `${progress.tasksDone} of ${total} tasks done, ${progress.bugsOpen} of ${progress.bugsFixed + progress.bugsOpen} bugs open`;
  return el(
    'span',
    { class: 'progress', title: label },
    el('progress', { max: Math.max(total, 1), value: progress.tasksDone, 'aria-label': label }),
    el('span', { class: 'progress-text' }, `${progress.tasksDone}/${total}`),
  );
}

/** The cards: one per status, plus "needs attention" and "all". @type {Array<{ card: Card, label: string }>} */
const CARDS = [
  { card: 'attention', label: 'Needs attention' },
  { card: 'blocked', label: 'Blocked' },
  { card: 'pending_validation', label: 'Pending validation' },
  { card: 'wip', label: 'WIP' },
  { card: 'completed', label: 'Completed' },
  { card: 'all', label: 'All epics' },
];

/** The epics a bug blocks listed in its panel, the highest first. */
export const BLOCKED_SHOWN = 300;

/** The heading of the flat list for each card. */
const LIST_TITLES = {
  attention: 'Needs attention',
  blocked: 'Blocked epics',
  pending_validation: 'Epics pending validation',
  wip: 'Epics in progress',
  completed: 'Completed epics',
  all: 'All epics',
};

/**
 * Builds the views on the page's static skeleton (index.html).
 * @param {Actions} actions
 */
export function createViews(actions) {
  /** @type {State | null} */
  let shown = null;
  /** @type {'tree' | 'list' | 'bugs' | null} where keyboard focus must follow after the next draw */
  let follow = null;
  /** @type {string | null} */
  let bugFocus = null;
  /** @type {{ backlog: Backlog | null, expanded: Set<string> | null, rows: TreeRow[] }} */
  let treeMemo = { backlog: null, expanded: null, rows: [] };

  const rowsOf = (/** @type {State} */ state) => {
    if (!state.backlog) return [];
    if (treeMemo.backlog !== state.backlog || treeMemo.expanded !== state.expanded) {
      treeMemo = { backlog: state.backlog, expanded: state.expanded, rows: treeRows(state.backlog, state.expanded) };
    }
    return treeMemo.rows;
  };

  // ----- the flat list (needs attention, or the card chosen): an ARIA table of virtual rows -----
  const table = $('attention');
  table.setAttribute('role', 'table');
  table.setAttribute('aria-rowcount', '1');
  table.setAttribute('aria-labelledby', 'attention-heading');
  const attentionRows = $('attention-rows');
  attentionRows.setAttribute('role', 'rowgroup');
  const header = (/** @type {string} */ name, /** @type {string} */ label, /** @type {SortKey | null} */ sort) =>
    el(
      'div',
      { role: 'columnheader', class: `c-${name}`, 'data-sort': sort },
      sort ? el('button', { type: 'button' }, label) : label,
    );
  table.prepend(
    el(
      'div',
      { role: 'rowgroup', class: 'table-head' },
      el(
        'div',
        { role: 'row', class: 'trow thead', 'aria-rowindex': 1 },
        header('epic', 'Epic', 'id'),
        header('status', 'Status', 'status'),
        header('why', 'Why: open work under it', 'work'),
        header('progress', 'Progress', null),
        header('since', 'Since', null),
      ),
    ),
  );
  /** @type {ReturnType<typeof virtualList<string>>} */
  const list = virtualList({
    viewport: attentionRows,
    key: (id) => id,
    signature: (id, index) => {
      const state = /** @type {State} */ (shown);
      const epic = state.backlog?.epics.get(id);
      const extra = state.extras.get(id);
      // "Why" moves with any change below the epic: its text is part of what is compared.
      const why = state.backlog ? reasonText(reasons(state.backlog, id)) : '';
      return [
        index,
        epic?.status,
        why,
        extra?.progress ? JSON.stringify(extra.progress) : '',
        extra?.since ?? '',
        state.listFocus === id,
        state.selected === id,
        state.features.progress,
        state.features.history,
        state.listed.length,
        state.backlog?.list.length,
      ].join('|');
    },
    render: (id, index) => attentionRow(/** @type {State} */ (shown), id, index),
    drawn: () => {
      if (shown) actions.needExtras(onScreen());
    },
  });

  /** The epics of the flat list on screen now. */
  function onScreen() {
    const height = Number.parseFloat(getComputedStyle(attentionRows).getPropertyValue('--row-height')) || 40;
    const first = Math.floor(attentionRows.scrollTop / height);
    const last = Math.ceil((attentionRows.scrollTop + attentionRows.clientHeight) / height);
    return list.items.slice(first, last + 1);
  }

  /** @param {State} state @param {string} id @param {number} index */
  function attentionRow(state, id, index) {
    const backlog = /** @type {Backlog} */ (state.backlog);
    const epic = /** @type {import('./model.js').EpicView} */ (backlog.epics.get(id));
    const why = reasons(backlog, id);
    const extra = state.extras.get(id);
    const text =
      why.kind !== null
        ? reasonText(why)
        : epic.status === 'wip'
          ? `${plural(epic.tasks.length, 'open task')} of its own`
          : 'nothing open';
    return el(
      'div',
      {
        role: 'row',
        'aria-rowindex': index + 2,
        class: `trow status-${epic.status}${state.selected === id ? ' selected' : ''}`,
        'data-epic': id,
        'data-status': epic.status,
        'aria-selected': state.selected === id ? 'true' : null,
      },
      el(
        'div',
        { role: 'cell', class: 'c-epic' },
        el(
          'button',
          {
            type: 'button',
            class: 'epic-link',
            'data-epic': id,
            tabindex: (state.listFocus ?? state.listed[0]) === id ? 0 : -1,
          },
          id,
        ),
      ),
      el('div', { role: 'cell', class: 'c-status' }, badge(epic.status)),
      el(
        'div',
        {
          role: 'cell',
          class: 'c-why',
          title: why.holders.map((h) => `${h.items.join(', ')} in ${h.path.join(' › ')}`).join('\n') || null,
          'data-kind': why.kind,
          'data-items': why.itemCount,
        },
        text,
      ),
      el(
        'div',
        { role: 'cell', class: 'c-progress' },
        extra?.progress
          ? progressNode(extra.progress)
          : state.features.progress
            ? el('span', { class: 'muted' }, '…')
            : '',
      ),
      el(
        'div',
        { role: 'cell', class: 'c-since' },
        extra?.since !== undefined
          ? since(extra.since, Date.now())
          : state.features.history
            ? el('span', { class: 'muted' }, '…')
            : '',
      ),
    );
  }

  attentionRows.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button.epic-link');
    if (!(button instanceof HTMLElement)) return;
    actions.focusList(button.dataset.epic ?? null);
    actions.select(button.dataset.epic ?? null);
  });
  attentionRows.addEventListener('keydown', (event) => {
    const state = shown;
    if (!state || !(event.target instanceof HTMLElement) || !event.target.matches('button.epic-link')) return;
    const at = state.listed.indexOf(event.target.dataset.epic ?? '');
    const to = moveIndex(event.key, at, state.listed.length);
    if (to === null) return;
    event.preventDefault();
    follow = 'list';
    list.show(to);
    actions.focusList(/** @type {string} */ (state.listed[to]));
  });
  $('attention').addEventListener('click', (event) => {
    const header = /** @type {HTMLElement} */ (event.target).closest('[data-sort] button');
    const key = header?.parentElement?.dataset.sort;
    if (key) actions.sortBy(/** @type {SortKey} */ (key));
  });

  // ----- the tree -----
  const treeNode = $('tree');
  /** @type {ReturnType<typeof virtualList<TreeRow>>} */
  const tree = virtualList({
    viewport: treeNode,
    key: (row) => row.key,
    signature: (row, index) => {
      const state = /** @type {State} */ (shown);
      const epic = state.backlog?.epics.get(row.id);
      return [
        index,
        row.level,
        row.expanded,
        row.posinset,
        row.setsize,
        epic?.status,
        epic?.tasks.length,
        epic?.bugs.length,
        state.backlog?.parents.get(row.id)?.join(KEY_SEPARATOR),
        state.backlog?.home.get(row.id),
        state.treeFocus === row.key,
        state.selected === row.id,
        matchOf(state, row.id),
        bugMark(state, row.id),
      ].join('|');
    },
    render: (row) => treeItem(/** @type {State} */ (shown), row),
  });

  /** @param {State} state @param {string} id */
  function matchOf(state, id) {
    if (state.query.trim() === '') return '';
    const match = matchIndex(state).get(id);
    return match ? `${match.rank}:${match.hit ?? ''}` : '';
  }

  /** @type {{ matches: import('./model.js').Match[] | null, index: Map<string, import('./model.js').Match> }} */
  let matchMemo = { matches: null, index: new Map() };
  /** @param {State} state */
  function matchIndex(state) {
    if (matchMemo.matches !== state.matches)
      matchMemo = { matches: state.matches, index: new Map(state.matches.map((m) => [m.id, m])) };
    return matchMemo.index;
  }

  /** @param {State} state @param {string} id */
  function bugMark(state, id) {
    if (!state.blocked) return '';
    if (state.blocked.highest.includes(id)) return 'highest';
    return state.blocked.blocked.some((epic) => epic.id === id) ? 'blocked' : '';
  }

  /** @param {State} state @param {TreeRow} row */
  function treeItem(state, row) {
    const backlog = /** @type {Backlog} */ (state.backlog);
    const epic = /** @type {import('./model.js').EpicView} */ (backlog.epics.get(row.id));
    const home = backlog.home.get(row.id) ?? null;
    const otherParents = (backlog.parents.get(row.id) ?? []).filter((parent) => parent !== home);
    const match = state.query.trim() === '' ? undefined : matchIndex(state).get(row.id);
    const mark = bugMark(state, row.id);
    const focusKey = state.treeFocus ?? tree.items[0]?.key;
    const node = el(
      'div',
      {
        role: 'treeitem',
        'aria-level': row.level,
        'aria-setsize': row.setsize,
        'aria-posinset': row.posinset,
        'aria-expanded': row.hasChildren ? String(row.expanded) : null,
        'aria-selected': String(state.selected === row.id),
        tabindex: focusKey === row.key ? 0 : -1,
        class: `treeitem status-${epic.status}${row.ref ? ' ref' : ''}${match ? ` match rank-${match.rank}` : ''}`,
        'data-epic': row.id,
        'data-status': epic.status,
        'data-ref': row.ref ? 'true' : null,
        'data-blocked': mark || null,
      },
      el(
        'span',
        { class: 'twisty', 'aria-hidden': 'true' },
        row.hasChildren ? (row.expanded ? '▾' : '▸') : row.ref ? '↪' : '·',
      ),
      el('span', { class: 'epic-id' }, row.id),
      badge(epic.status),
      row.ref
        ? el(
            'button',
            { type: 'button', class: 'jump', 'data-jump': row.id, tabindex: -1 },
            `in full under ${home ?? 'the top'}`,
          )
        : el(
            'span',
            { class: 'counts muted' },
            `${plural(epic.tasks.length, 'task')} · ${plural(epic.bugs.length, 'bug')}`,
          ),
      !row.ref && otherParents.length > 0
        ? el(
            'span',
            { class: 'tag shared' },
            'also under ',
            ...otherParents
              .slice(0, 3)
              .flatMap((parent, i) => [
                i > 0 ? ', ' : '',
                el('button', { type: 'button', class: 'jump', 'data-jump': parent, tabindex: -1 }, parent),
              ]),
            otherParents.length > 3 ? ` and ${otherParents.length - 3} more` : '',
          )
        : null,
      match
        ? el(
            'span',
            { class: 'tag hit' },
            match.hit ? `matches ${match.hit}` : match.rank === 0 ? 'exact match' : 'matches',
          )
        : null,
      mark
        ? el(
            'span',
            { class: `tag ${mark}` },
            mark === 'highest' ? `★ highest blocked by ${state.blocked?.bug}` : `blocked by ${state.blocked?.bug}`,
          )
        : null,
    );
    node.style.paddingLeft = `${(row.level - 1) * 1.25 + 0.25}rem`;
    return node;
  }

  /** @param {string} key */
  function rowIndex(key) {
    return tree.items.findIndex((row) => row.key === key);
  }

  treeNode.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const jump = target.closest('button.jump');
    if (jump instanceof HTMLElement && jump.dataset.jump) {
      follow = 'tree';
      actions.reveal(jump.dataset.jump);
      return;
    }
    const item = target.closest('[role="treeitem"]');
    if (!(item instanceof HTMLElement)) return;
    const row = tree.items[rowIndex(item.dataset.key ?? '')];
    if (!row) return;
    follow = 'tree';
    actions.focusTree(row.key);
    actions.select(row.id);
    if (target.closest('.twisty') && row.hasChildren) actions.toggle(row.id);
  });
  treeNode.addEventListener('keydown', (event) => {
    const state = shown;
    const item = /** @type {HTMLElement} */ (event.target).closest('[role="treeitem"]');
    if (!state || !(item instanceof HTMLElement)) return;
    const rows = tree.items;
    const at = rowIndex(item.dataset.key ?? '');
    const row = rows[at];
    if (!row) return;
    follow = 'tree';
    const go = (/** @type {number} */ to) => {
      const target = rows[to];
      if (!target) return;
      tree.show(to);
      actions.focusTree(target.key);
      actions.select(target.id);
    };
    const moved = moveIndex(event.key, at, rows.length);
    if (moved !== null) go(moved);
    else if (event.key === 'ArrowRight') {
      if (row.hasChildren && !row.expanded) actions.toggle(row.id, true);
      else if (row.expanded) go(at + 1);
      else return;
    } else if (event.key === 'ArrowLeft') {
      if (row.expanded) actions.toggle(row.id, false);
      else if (row.parent !== null) go(rows.findLastIndex((r, i) => i < at && r.level === row.level - 1));
      else return;
    } else if (event.key === 'Enter' || event.key === ' ') {
      if (row.ref) actions.reveal(row.id);
      else if (row.hasChildren) actions.toggle(row.id);
      else actions.select(row.id);
    } else return;
    event.preventDefault();
  });

  $('search').addEventListener('input', (event) =>
    actions.search(/** @type {HTMLInputElement} */ (event.target).value),
  );
  $('expand-all').addEventListener('click', () => actions.expandAll());
  $('collapse-all').addEventListener('click', () => actions.collapseAll());

  // ----- cards -----
  $('cards').addEventListener('click', (event) => {
    const card = /** @type {HTMLElement} */ (event.target).closest('button[data-card]');
    if (card instanceof HTMLElement) actions.chooseCard(/** @type {Card} */ (card.dataset.card));
  });

  // ----- bugs -----
  const bugNode = $('bug-list');
  bugNode.setAttribute('aria-labelledby', 'bugs-heading');
  /** @type {ReturnType<typeof virtualList<string>>} */
  const bugs = virtualList({
    viewport: bugNode,
    role: 'list',
    key: (bug) => bug,
    signature: (bug, index) => {
      const state = /** @type {State} */ (shown);
      return [index, state.bug === bug, (bugFocus ?? bugs.items[0]) === bug, state.backlog?.bugs.get(bug)?.length].join(
        '|',
      );
    },
    render: (bug) => {
      const state = /** @type {State} */ (shown);
      const holders = state.backlog?.bugs.get(bug)?.length ?? 0;
      return el(
        'div',
        { role: 'listitem' },
        el(
          'button',
          {
            type: 'button',
            'data-bug': bug,
            'aria-pressed': String(state.bug === bug),
            tabindex: (bugFocus ?? bugs.items[0]) === bug ? 0 : -1,
          },
          el('span', { class: 'bug-id' }, bug),
          el('span', { class: 'muted small' }, ` reported in ${plural(holders, 'epic')}`),
        ),
      );
    },
  });
  bugNode.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-bug]');
    if (!(button instanceof HTMLElement)) return;
    bugFocus = button.dataset.bug ?? null;
    actions.chooseBug(bugFocus);
  });
  bugNode.addEventListener('keydown', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-bug]');
    if (!(button instanceof HTMLElement)) return;
    const at = bugs.items.indexOf(button.dataset.bug ?? '');
    const to = moveIndex(event.key, at, bugs.items.length);
    if (to === null) return;
    event.preventDefault();
    bugFocus = bugs.items[to] ?? null;
    bugs.show(to);
    bugs
      .node(bugFocus ?? '')
      ?.querySelector('button')
      ?.focus();
    for (const node of bugNode.querySelectorAll('button[data-bug]'))
      node.setAttribute('tabindex', node === document.activeElement ? '0' : '-1');
  });
  $('bug-search').addEventListener('input', (event) =>
    actions.searchBug(/** @type {HTMLInputElement} */ (event.target).value),
  );
  $('clear-bug').addEventListener('click', () => actions.chooseBug(null));
  $('refresh').addEventListener('click', () => actions.refresh());

  // Buttons naming an epic or a bug anywhere in the side panels.
  for (const panel of [$('bug-panel-body'), $('details-body')]) {
    panel.addEventListener('click', (event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      const jump = target.closest('button[data-jump]');
      if (jump instanceof HTMLElement && jump.dataset.jump) {
        follow = 'tree';
        actions.reveal(jump.dataset.jump);
        return;
      }
      const bug = target.closest('button[data-bug]');
      if (bug instanceof HTMLElement) actions.chooseBug(bug.dataset.bug ?? null);
    });
  }

  // ----- drawing -----

  /**
   * Draws what changed between the state drawn last and this one.
   * @param {State} state
   */
  function render(state) {
    const before = shown;
    shown = state;
    const changed = (/** @type {(s: State) => unknown} */ pick) => before === null || pick(before) !== pick(state);

    if (changed((s) => s.updatedAt) || changed((s) => s.mode)) drawUpdated(state);
    if (changed((s) => s.error)) {
      $('error').hidden = state.error === null;
      $('error').textContent = state.error ?? '';
    }
    if (!state.backlog) return;
    if (changed((s) => s.backlog) || changed((s) => s.card)) drawCards(state);
    if (
      changed((s) => s.listed) ||
      changed((s) => s.extras) ||
      changed((s) => s.listFocus) ||
      changed((s) => s.selected) ||
      changed((s) => s.features) ||
      changed((s) => s.counted)
    ) {
      drawList(state);
    }
    if (
      changed((s) => s.backlog) ||
      changed((s) => s.expanded) ||
      changed((s) => s.matches) ||
      changed((s) => s.treeFocus) ||
      changed((s) => s.selected) ||
      changed((s) => s.blocked)
    ) {
      tree.update(rowsOf(state));
    }
    if (changed((s) => s.matches) || changed((s) => s.query)) drawSearchResult(state);
    if (state.reveal && changed((s) => s.reveal)) {
      const at = rowIndex(state.reveal.key);
      if (at >= 0) {
        tree.show(at, true);
        const node = tree.node(state.reveal.key);
        // The row comes into the window too; only a jump moves the focus (a search keeps it in the box).
        node?.scrollIntoView({ block: 'nearest' });
        if (state.reveal.focus) {
          follow = null;
          node?.focus({ preventScroll: true });
        }
      }
    }
    if (changed((s) => s.bugList) || changed((s) => s.bug)) {
      bugs.update(state.bugList);
      $('bug-count').textContent =
        state.bugQuery.trim() === ''
          ? plural(state.bugList.length, 'bug')
          : `${plural(state.bugList.length, 'bug')} of ${state.backlog.bugIds.length}`;
    }
    if (changed((s) => s.bug) || changed((s) => s.blocked) || changed((s) => s.backlog)) drawBugPanel(state, before);
    if (
      changed((s) => s.selected) ||
      changed((s) => s.backlog) ||
      changed((s) => s.extras) ||
      changed((s) => s.counted)
    )
      drawDetails(state);
    if (changed((s) => s.backlog)) drawEmpty(state);

    if (follow === 'tree' && state.treeFocus) tree.node(state.treeFocus)?.focus();
    if (follow === 'list' && state.listFocus) list.node(state.listFocus)?.querySelector('button')?.focus();
    follow = null;
    document.body.dataset.loaded = 'true';
  }

  /** @param {State} state */
  function drawUpdated(state) {
    const node = $('updated');
    const how = state.mode === 'live' ? 'live (event stream)' : state.mode === 'polling' ? 'polling' : 'connecting…';
    node.replaceChildren(
      state.updatedAt
        ? el(
            'span',
            {},
            'Updated ',
            el(
              'time',
              { id: 'updated-at', datetime: new Date(state.updatedAt).toISOString() },
              TIME.format(state.updatedAt),
            ),
          )
        : 'Loading…',
      ` · ${how}`,
    );
    node.dataset.mode = state.mode;
  }

  /** @param {State} state */
  function drawCards(state) {
    const counts = countByStatus(/** @type {Backlog} */ (state.backlog));
    $('cards').replaceChildren(
      ...CARDS.map(({ card, label }) =>
        el(
          'button',
          {
            type: 'button',
            class: `card card-${card}`,
            'data-card': card,
            'data-status': card,
            'aria-pressed': String(state.card === card),
          },
          el('span', { class: 'card-count' }, counts[card].toLocaleString('en')),
          el('span', { class: 'card-label' }, label),
        ),
      ),
    );
  }

  /** @param {State} state */
  function drawList(state) {
    table.setAttribute('aria-rowcount', String(state.listed.length + 1));
    $('attention-heading').textContent = LIST_TITLES[state.card];
    $('attention-count').textContent =
      state.card === 'attention'
        ? `${plural(state.listed.length, 'epic')} blocked or pending validation`
        : plural(state.listed.length, 'epic');
    for (const header of table.querySelectorAll('[role="columnheader"]')) {
      const key = /** @type {HTMLElement} */ (header).dataset.sort;
      if (!key) continue;
      if (state.sort.key === key) header.setAttribute('aria-sort', state.sort.descending ? 'descending' : 'ascending');
      else header.removeAttribute('aria-sort');
    }
    table.classList.toggle('no-progress', !state.features.progress);
    table.classList.toggle('no-since', !state.features.history);
    const empty = $('attention-empty');
    empty.hidden = state.listed.length > 0;
    empty.textContent =
      state.card === 'attention' ? 'Nothing is blocked or pending validation.' : 'No epic has this status.';
    list.update(state.listed);
  }

  /** @param {State} state */
  function drawSearchResult(state) {
    const node = $('search-result');
    if (state.query.trim() === '') {
      node.textContent = '';
      return;
    }
    const exact = state.matches.filter((m) => m.rank === 0).length;
    const prefix = state.matches.filter((m) => m.rank === 1).length;
    node.textContent =
      state.matches.length === 0
        ? 'No epic matches.'
        : `${plural(state.matches.length, 'epic')} match (${exact} exact, ${prefix} starting with it); the best is ${state.matches[0]?.id}, opened and marked in the tree.`;
  }

  /** @param {State} state @param {State | null} before */
  function drawBugPanel(state, before) {
    const panel = $('bug-panel');
    panel.hidden = state.bug === null;
    if (state.bug === null) return;
    $('bug-panel-heading').textContent = `Blocked by ${state.bug}`;
    const body = $('bug-panel-body');
    if (!state.blocked) {
      body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
      return;
    }
    const { blocked, highest } = state.blocked;
    const order = [...highest, ...blocked.map((e) => e.id).filter((id) => !highest.includes(id))];
    const statusOf = new Map(blocked.map((e) => [e.id, e.status]));
    const named = highest.slice(0, 5).join(', ') + (highest.length > 5 ? ` and ${highest.length - 5} more` : '');
    body.replaceChildren(
      el(
        'p',
        { class: 'small' },
        `${plural(blocked.length, 'epic')} ${blocked.length === 1 ? 'waits' : 'wait'} for ${state.bug}; the highest: ${named || 'none'}.`,
      ),
      el(
        'ul',
        { class: 'blocked-list' },
        ...order
          .slice(0, BLOCKED_SHOWN)
          .map((id) =>
            el(
              'li',
              { 'data-epic': id, 'data-highest': String(highest.includes(id)) },
              highest.includes(id) ? el('span', { class: 'tag highest' }, '★ highest') : null,
              el('button', { type: 'button', class: 'epic-link', 'data-jump': id }, id),
              badge(statusOf.get(id) ?? ''),
            ),
          ),
      ),
      order.length > BLOCKED_SHOWN
        ? el('p', { class: 'muted small' }, `The first ${BLOCKED_SHOWN} shown; search the tree for the others.`)
        : '',
    );
    // A new answer: the panel comes into view and takes the focus, so the click is seen to work.
    if (before?.blocked?.bug !== state.blocked.bug) {
      panel.scrollIntoView({ block: 'nearest' });
      $('bug-panel-heading').focus({ preventScroll: true });
    }
  }

  /** @param {State} state */
  function drawDetails(state) {
    const body = $('details-body');
    const backlog = /** @type {Backlog} */ (state.backlog);
    const epic = state.selected ? backlog.epics.get(state.selected) : undefined;
    if (!epic) {
      body.replaceChildren(el('p', { class: 'muted' }, 'Choose an epic in a list or in the tree.'));
      return;
    }
    const why = reasons(backlog, epic.id, 20);
    const extra = state.extras.get(epic.id);
    const ids = (/** @type {string[]} */ list, /** @type {'epic' | 'bug' | null} */ kind) =>
      list.length === 0
        ? el('span', { class: 'muted' }, 'none')
        : el(
            'span',
            { class: 'id-list' },
            ...list.map((id) =>
              kind === 'epic'
                ? el('button', { type: 'button', class: 'epic-link', 'data-jump': id }, id)
                : kind === 'bug'
                  ? el('button', { type: 'button', 'data-bug': id, 'aria-pressed': String(state.bug === id) }, id)
                  : el('code', {}, id),
            ),
          );
    body.replaceChildren(
      el('p', { class: 'details-title' }, el('strong', {}, epic.id), ' ', badge(epic.status)),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, 'Since'),
        el(
          'dd',
          {},
          extra?.since !== undefined
            ? since(extra.since, Date.now())
            : state.features.history
              ? '…'
              : 'not given by this server',
        ),
        el('dt', {}, 'Progress'),
        el(
          'dd',
          {},
          extra?.progress
            ? `${extra.progress.tasksDone} of ${extra.progress.tasksDone + extra.progress.tasksOpen} tasks done; ${extra.progress.bugsFixed} bugs fixed, ${extra.progress.bugsOpen} open`
            : state.features.progress
              ? '…'
              : 'not given by this server',
        ),
        el('dt', {}, 'Parents'),
        el('dd', {}, ids(backlog.parents.get(epic.id) ?? [], 'epic')),
        el('dt', {}, 'Links to'),
        el('dd', {}, ids(epic.epics, 'epic')),
        el('dt', {}, 'Own tasks'),
        el('dd', {}, ids(epic.tasks, null)),
        el('dt', {}, 'Own bugs'),
        el('dd', {}, ids(epic.bugs, 'bug')),
      ),
      why.kind
        ? el(
            'div',
            { class: 'why' },
            el(
              'h3',
              {},
              `Why: ${why.itemCount === null ? `open ${why.kind}` : plural(why.itemCount, why.kind === 'tasks' ? 'open task' : 'open bug')}`,
            ),
            el(
              'ul',
              {},
              ...why.holders.map((holder) =>
                el(
                  'li',
                  {},
                  ids(holder.items, why.kind === 'bugs' ? 'bug' : null),
                  holder.path.length === 1 ? ' (its own)' : ` in ${holder.path.slice(1).join(' › ')}`,
                ),
              ),
            ),
            why.more ? el('p', { class: 'muted small' }, 'and more epics further down') : null,
          )
        : '',
      el('button', { type: 'button', 'data-jump': epic.id }, 'Show in the tree'),
    );
    actions.needExtras([epic.id]);
  }

  /** @param {State} state */
  function drawEmpty(state) {
    const empty = (state.backlog?.list.length ?? 0) === 0;
    $('empty').hidden = !empty;
    treeNode.hidden = empty;
    if (!empty) return;
    $('empty-example').textContent = JSON.stringify(
      { EpicA: { Tasks: ['TaskA1'], Bugs: [], Epics: ['EpicB'] }, EpicB: { Tasks: [], Bugs: ['BugB1'], Epics: [] } },
      null,
      2,
    );
    $('empty-curl').textContent = [
      `curl -X POST '${location.origin}/v1/backlog'`,
      "  -H 'Content-Type: application/json'",
      "  -H 'Authorization: Bearer <your key>'",
      '  --data-binary @backlog.json',
    ].join(' \\\n');
  }

  return { render };
}

/** Says it to screen readers, a moment after the redraw. @param {string} message */
export function announce(message) {
  const live = $('live');
  live.textContent = '';
  setTimeout(() => {
    live.textContent = message;
  }, 50);
}
