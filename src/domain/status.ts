import type { Backlog } from './backlog.js';

export const STATUSES = ['wip', 'blocked', 'pending_validation', 'completed'] as const;
export type Status = (typeof STATUSES)[number];

// Ranks order the statuses so that a parent takes the strongest of its children.
const UNKNOWN = -1;
const COMPLETED = 0;
const PENDING_VALIDATION = 1;
const BLOCKED = 2;
const WIP = 3;
const STATUS_OF_RANK: readonly Status[] = ['completed', 'pending_validation', 'blocked', 'wip'];

/**
 * The status of every epic (SPEC section 2, bottom-up form), in one pass over
 * epics and links: each status is computed once, after those of its children,
 * with an explicit stack so that a chain of any depth fits. Epics are numbered
 * first so that the walk itself touches only arrays.
 */
export function computeStatuses(backlog: Backlog): ReadonlyMap<string, Status> {
  let statuses = computed.get(backlog);
  if (!statuses) {
    statuses = walkStatuses(backlog);
    computed.set(backlog, statuses);
  }
  return statuses;
}

// Backlogs are immutable, so the statuses of one are computed once however often it is
// read (dashboards poll); the entry goes with the backlog when nothing refers to it.
const computed = new WeakMap<Backlog, ReadonlyMap<string, Status>>();

function walkStatuses(backlog: Backlog): Map<string, Status> {
  const epics = [...backlog.epics.values()];
  const indexOf = new Map(epics.map((epic, index) => [epic.id, index]));
  const children = epics.map((epic) => epic.epics.map((id) => indexOf.get(id) as number));
  const rank = new Int8Array(epics.length).fill(UNKNOWN);
  const stack: number[] = [];
  for (let root = 0; root < epics.length; root++) {
    stack.push(root);
    while (stack.length > 0) {
      const index = stack[stack.length - 1] as number;
      if (rank[index] !== UNKNOWN) {
        stack.pop();
        continue;
      }
      const own = children[index] as number[];
      const before = stack.length;
      for (const child of own) {
        if (rank[child] === UNKNOWN) stack.push(child);
      }
      if (stack.length > before) continue;
      stack.pop();
      const epic = epics[index] as (typeof epics)[number];
      rank[index] = epic.tasks.length > 0 ? WIP : rollUp(epic.bugs.length > 0, own, rank);
    }
  }
  return new Map(epics.map((epic, index) => [epic.id, STATUS_OF_RANK[rank[index] as number] as Status]));
}

/** An epic without tasks of its own: blocked by work below it, pending on bugs at or below it, else completed. */
function rollUp(hasBugs: boolean, children: readonly number[], rank: Int8Array): number {
  let strongest = hasBugs ? PENDING_VALIDATION : COMPLETED;
  for (const child of children) {
    const childRank = rank[child] as number;
    if (childRank >= BLOCKED) return BLOCKED;
    if (childRank > strongest) strongest = childRank;
  }
  return strongest;
}
