import { type Backlog, bugReports, parentIndex, reachableFrom } from './backlog.js';
import { BugNotFound } from './errors.js';
import { computeStatuses, type Status } from './status.js';

export interface BugOfEpic {
  readonly id: string;
  /** The epics at or under the asked epic that report the bug, in creation order. */
  readonly epics: readonly string[];
}

/** B*(e): the bugs of the epic and of every epic reachable from it, each once. */
export function bugsOfEpic(backlog: Backlog, epicId: string): BugOfEpic[] {
  const reachable = reachableFrom(backlog, epicId);
  const under = [...backlog.epics.values()].filter((epic) => reachable.has(epic.id));
  return [...bugReports({ epics: new Map(under.map((epic) => [epic.id, epic])) })].map(([id, epics]) => ({
    id,
    epics,
  }));
}

export interface BlockedEpics {
  readonly bug: string | null;
  readonly blocked: readonly { readonly id: string; readonly status: Status }[];
  /** The blocked epics that no other blocked epic links to. */
  readonly highest: readonly string[];
}

/** The epics blocked by `bugId`: those that report it and every epic that reaches one of them. */
export function epicsBlockedByBug(backlog: Backlog, bugId: string): BlockedEpics {
  const reporters = bugReports(backlog).get(bugId);
  if (!reporters) throw new BugNotFound(bugId);
  const parents = parentIndex(backlog);
  const blocked = new Set<string>(reporters);
  const stack = [...reporters];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const parent of parents.get(id) ?? []) {
      if (!blocked.has(parent)) {
        blocked.add(parent);
        stack.push(parent);
      }
    }
  }
  return describeBlocked(backlog, bugId, blocked, parents);
}

/** Every epic whose status is `blocked`, in the same shape as the epics blocked by a bug. */
export function epicsWithBlockedStatus(backlog: Backlog): BlockedEpics {
  const statuses = computeStatuses(backlog);
  const blocked = new Set([...statuses].filter(([, status]) => status === 'blocked').map(([id]) => id));
  return describeBlocked(backlog, null, blocked, parentIndex(backlog), statuses);
}

function describeBlocked(
  backlog: Backlog,
  bug: string | null,
  blocked: ReadonlySet<string>,
  parents: ReadonlyMap<string, readonly string[]>,
  statuses: ReadonlyMap<string, Status> = computeStatuses(backlog),
): BlockedEpics {
  const inOrder = [...backlog.epics.keys()].filter((id) => blocked.has(id));
  return {
    bug,
    blocked: inOrder.map((id) => ({ id, status: statuses.get(id) as Status })),
    highest: inOrder.filter((id) => !(parents.get(id) ?? []).some((parent) => blocked.has(parent))),
  };
}
