// @ts-check
// The dashboard's reading of a BacklogView (GET /v1/backlog): indexes, where each epic is
// drawn in the tree, why an epic waits, search ranking. Pure functions, no DOM, no I/O:
// statuses come from the server, never recomputed here.

/** @typedef {'wip' | 'blocked' | 'pending_validation' | 'completed'} Status */
/** @typedef {{ id: string, status: Status, tasks: string[], bugs: string[], epics: string[] }} EpicView */
/** @typedef {{ epics: EpicView[] }} BacklogView */

/**
 * @typedef {object} Backlog
 * @property {EpicView[]} list epics in creation order
 * @property {Map<string, EpicView>} epics by id
 * @property {Map<string, number>} position creation order of each epic
 * @property {Map<string, string[]>} parents the epics linking to each, in creation order
 * @property {string[]} roots epics with no parent, in creation order
 * @property {Map<string, string[]>} bugs each bug and the epics reporting it, in creation order
 * @property {string[]} bugIds every bug, in natural order
 * @property {Map<string, string | null>} home the parent under which an epic is drawn in full (null: a root)
 * @property {Map<string, Reasons>} reasonCache filled by `reasons`
 */

/** @type {readonly Status[]} */
export const STATUSES = ['wip', 'blocked', 'pending_validation', 'completed'];

/** The statuses a manager has to act on. */
/** @type {readonly Status[]} */
export const ATTENTION = ['blocked', 'pending_validation'];

/** Each status has a label and an icon besides its colour: it is never told by colour alone. */
export const STATUS_INFO = {
  wip: { label: 'WIP', icon: '▶', rank: 2 },
  blocked: { label: 'Blocked', icon: '■', rank: 0 },
  pending_validation: { label: 'Pending validation', icon: '⚑', rank: 1 },
  completed: { label: 'Completed', icon: '✓', rank: 3 },
};

/** @param {string} status */
export function statusLabel(status) {
  return STATUS_INFO[/** @type {Status} */ (status)]?.label ?? status;
}

/** Natural order of ids: `epic-2` before `epic-10`, case-insensitive first. */
export const compareIds = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

/**
 * Indexes a BacklogView. Each epic is drawn in full once, under the parent through which a
 * depth-first walk from the roots (creation order, links in list order) first reaches it:
 * the first place it would appear reading the fully open tree from the top.
 * @param {BacklogView} view
 * @returns {Backlog}
 */
export function indexBacklog(view) {
  const list = view.epics;
  /** @type {Map<string, EpicView>} */
  const epics = new Map();
  /** @type {Map<string, number>} */
  const position = new Map();
  /** @type {Map<string, string[]>} */
  const parents = new Map();
  /** @type {Map<string, string[]>} */
  const bugs = new Map();
  list.forEach((epic, at) => {
    epics.set(epic.id, epic);
    position.set(epic.id, at);
    parents.set(epic.id, []);
  });
  for (const epic of list) {
    for (const child of epic.epics) parents.get(child)?.push(epic.id);
    for (const bug of epic.bugs) {
      const holders = bugs.get(bug);
      if (holders) holders.push(epic.id);
      else bugs.set(bug, [epic.id]);
    }
  }
  const roots = list.filter((epic) => parents.get(epic.id)?.length === 0).map((epic) => epic.id);
  /** @type {Map<string, string | null>} */
  const home = new Map();
  /** @type {Array<[string, string | null]>} */
  const stack = roots.map((id) => /** @type {[string, string | null]} */ ([id, null])).reverse();
  while (stack.length > 0) {
    const [id, parent] = /** @type {[string, string | null]} */ (stack.pop());
    if (home.has(id)) continue;
    home.set(id, parent);
    const children = epics.get(id)?.epics ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      const child = /** @type {string} */ (children[i]);
      if (!home.has(child) && epics.has(child)) stack.push([child, id]);
    }
  }
  return {
    list,
    epics,
    position,
    parents,
    roots,
    bugs,
    bugIds: [...bugs.keys()].sort(compareIds),
    home,
    reasonCache: new Map(),
  };
}

/**
 * Epics per status, every status present, and `attention` (blocked + pending validation).
 * @param {Backlog} backlog
 */
