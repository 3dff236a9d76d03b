import type { Epic } from './backlog.js';

export const STATUSES = ['wip', 'blocked', 'pending_validation', 'completed'] as const;
export type Status = (typeof STATUSES)[number];

// Ranks order the statuses so that a parent takes the strongest of its children.
const UNKNOWN = -1;
const COMPLETED = 0;
const PENDING_VALIDATION = 1;
const BLOCKED = 2;
const WIP = 3;
const STATUS_OF_RANK: readonly Status[] = ['completed', 'pending_validation', 'blocked', 'wip'];
const RANK_OF_STATUS: Readonly<Record<Status, number>> = { completed: 0, pending_validation: 1, blocked: 2, wip: 3 };

/**
 * The status of an epic (SPEC section 2, bottom-up form) from its own lists and
 * the statuses of its children: wip with tasks of its own; otherwise blocked by
 * work below it, pending on bugs at or below it, else completed.
 */
export function statusOf(epic: Epic, childStatus: (childId: string) => Status): Status {
  if (epic.tasks.length > 0) return 'wip';
  let strongest = epic.bugs.length > 0 ? PENDING_VALIDATION : COMPLETED;
  for (const child of epic.epics) {
    const rank = RANK_OF_STATUS[childStatus(child)];
    if (rank >= BLOCKED) return 'blocked';
    if (rank > strongest) strongest = rank;
  }
  return STATUS_OF_RANK[strongest] as Status;
}

/**
 * The status of every epic, in one pass: each status is computed once, after
 * those of its children, with an explicit stack so that a chain of any depth
 * fits. `indexOf` numbers the epics (their position in `epics`) so that the walk
 * itself touches only arrays. Used where every status is new: import, replace, start-up.
 */
export function computeStatuses(epics: readonly Epic[], indexOf: ReadonlyMap<string, number>): Status[] {
  const count = epics.length;
  const children: Int32Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const links = (epics[i] as Epic).epics;
    const own = new Int32Array(links.length);
    for (let l = 0; l < links.length; l++) own[l] = indexOf.get(links[l] as string) as number;
    children[i] = own;
  }
  const rank = new Int8Array(count).fill(UNKNOWN);
  const stack: number[] = [];
  for (let root = 0; root < count; root++) {
    if (rank[root] !== UNKNOWN) continue;
    stack.push(root);
    while (stack.length > 0) {
      const index = stack[stack.length - 1] as number;
      if (rank[index] !== UNKNOWN) {
        stack.pop();
        continue;
      }
      const own = children[index] as Int32Array;
      const before = stack.length;
      for (let c = 0; c < own.length; c++) {
        const child = own[c] as number;
        if (rank[child] === UNKNOWN) stack.push(child);
      }
      if (stack.length > before) continue;
      stack.pop();
      rank[index] = rankOf(epics[index] as Epic, own, rank);
    }
  }
  const statuses: Status[] = new Array(count);
  for (let i = 0; i < count; i++) statuses[i] = STATUS_OF_RANK[rank[i] as number] as Status;
  return statuses;
}

function rankOf(epic: Epic, children: Int32Array, rank: Int8Array): number {
  if (epic.tasks.length > 0) return WIP;
  let strongest = epic.bugs.length > 0 ? PENDING_VALIDATION : COMPLETED;
  for (let c = 0; c < children.length; c++) {
    const childRank = rank[children[c] as number] as number;
    if (childRank >= BLOCKED) return BLOCKED;
    if (childRank > strongest) strongest = childRank;
  }
  return strongest;
}
