// The dashboard's view of a BacklogView (GET /v1/backlog): the DAG of epics, roll-ups
// and filters. Pure functions, no DOM.

export const STATUSES = ['wip', 'blocked', 'pending_validation', 'completed'];

/** Each status has a label and an icon besides its colour: it is never told by colour alone. */
export const STATUS_INFO = {
  wip: { label: 'WIP', icon: '▶', description: 'tasks of its own are open' },
  blocked: { label: 'Blocked', icon: '■', description: 'work remains in linked epics' },
  pending_validation: { label: 'Pending validation', icon: '⚑', description: 'all work done, bugs still open' },
  completed: { label: 'Completed', icon: '✓', description: 'no task and no bug left' },
};

/** Path keys join epic ids with U+0001: ids never hold control characters. */
export const KEY_SEPARATOR = '\u0001';

/** Indexes a BacklogView: epics by id, parents of each, roots (no parent) in creation order, and every bug. */
export function indexBacklog(view) {
  const epics = new Map(view.epics.map((epic) => [epic.id, epic]));
  const parents = new Map(view.epics.map((epic) => [epic.id, []]));
  const bugs = new Map();
  for (const epic of view.epics) {
    for (const child of epic.epics) parents.get(child)?.push(epic.id);
    for (const bug of epic.bugs) {
      if (!bugs.has(bug)) bugs.set(bug, []);
      bugs.get(bug).push(epic.id);
    }
  }
  const roots = view.epics.filter((epic) => parents.get(epic.id).length === 0).map((epic) => epic.id);
  return { epics, parents, roots, bugs, rollups: new Map() };
}

/** Tasks and bugs of the epic and of every epic reachable from it, each counted once. */
export function rollup(index, id) {
  const known = index.rollups.get(id);
  if (known) return known;
  const tasks = new Set();
  const bugs = new Set();
  const seen = new Set([id]);
  const stack = [id];
  while (stack.length > 0) {
    const epic = index.epics.get(stack.pop());
    if (!epic) continue;
    for (const task of epic.tasks) tasks.add(task);
    for (const bug of epic.bugs) bugs.add(bug);
    for (const child of epic.epics) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  const result = { tasks: tasks.size, bugs: [...bugs] };
  index.rollups.set(id, result);
  return result;
}

/** Epics per status, every status present. */
export function countByStatus(index) {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0]));
  for (const epic of index.epics.values()) counts[epic.status] = (counts[epic.status] ?? 0) + 1;
  return counts;
}

export function filtersActive(filters) {
  return filters.statuses.size > 0 || filters.query.trim() !== '';
}

/**
 * Which epics the filters keep: `match` (the epic fits: status checked and id, or
 * one of its own task or bug ids, containing the search text, case-insensitive;
 * `hit` says which item matched) and `shown` (it fits, or an epic under it does:
 * it is shown for context).
 */
export function applyFilters(index, filters) {
  const query = filters.query.trim().toLowerCase();
  const match = new Map();
  for (const epic of index.epics.values()) {
    if (filters.statuses.size > 0 && !filters.statuses.has(epic.status)) continue;
    if (query === '' || epic.id.toLowerCase().includes(query)) {
      match.set(epic.id, null);
      continue;
    }
    const task = epic.tasks.find((id) => id.toLowerCase().includes(query));
    if (task !== undefined) {
      match.set(epic.id, `task ${task}`);
      continue;
    }
    const bug = epic.bugs.find((id) => id.toLowerCase().includes(query));
    if (bug !== undefined) match.set(epic.id, `bug ${bug}`);
  }
  // Bottom-up over the DAG, with an explicit stack: a chain of any depth fits.
  const shown = new Map();
  for (const root of index.epics.keys()) {
    const stack = [root];
    while (stack.length > 0) {
      const id = stack[stack.length - 1];
      if (shown.has(id)) {
        stack.pop();
        continue;
      }
      const children = index.epics.get(id)?.epics ?? [];
      const pending = children.filter((child) => index.epics.has(child) && !shown.has(child));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      shown.set(id, match.has(id) || children.some((child) => shown.get(child) === true));
    }
  }
  return { match, shown };
}

/** How the statuses moved between two backlogs, for the live region. */
export function describeChanges(before, after) {
  if (!before) return null;
  const changes = [];
  for (const epic of after.epics.values()) {
    const old = before.epics.get(epic.id);
    if (!old) changes.push(`${epic.id} added (${STATUS_INFO[epic.status]?.label ?? epic.status})`);
    else if (old.status !== epic.status)
      changes.push(
        `${epic.id} ${STATUS_INFO[old.status]?.label ?? old.status} → ${STATUS_INFO[epic.status]?.label ?? epic.status}`,
      );
  }
  for (const id of before.epics.keys()) if (!after.epics.has(id)) changes.push(`${id} removed`);
  if (changes.length === 0) return 'Backlog updated; no status changed.';
  const shown = changes.slice(0, 5).join('; ');
  return `Backlog updated: ${shown}${changes.length > 5 ? `; and ${changes.length - 5} more` : ''}.`;
}

export function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