export function countByStatus(backlog) {
  /** @type {Record<Status, number>} */
  const counts = { wip: 0, blocked: 0, pending_validation: 0, completed: 0 };
  for (const epic of backlog.list) counts[epic.status] += 1;
  return { ...counts, all: backlog.list.length, attention: counts.blocked + counts.pending_validation };
}

/**
 * The epics above `id` through the parents it is drawn under, nearest first.
 * @param {Backlog} backlog
 * @param {string} id
 * @returns {string[]}
 */
export function homePath(backlog, id) {
  const path = [];
  for (let at = backlog.home.get(id); at != null; at = backlog.home.get(at)) path.push(at);
  return path;
}

/**
 * @typedef {object} TreeRow
 * @property {string} key unique in the tree: the epic id for its full row, parent + id for a reference
 * @property {string} id
 * @property {number} level 1 for a root
 * @property {boolean} ref a reference to an epic drawn in full elsewhere
 * @property {string | null} parent
 * @property {boolean} hasChildren
 * @property {boolean} expanded
 * @property {number} posinset
 * @property {number} setsize
 */

/** Keys of reference rows join parent and child with U+0001: ids never hold control characters. */
export const KEY_SEPARATOR = '\u0001';

/**
 * The rows of the tree a reader sees: each epic in full under its home parent, a reference
 * row under every other parent; only the children of expanded epics.
 * @param {Backlog} backlog
 * @param {ReadonlySet<string>} expanded ids of the open epics
 * @returns {TreeRow[]}
 */
export function treeRows(backlog, expanded) {
  /** @type {TreeRow[]} */
  const rows = [];
  /** @type {Array<{ ids: string[], at: number, parent: string | null, level: number }>} */
  const frames = [{ ids: backlog.roots, at: 0, parent: null, level: 1 }];
  while (frames.length > 0) {
    const frame = /** @type {(typeof frames)[number]} */ (frames[frames.length - 1]);
    if (frame.at >= frame.ids.length) {
      frames.pop();
      continue;
    }
    const id = /** @type {string} */ (frame.ids[frame.at]);
    frame.at += 1;
    const epic = backlog.epics.get(id);
    if (!epic) continue;
    const ref = frame.parent !== null && backlog.home.get(id) !== frame.parent;
    const children = epic.epics.filter((child) => backlog.epics.has(child));
    const open = !ref && children.length > 0 && expanded.has(id);
    rows.push({
      key: ref ? `${frame.parent}${KEY_SEPARATOR}${id}` : id,
      id,
      level: frame.level,
      ref,
      parent: frame.parent,
      hasChildren: !ref && children.length > 0,
      expanded: open,
      posinset: frame.at,
      setsize: frame.ids.length,
    });
    if (open) frames.push({ ids: children, at: 0, parent: id, level: frame.level + 1 });
  }
  return rows;
}

/** Every epic that has children: "Expand all". @param {Backlog} backlog */
export function allParents(backlog) {
  return new Set(backlog.list.filter((epic) => epic.epics.length > 0).map((epic) => epic.id));
}

/**
 * @typedef {object} Holder an epic holding open work, and the path of links to it
 * @property {string[]} path from the waiting epic down to the holder (both included)
 * @property {string[]} items the holder's open tasks (blocked) or bugs (pending validation)
 */

/**
 * @typedef {object} Reasons why an epic waits
 * @property {'tasks' | 'bugs' | null} kind open tasks for a blocked epic, bugs for a pending one
 * @property {Holder[]} holders the nearest holders (at most the limit asked), nearest first
 * @property {number} holderCount every epic holding such work under it
 * @property {number} itemCount every open task (or bug) under it, each counted once
 */

/**
 * Why an epic waits: a blocked epic on the open tasks of the epics it reaches, a pending one
 * on their open bugs (SPEC section 2). Breadth-first, so paths are the shortest.
 * Cached on the backlog (a new backlog is a new index).
 * @param {Backlog} backlog
 * @param {string} id
 * @param {number} [limit]
 * @returns {Reasons}
 */
