import { type Backlog, groupIds, reachableFrom } from './backlog.js';
import { BugNotFound } from './errors.js';
import type { Status } from './status.js';

export interface BugOfEpic {
  readonly id: string;
  /** The epics at or under the asked epic that report the bug, in creation order. */
  readonly epics: readonly string[];
}

/** B*(e): the bugs of the epic and of every epic reachable from it, each once. Costs what the epic reaches. */
export function bugsOfEpic(backlog: Backlog, epicId: string): BugOfEpic[] {
  const under = backlog.inCreationOrder(reachableFrom(backlog, epicId)).map((id) => backlog.epic(id));
  return [...groupIds(under, (epic) => epic.bugs)].map(([id, epics]) => ({ id, epics }));
}

export interface BlockedEpics {
  readonly bug: string | null;
  readonly blocked: readonly { readonly id: string; readonly status: Status }[];
  /** The blocked epics that no other blocked epic links to. */
  readonly highest: readonly string[];
}

/** The epics blocked by `bugId`: those that report it and every epic that reaches one of them. Costs what they reach. */
export function epicsBlockedByBug(backlog: Backlog, bugId: string): BlockedEpics {
  const reporters = backlog.reportersOf(bugId);
  if (reporters.size === 0) throw new BugNotFound(bugId);
  const blocked = new Set<string>(reporters);
  const stack = [...reporters];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const parent of backlog.parentsOf(id)) {
      if (!blocked.has(parent)) {
        blocked.add(parent);
        stack.push(parent);
      }
    }
  }
  return describeBlocked(backlog, bugId, backlog.inCreationOrder(blocked));
}

/** Every epic whose status is `blocked`, in the same shape as the epics blocked by a bug. */
export function epicsWithBlockedStatus(backlog: Backlog): BlockedEpics {
  const blocked = [...backlog.statuses].filter(([, status]) => status === 'blocked').map(([id]) => id);
  return describeBlocked(backlog, null, backlog.inCreationOrder(blocked));
}

function describeBlocked(backlog: Backlog, bug: string | null, inOrder: readonly string[]): BlockedEpics {
  const blocked = new Set(inOrder);
  return {
    bug,
    blocked: inOrder.map((id) => ({ id, status: backlog.status(id) })),
    highest: inOrder.filter((id) => ![...backlog.parentsOf(id)].some((parent) => blocked.has(parent))),
  };
}

/** How far an epic is: over it and every epic it reaches, each task and each bug counted once (SPEC section 8). */
export interface Progress {
  readonly tasksDone: number;
  readonly tasksOpen: number;
  readonly bugsFixed: number;
  readonly bugsOpen: number;
}

/**
 * The progress of an epic, from the tasks marked done and bugs marked fixed that
 * each reached epic remembers. An id open anywhere in reach counts as open only
 * (added again after it was done). Costs what the epic reaches.
 */
export function progressOf(backlog: Backlog, epicId: string): Progress {
  const reached = reachableFrom(backlog, epicId);
  // A task is in one epic only: the open ones are counted without a set of their ids.
  let tasksOpen = 0;
  const doneTasks = new Set<string>();
  const openBugs = new Set<string>();
  const fixedBugs = new Set<string>();
  for (const id of reached) {
    const epic = backlog.epic(id);
    tasksOpen += epic.tasks.length;
    for (const task of epic.done ?? []) doneTasks.add(task);
    for (const bug of epic.bugs) openBugs.add(bug);
    for (const bug of epic.fixed ?? []) fixedBugs.add(bug);
  }
  let tasksDone = 0;
  for (const task of doneTasks) {
    const owner = backlog.taskOwner(task);
    if (owner === undefined || !reached.has(owner)) tasksDone++;
  }
  return { tasksDone, tasksOpen, bugsFixed: countNotIn(fixedBugs, openBugs), bugsOpen: openBugs.size };
}

function countNotIn(ids: ReadonlySet<string>, excluded: ReadonlySet<string>): number {
  let count = 0;
  for (const id of ids) if (!excluded.has(id)) count++;
  return count;
}
