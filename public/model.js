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
 * @property {OpenWork} [work] filled by `openWork`
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
 * @property {boolean} more other epics under it hold such work too
 * @property {number | null} itemCount every open task (or bug) under it, each counted once
 *   (null while a large backlog's `openWork` is not done)
 */

/**
 * @typedef {object} OpenWork for each epic (by creation position), the open tasks and bugs
 * of the epic and of every epic it reaches, each counted once (SPEC section 2: T* and B*)
 * @property {Uint32Array} tasks
 * @property {Uint32Array} bugs
 */

/** @param {number} x */
function bitCount(x) {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * |T*(e)| and |B*(e)| of every epic at once: one bit per task and per bug, each epic's bits
 * the union of its own and its children's, children first. Linear in links × (tasks + bugs) / 32:
 * about 2 ms at 2,000 generated epics (a walk per epic: 90), 110 ms at 20,000. Cached on the backlog.
 * @param {Backlog} backlog
 * @returns {OpenWork}
 */
export function openWork(backlog) {
  const steps = openWorkSteps(backlog, Number.POSITIVE_INFINITY);
  while (!steps.next().done);
  return /** @type {OpenWork} */ (backlog.work);
}

/** Up to this many epics, `reasons` counts open work at once; beyond, app.js does it in slices. */
export const OPEN_WORK_AT_ONCE = 5_000;

/**
 * `openWork` in steps of about `epicsPerStep` epics, yielding between them, so that a page can
 * do it between frames; sets `backlog.work` at the end.
 * @param {Backlog} backlog
 * @param {number} epicsPerStep
 * @returns {Generator<void, void, void>}
 */
export function* openWorkSteps(backlog, epicsPerStep) {
  if (backlog.work) return;
  const { list } = backlog;
  /** @type {Map<string, number>} */
  const taskBit = new Map();
  /** @type {Map<string, number>} */
  const bugBit = new Map();
  for (const epic of list) {
    for (const task of epic.tasks) if (!taskBit.has(task)) taskBit.set(task, taskBit.size);
    for (const bug of epic.bugs) if (!bugBit.has(bug)) bugBit.set(bug, bugBit.size);
  }
  const order = childrenFirst(backlog);
  const tasks = unionCounter(backlog, taskBit, true);
  const bugs = unionCounter(backlog, bugBit, false);
  for (let from = 0; from < order.length; from += epicsPerStep) {
    const to = Math.min(order.length, from + epicsPerStep);
    tasks.run(order, from, to);
    bugs.run(order, from, to);
    if (to < order.length) yield;
  }
  backlog.work = { tasks: tasks.counts, bugs: bugs.counts };
}

/**
 * The bit sets of one kind (tasks or bugs) and their sizes, filled for a range of `order`.
 * @param {Backlog} backlog
 * @param {Map<string, number>} bits
 * @param {boolean} ofTasks
 */
function unionCounter(backlog, bits, ofTasks) {
  const { list, position } = backlog;
  const words = Math.ceil(bits.size / 32);
  const sets = new Uint32Array(list.length * words);
  const counts = new Uint32Array(list.length);
  return {
    counts,
    /** @param {number[]} order @param {number} from @param {number} to */
    run(order, from, to) {
      if (words === 0) return;
      for (let i = from; i < to; i++) {
        const at = /** @type {number} */ (order[i]);
        const epic = /** @type {EpicView} */ (list[at]);
        const base = at * words;
        for (const item of ofTasks ? epic.tasks : epic.bugs) {
          const bit = /** @type {number} */ (bits.get(item));
          const word = base + (bit >>> 5);
          sets[word] = /** @type {number} */ (sets[word]) | (1 << (bit & 31));
        }
        for (const child of epic.epics) {
          const c = position.get(child);
          if (c === undefined) continue;
          const childBase = c * words;
          for (let w = 0; w < words; w++) {
            sets[base + w] = /** @type {number} */ (sets[base + w]) | /** @type {number} */ (sets[childBase + w]);
          }
        }
        let total = 0;
        for (let w = 0; w < words; w++) total += bitCount(/** @type {number} */ (sets[base + w]));
        counts[at] = total;
      }
    },
  };
}

/**
 * Positions of the epics, every epic after all those it links to (an iterative depth-first
 * walk: a chain of any depth fits).
 * @param {Backlog} backlog
 */
function childrenFirst(backlog) {
  const { list, position } = backlog;
  const done = new Uint8Array(list.length);
  /** @type {number[]} */
  const order = [];
  for (let root = 0; root < list.length; root++) {
    if (done[root]) continue;
    /** @type {Array<[number, number]>} position and next child to visit */
    const stack = [[root, 0]];
    while (stack.length > 0) {
      const top = /** @type {[number, number]} */ (stack[stack.length - 1]);
      const children = /** @type {EpicView} */ (list[top[0]]).epics;
      if (top[1] < children.length) {
        const child = position.get(/** @type {string} */ (children[top[1]]));
        top[1] += 1;
        if (child !== undefined && !done[child]) {
          done[child] = 1;
          stack.push([child, 0]);
        }
        continue;
      }
      stack.pop();
      done[top[0]] = 1;
      order.push(top[0]);
    }
  }
  return order;
}

/**
 * Why an epic waits: a blocked epic on the open tasks of the epics it reaches, a pending one
 * on their open bugs (SPEC section 2). The nearest holders, breadth-first (so the paths are
 * the shortest), the walk stopping at the first `limit` + 1; the count from `openWork`.
 * Cached on the backlog (a new backlog is a new index).
 * @param {Backlog} backlog
 * @param {string} id
 * @param {number} [limit]
 * @returns {Reasons}
 */
export function reasons(backlog, id, limit = 3) {
  const cacheKey = `${limit}${KEY_SEPARATOR}${id}`;
  const cached = backlog.reasonCache.get(cacheKey);
  if (cached) return cached;
  const status = backlog.epics.get(id)?.status;
  const kind = status === 'blocked' ? 'tasks' : status === 'pending_validation' ? 'bugs' : null;
  /** @type {Reasons} */
  const result = { kind, holders: [], more: false, itemCount: 0 };
  if (kind !== null) {
    const at = /** @type {number} */ (backlog.position.get(id));
    const work = backlog.work ?? (backlog.list.length <= OPEN_WORK_AT_ONCE ? openWork(backlog) : null);
    result.itemCount = work ? /** @type {number} */ (work[kind][at]) : null;
    /** @type {Map<string, string | null>} */
    const via = new Map([[id, null]]);
    const queue = [id];
    for (let head = 0; head < queue.length && !result.more; head++) {
      const here = /** @type {string} */ (queue[head]);
      const epic = /** @type {EpicView} */ (backlog.epics.get(here));
      const own = kind === 'tasks' ? epic.tasks : epic.bugs;
      if (own.length > 0) {
        if (result.holders.length === limit) {
          result.more = true;
          break;
        }
        const path = [here];
        for (let step = via.get(here); step != null; step = via.get(step)) path.unshift(step);
        result.holders.push({ path, items: own });
      }
      for (const child of epic.epics) {
        if (!via.has(child) && backlog.epics.has(child)) {
          via.set(child, here);
          queue.push(child);
        }
      }
    }
  }
  backlog.reasonCache.set(cacheKey, result);
  return result;
}

/**
 * One line saying why an epic waits, e.g. `3 open tasks: TaskT1 in EpicS › EpicT`.
 * @param {Reasons} why
 */
export function reasonText(why) {
  if (why.kind === null || why.holders.length === 0) return '';
  const noun = why.kind === 'tasks' ? 'open task' : 'open bug';
  const first = /** @type {Holder} */ (why.holders[0]);
  const where = first.path.length === 1 ? '(its own)' : `in ${first.path.slice(1).join(' › ')}`;
  const more = why.holders.length > 1 || why.more ? ' and more' : '';
  const count = why.itemCount === null ? `${noun}s` : plural(why.itemCount, noun);
  return `${count}: ${first.items.slice(0, 3).join(', ')}${first.items.length > 3 ? ', …' : ''} ${where}${more}`;
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
 * `work` sorts by open work under the epic, most first (open tasks; open bugs for a pending epic).
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
    const work = openWork(backlog);
    const open = (/** @type {string} */ id) => {
      const at = order(id);
      const epic = /** @type {EpicView} */ (backlog.list[at]);
      return /** @type {number} */ ((epic.status === 'pending_validation' ? work.bugs : work.tasks)[at]);
    };
    compare = (a, b) => open(b) - open(a) || order(a) - order(b);
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