export function reasons(backlog, id, limit = 5) {
  const cacheKey = `${limit}${KEY_SEPARATOR}${id}`;
  const cached = backlog.reasonCache.get(cacheKey);
  if (cached) return cached;
  const status = backlog.epics.get(id)?.status;
  const kind = status === 'blocked' ? 'tasks' : status === 'pending_validation' ? 'bugs' : null;
  /** @type {Reasons} */
  const result = { kind, holders: [], holderCount: 0, itemCount: 0 };
  if (kind !== null) {
    /** @type {Map<string, string | null>} */
    const via = new Map([[id, null]]);
    const items = new Set();
    const queue = [id];
    for (let head = 0; head < queue.length; head++) {
      const at = /** @type {string} */ (queue[head]);
      const epic = /** @type {EpicView} */ (backlog.epics.get(at));
      const own = kind === 'tasks' ? epic.tasks : epic.bugs;
      if (own.length > 0) {
        result.holderCount += 1;
        for (const item of own) items.add(item);
        if (result.holders.length < limit) {
          const path = [at];
          for (let step = via.get(at); step != null; step = via.get(step)) path.unshift(step);
          result.holders.push({ path, items: own });
        }
      }
      for (const child of epic.epics) {
        if (!via.has(child) && backlog.epics.has(child)) {
          via.set(child, at);
          queue.push(child);
        }
      }
    }
    result.itemCount = items.size;
  }
  backlog.reasonCache.set(cacheKey, result);
  return result;
}

/**
 * One line saying why an epic waits, e.g. `3 open tasks in 2 epics: TaskT1 in EpicS › EpicT`.
 * @param {Reasons} why
 */
export function reasonText(why) {
  if (why.kind === null || why.holders.length === 0) return '';
  const noun = why.kind === 'tasks' ? 'open task' : 'open bug';
  const first = /** @type {Holder} */ (why.holders[0]);
  const where = first.path.length === 1 ? '(its own)' : `in ${first.path.slice(1).join(' › ')}`;
  const count = `${plural(why.itemCount, noun)} in ${plural(why.holderCount, 'epic')}`;
  return `${count}: ${first.items.slice(0, 3).join(', ')}${first.items.length > 3 ? ', …' : ''} ${where}`;
}

