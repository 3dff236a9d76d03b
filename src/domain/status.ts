import type { Backlog, Epic } from './backlog.js';

export const STATUSES = ['wip', 'blocked', 'pending_validation', 'completed'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The status of every epic (SPEC section 2, bottom-up form), in one pass over
 * epics and links: each status is computed once, after those of its children,
 * with an explicit stack so that a chain of any depth fits.
 */
export function computeStatuses(backlog: Backlog): Map<string, Status> {
  const statuses = new Map<string, Status>();
  const stack: string[] = [];
  for (const rootId of backlog.epics.keys()) {
    stack.push(rootId);
    while (stack.length > 0) {
      const id = stack[stack.length - 1] as string;
      if (statuses.has(id)) {
        stack.pop();
        continue;
      }
      const epic = backlog.epics.get(id) as Epic;
      const before = stack.length;
      for (const child of epic.epics) {
        if (!statuses.has(child)) stack.push(child);
      }
      if (stack.length === before) {
        stack.pop();
        statuses.set(id, statusFromChildren(epic, statuses));
      }
    }
  }
  return statuses;
}

function statusFromChildren(epic: Epic, statuses: ReadonlyMap<string, Status>): Status {
  if (epic.tasks.length > 0) return 'wip';
  let pending = epic.bugs.length > 0;
  for (const child of epic.epics) {
    const status = statuses.get(child);
    if (status === 'wip' || status === 'blocked') return 'blocked';
    if (status === 'pending_validation') pending = true;
  }
  return pending ? 'pending_validation' : 'completed';
}
