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

/** Links as one flat array of epic numbers: the children of epic i are `childIndex[childStart[i] .. childStart[i + 1])`. */
export interface NumberedLinks {
  readonly childStart: Int32Array;
  readonly childIndex: Int32Array;
}

/** Numbers the links of `epics` through `indexOf` (each epic's position); every link must name one of them. */
export function numberLinks(epics: readonly Epic[], indexOf: ReadonlyMap<string, number>): NumberedLinks {
  const count = epics.length;
  const childStart = new Int32Array(count + 1);
  let links = 0;
  for (let i = 0; i < count; i++) links += (epics[i] as Epic).epics.length;
  const childIndex = new Int32Array(links);
  for (let i = 0, at = 0; i < count; i++) {
    childStart[i] = at;
    for (const child of (epics[i] as Epic).epics) childIndex[at++] = indexOf.get(child) as number;
  }
  childStart[count] = links;
  return { childStart, childIndex };
}

/**
 * The status of every epic, in one pass: each status is computed once, after
 * those of its children, with an explicit stack so that a chain of any depth
 * fits, over numbered links so that the walk itself touches only arrays. Used
 * where every status is new: import, replace, start-up. The links must form a DAG.
 */
export function computeStatuses(epics: readonly Epic[], { childStart, childIndex }: NumberedLinks): Status[] {
  const count = epics.length;
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
      const first = childStart[index] as number;
      const end = childStart[index + 1] as number;
      const before = stack.length;
      for (let c = first; c < end; c++) {
        const child = childIndex[c] as number;
        if (rank[child] === UNKNOWN) stack.push(child);
      }
      if (stack.length > before) continue;
      stack.pop();
      rank[index] = rankOf(epics[index] as Epic, childIndex, first, end, rank);
    }
  }
  const statuses: Status[] = new Array(count);
  for (let i = 0; i < count; i++) statuses[i] = STATUS_OF_RANK[rank[i] as number] as Status;
  return statuses;
}

function rankOf(epic: Epic, childIndex: Int32Array, first: number, end: number, rank: Int8Array): number {
  if (epic.tasks.length > 0) return WIP;
  let strongest = epic.bugs.length > 0 ? PENDING_VALIDATION : COMPLETED;
  for (let c = first; c < end; c++) {
    const childRank = rank[childIndex[c] as number] as number;
    if (childRank >= BLOCKED) return BLOCKED;
    if (childRank > strongest) strongest = childRank;
  }
  return strongest;
}