/** @param {number} count @param {string} word */
export function plural(count, word) {
  return `${count.toLocaleString('en')} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * How well `text` matches `query` (both already lower case): 0 exact, 1 prefix, 2 inside, -1 not.
 * @param {string} text
 * @param {string} query
 */
export function matchRank(text, query) {
  if (text === query) return 0;
  const at = text.indexOf(query);
  return at === 0 ? 1 : at > 0 ? 2 : -1;
}

/**
 * @typedef {object} Match
 * @property {string} id the epic
 * @property {number} rank 0 exact, 1 prefix, 2 inside
 * @property {string | null} hit the task or bug that matched (`task X`, `bug X`), null for the epic id
 */

/**
 * Epics whose id, or the id of one of their own tasks or bugs, matches the search
 * (case-insensitive): exact matches first, then prefixes, then the rest, each in creation order.
 * @param {Backlog} backlog
 * @param {string} query
 * @returns {Match[]}
 */
export function searchEpics(backlog, query) {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') return [];
  /** @type {Match[]} */
  const found = [];
  for (const epic of backlog.list) {
    let rank = matchRank(epic.id.toLowerCase(), wanted);
    /** @type {string | null} */
    let hit = null;
    for (const [kind, ids] of /** @type {const} */ ([
      ['task', epic.tasks],
      ['bug', epic.bugs],
    ])) {
      for (const item of ids) {
        const itemRank = matchRank(item.toLowerCase(), wanted);
        if (itemRank >= 0 && (rank < 0 || itemRank < rank)) {
          rank = itemRank;
          hit = `${kind} ${item}`;
        }
      }
    }
    if (rank >= 0) found.push({ id: epic.id, rank, hit });
  }
  // Array.prototype.sort is stable: creation order within a rank.
  return found.sort((a, b) => a.rank - b.rank);
}

/**
 * Bugs in natural order; with a query, those matching it, exact first, then prefixes, then the rest.
 * @param {Backlog} backlog
 * @param {string} query
 */
export function searchBugs(backlog, query) {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') return backlog.bugIds;
  /** @type {string[][]} */
  const tiers = [[], [], []];
  for (const bug of backlog.bugIds) {
    const rank = matchRank(bug.toLowerCase(), wanted);
    if (rank >= 0) tiers[rank]?.push(bug);
  }
  return tiers.flat();
}

/** @typedef {'order' | 'id' | 'status' | 'work'} SortKey */

/**
 * The epics of the flat list: those with one of `statuses`, sorted.
 * `work` sorts by open work under the epic (most first), computed with `reasons`.
 * @param {Backlog} backlog
 * @param {ReadonlySet<string>} statuses
 * @param {{ key: SortKey, descending: boolean }} sort
 * @returns {string[]}
 */
export function listEpics(backlog, statuses, sort) {
  const ids = backlog.list.filter((epic) => statuses.has(epic.status)).map((epic) => epic.id);
  const order = (/** @type {string} */ id) => /** @type {number} */ (backlog.position.get(id));
  const status = (/** @type {string} */ id) => STATUS_INFO[/** @type {EpicView} */ (backlog.epics.get(id)).status].rank;
  /** @type {(a: string, b: string) => number} */
  let compare;
  if (sort.key === 'id') compare = compareIds;
  else if (sort.key === 'status') compare = (a, b) => status(a) - status(b) || order(a) - order(b);
  else if (sort.key === 'work') {
    const work = new Map(ids.map((id) => [id, reasons(backlog, id).itemCount]));
    compare = (a, b) => (work.get(b) ?? 0) - (work.get(a) ?? 0) || order(a) - order(b);
  } else compare = (a, b) => order(a) - order(b);
  ids.sort(compare);
  if (sort.descending) ids.reverse();
  return ids;
}

/**
 * @typedef {object} Change
 * @property {string} epic
 * @property {Status | null} from null: the epic is new
 * @property {Status | null} to null: the epic is gone
 */

/**
 * The epics whose status moved between two backlogs, and those whose lists changed.
 * @param {Backlog | null} before
 * @param {Backlog} after
 * @returns {{ changes: Change[], touched: Set<string> }}
 */
export function diffBacklogs(before, after) {
  /** @type {Change[]} */
  const changes = [];
  const touched = new Set();
  if (!before) return { changes, touched };
  for (const epic of after.list) {
    const old = before.epics.get(epic.id);
    if (!old) {
      changes.push({ epic: epic.id, from: null, to: epic.status });
      touched.add(epic.id);
    } else if (old !== epic) {
      if (old.status !== epic.status) changes.push({ epic: epic.id, from: old.status, to: epic.status });
      if (old.status !== epic.status || !sameLists(old, epic)) touched.add(epic.id);
    }
  }
  for (const epic of before.list) {
    if (!after.epics.has(epic.id)) {
      changes.push({ epic: epic.id, from: epic.status, to: null });
      touched.add(epic.id);
    }
  }
  return { changes, touched };
}

/** @param {EpicView} a @param {EpicView} b */
function sameLists(a, b) {
  const same = (/** @type {string[]} */ x, /** @type {string[]} */ y) =>
    x.length === y.length && x.every((item, i) => item === y[i]);
  return same(a.tasks, b.tasks) && same(a.bugs, b.bugs) && same(a.epics, b.epics);
}

/**
 * What the live region says about an update, e.g. `EpicR WIP → Blocked`.
 * @param {Change[]} changes
 */
export function describeChanges(changes) {
  if (changes.length === 0) return 'Backlog updated; no status changed.';
  const text = changes.map((change) =>
    change.from === null
      ? `${change.epic} added (${statusLabel(/** @type {string} */ (change.to))})`
      : change.to === null
        ? `${change.epic} removed`
        : `${change.epic} ${statusLabel(change.from)} → ${statusLabel(change.to)}`,
  );
  const shown = text.slice(0, 5).join('; ');
  return `Backlog updated: ${shown}${text.length > 5 ? `; and ${text.length - 5} more` : ''}.`;
}

/**
 * Where ↑ ↓ Home End move in a list of `length` from `at`; null for other keys.
 * @param {string} key
 * @param {number} at
 * @param {number} length
 */
export function moveIndex(key, at, length) {
  if (length === 0) return null;
  if (key === 'ArrowDown') return Math.min(length - 1, at + 1);
  if (key === 'ArrowUp') return Math.max(0, at - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return length - 1;
  return null;
}
