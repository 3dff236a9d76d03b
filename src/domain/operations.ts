import type { Backlog, Epic } from './backlog.js';
import { type Change, planChange } from './change.js';
import { pathBetween } from './cycles.js';
import {
  BugExists,
  BugNotFound,
  CycleDetected,
  EpicExists,
  LinkExists,
  LinkNotFound,
  TaskExists,
  TaskNotFound,
  UnknownEpicLink,
} from './errors.js';
import { assertEpicId, assertId } from './ids.js';

// Every operation checks the rules on the backlog it is given and returns the Change
// it makes, without touching that backlog: a store may run it again on a newer one.

export interface NewEpic {
  readonly id: string;
  readonly tasks?: readonly string[];
  readonly bugs?: readonly string[];
  readonly epics?: readonly string[];
}

export function createEpic(backlog: Backlog, input: NewEpic): Change {
  assertEpicId(input.id);
  if (backlog.has(input.id)) throw new EpicExists(input.id);
  const epic: Epic = {
    id: input.id,
    tasks: distinctIds(input.tasks),
    bugs: distinctIds(input.bugs),
    epics: distinctIds(input.epics),
  };
  for (const task of epic.tasks) {
    const owner = backlog.taskOwner(task);
    if (owner !== undefined) throw new TaskExists(task, owner);
  }
  for (const child of epic.epics) {
    if (child === epic.id) throw new CycleDetected([epic.id, epic.id]);
    if (!backlog.has(child)) throw new UnknownEpicLink(epic.id, child);
  }
  return put(backlog, epic);
}

/** Removes the epic, its tasks and bug reports, and every link to it. */
export function deleteEpic(backlog: Backlog, epicId: string): Change {
  backlog.epic(epicId);
  const parents = new Map<string, Epic>();
  for (const parentId of backlog.parentsOf(epicId)) {
    const parent = backlog.epic(parentId);
    parents.set(parentId, { ...parent, epics: without(parent.epics, epicId) });
  }
  return planChange(backlog, parents, new Set([epicId]));
}

export function addTask(backlog: Backlog, epicId: string, taskId: string): Change {
  assertId(taskId);
  const epic = backlog.epic(epicId);
  const owner = backlog.taskOwner(taskId);
  if (owner !== undefined) throw new TaskExists(taskId, owner);
  // Adding a done task again reopens it here.
  return put(backlog, { ...epic, tasks: [...epic.tasks, taskId], done: reopened(epic.done, [taskId]) });
}

/** Marks the task done. */
export function removeTask(backlog: Backlog, taskId: string): Change {
  const owner = backlog.taskOwner(taskId);
  if (owner === undefined) throw new TaskNotFound(taskId);
  const epic = backlog.epic(owner);
  return put(backlog, { ...epic, tasks: without(epic.tasks, taskId), done: closed(epic.done, taskId) });
}

export function addBug(backlog: Backlog, epicId: string, bugId: string): Change {
  assertId(bugId);
  const epic = backlog.epic(epicId);
  if (backlog.reportersOf(bugId).has(epicId)) throw new BugExists(bugId, epicId);
  return put(backlog, { ...epic, bugs: [...epic.bugs, bugId], fixed: reopened(epic.fixed, [bugId]) });
}

/** Marks the bug fixed: it leaves every epic that reports it. */
export function removeBug(backlog: Backlog, bugId: string): Change {
  const reporters = backlog.reportersOf(bugId);
  if (reporters.size === 0) throw new BugNotFound(bugId);
  const fixed = new Map<string, Epic>();
  for (const id of backlog.inCreationOrder(reporters)) {
    const epic = backlog.epic(id);
    fixed.set(id, { ...epic, bugs: without(epic.bugs, bugId), fixed: closed(epic.fixed, bugId) });
  }
  return planChange(backlog, fixed);
}

/** Links a child; a link that would close a cycle is refused, checked by a walk from the child only. */
export function linkEpics(backlog: Backlog, parentId: string, childId: string): Change {
  const parent = backlog.epic(parentId);
  backlog.epic(childId);
  if (parent.epics.includes(childId)) throw new LinkExists(parentId, childId);
  const back = pathBetween(childId, parentId, (id) => backlog.epic(id).epics);
  if (back) throw new CycleDetected([parentId, ...back]);
  return put(backlog, { ...parent, epics: [...parent.epics, childId] });
}

export function unlinkEpics(backlog: Backlog, parentId: string, childId: string): Change {
  const parent = backlog.epic(parentId);
  backlog.epic(childId);
  if (!parent.epics.includes(childId)) throw new LinkNotFound(parentId, childId);
  return put(backlog, { ...parent, epics: without(parent.epics, childId) });
}

function put(backlog: Backlog, epic: Epic): Change {
  return planChange(backlog, new Map([[epic.id, epic]]));
}

function distinctIds(ids: readonly string[] = []): string[] {
  for (const id of ids) assertId(id);
  return [...new Set(ids)];
}

function without(ids: readonly string[], id: string): string[] {
  return ids.filter((other) => other !== id);
}

/** A done (or fixed) list with `id` added once. */
function closed(ids: readonly string[] = [], id: string): readonly string[] {
  return [...without(ids, id), id];
}

/**
 * A done (or fixed) list without the ids added again: each is open once more.
 * Absent when it ends empty, so an epic without progress is stored as before.
 */
export function reopened(ids: readonly string[] | undefined, added: readonly string[]): readonly string[] | undefined {
  if (!ids || added.length === 0) return ids;
  const again = new Set(added);
  if (!ids.some((id) => again.has(id))) return ids;
  const kept = ids.filter((id) => !again.has(id));
  return kept.length > 0 ? kept : undefined;
}
