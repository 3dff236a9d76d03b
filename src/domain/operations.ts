import { type Backlog, type Epic, getEpic, taskOwners, withEpic } from './backlog.js';
import { findCycle } from './cycles.js';
import {
  BugExists,
  BugNotFound,
  CycleDetected,
  EpicExists,
  EpicNotFound,
  LinkExists,
  LinkNotFound,
  TaskExists,
  TaskNotFound,
  UnknownEpicLink,
} from './errors.js';
import { assertEpicId, assertId } from './ids.js';

export interface NewEpic {
  readonly id: string;
  readonly tasks?: readonly string[];
  readonly bugs?: readonly string[];
  readonly epics?: readonly string[];
}

export function createEpic(backlog: Backlog, input: NewEpic): Backlog {
  assertEpicId(input.id);
  if (backlog.epics.has(input.id)) throw new EpicExists(input.id);
  const epic: Epic = {
    id: input.id,
    tasks: distinctIds(input.tasks),
    bugs: distinctIds(input.bugs),
    epics: distinctIds(input.epics),
  };
  const owners = taskOwners(backlog);
  for (const task of epic.tasks) {
    const owner = owners.get(task);
    if (owner !== undefined) throw new TaskExists(task, owner);
  }
  for (const child of epic.epics) {
    if (child === epic.id) throw new CycleDetected([epic.id, epic.id]);
    if (!backlog.epics.has(child)) throw new UnknownEpicLink(epic.id, child);
  }
  return withEpic(backlog, epic);
}

/** Removes the epic, its tasks and bug reports, and every link to it. */
export function deleteEpic(backlog: Backlog, epicId: string): Backlog {
  getEpic(backlog, epicId);
  const epics = new Map<string, Epic>();
  for (const epic of backlog.epics.values()) {
    if (epic.id === epicId) continue;
    epics.set(epic.id, epic.epics.includes(epicId) ? { ...epic, epics: without(epic.epics, epicId) } : epic);
  }
  return { epics };
}

export function addTask(backlog: Backlog, epicId: string, taskId: string): Backlog {
  assertId(taskId);
  const epic = getEpic(backlog, epicId);
  const owner = taskOwners(backlog).get(taskId);
  if (owner !== undefined) throw new TaskExists(taskId, owner);
  return withEpic(backlog, { ...epic, tasks: [...epic.tasks, taskId] });
}

/** Marks the task done. */
export function removeTask(backlog: Backlog, taskId: string): Backlog {
  for (const epic of backlog.epics.values()) {
    if (epic.tasks.includes(taskId)) return withEpic(backlog, { ...epic, tasks: without(epic.tasks, taskId) });
  }
  throw new TaskNotFound(taskId);
}

export function addBug(backlog: Backlog, epicId: string, bugId: string): Backlog {
  assertId(bugId);
  const epic = getEpic(backlog, epicId);
  if (epic.bugs.includes(bugId)) throw new BugExists(bugId, epicId);
  return withEpic(backlog, { ...epic, bugs: [...epic.bugs, bugId] });
}

/** Marks the bug fixed: it leaves every epic that reports it. */
export function removeBug(backlog: Backlog, bugId: string): Backlog {
  let found = false;
  const epics = new Map<string, Epic>();
  for (const epic of backlog.epics.values()) {
    const reports = epic.bugs.includes(bugId);
    found ||= reports;
    epics.set(epic.id, reports ? { ...epic, bugs: without(epic.bugs, bugId) } : epic);
  }
  if (!found) throw new BugNotFound(bugId);
  return { epics };
}

export function linkEpics(backlog: Backlog, parentId: string, childId: string): Backlog {
  const parent = getEpic(backlog, parentId);
  getEpic(backlog, childId);
  if (parent.epics.includes(childId)) throw new LinkExists(parentId, childId);
  const linked = withEpic(backlog, { ...parent, epics: [...parent.epics, childId] });
  const cycle = findCycle(linked, parentId);
  if (cycle) throw new CycleDetected(cycle);
  return linked;
}

export function unlinkEpics(backlog: Backlog, parentId: string, childId: string): Backlog {
  const parent = getEpic(backlog, parentId);
  if (!backlog.epics.has(childId)) throw new EpicNotFound(childId);
  if (!parent.epics.includes(childId)) throw new LinkNotFound(parentId, childId);
  return withEpic(backlog, { ...parent, epics: without(parent.epics, childId) });
}

function distinctIds(ids: readonly string[] = []): string[] {
  for (const id of ids) assertId(id);
  return [...new Set(ids)];
}

function without(ids: readonly string[], id: string): string[] {
  return ids.filter((other) => other !== id);
}
