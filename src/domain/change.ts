import { addToGroup, Backlog, type BacklogIndexes, type Epic, removeFromGroup, setStatus } from './backlog.js';
import { type Status, statusOf } from './status.js';

/** A status transition caused by a change: `from` null for a created epic, `to` null for a deleted one. */
export interface StatusChange {
  readonly epic: string;
  readonly from: Status | null;
  readonly to: Status | null;
}

/**
 * What an operation does to a backlog, computed without touching it: the epics it
 * puts (new ones are appended in this order) and deletes, and the statuses that
 * follow. A store writes this and nothing else, then applies it with applyChange.
 */
export interface Change {
  readonly base: Backlog;
  readonly put: ReadonlyMap<string, Epic>;
  readonly deleted: ReadonlySet<string>;
  /** Set when the whole backlog is replaced (PUT /v1/backlog): `put` then holds all of it, in order. */
  readonly replacement?: Backlog;
  /** The new status of every epic whose status changed or that was created; deleted epics are absent. */
  readonly statuses: ReadonlyMap<string, Status>;
  /** Every status transition: deleted epics first, then in creation order (a replacement: in its own order). */
  readonly statusChanges: readonly StatusChange[];
}

/** Whether the change writes nothing (importing what is already there, for example). */
export function isNoChange(change: Change): boolean {
  return change.put.size === 0 && change.deleted.size === 0 && change.replacement === undefined;
}

export function noChange(base: Backlog): Change {
  return { base, put: new Map(), deleted: new Set(), statuses: new Map(), statusChanges: [] };
}

/**
 * A change that puts and deletes the given epics. The caller has checked the rules
 * (ids, a task in one epic, links to existing epics, no cycle); statuses are
 * updated incrementally: the changed epics, then up through parents only while a
 * status changes.
 */
export function planChange(
  base: Backlog,
  put: ReadonlyMap<string, Epic>,
  deleted: ReadonlySet<string> = new Set(),
): Change {
  const { epics, statuses, parents } = base.indexes;
  const epicAfter = (id: string) => (deleted.has(id) ? undefined : (put.get(id) ?? epics.get(id)));
  const { added: parentsAdded, removed: parentsRemoved } = linkDelta(base.indexes, put, deleted);
  const parentsAfter = (id: string): Iterable<string> => {
    const before = parents.get(id);
    const added = parentsAdded.get(id);
    const removed = parentsRemoved.get(id);
    if (!added && !removed) return before ?? [];
    const after = new Set(before);
    for (const parent of removed ?? []) after.delete(parent);
    for (const parent of added ?? []) after.add(parent);
    return after;
  };

  const next = new Map<string, Status>();
  const statusAfter = (id: string) => (next.get(id) ?? statuses.get(id)) as Status;
  const pending = new Set(put.keys());
  const work = [...pending].reverse();
  // Statuses only move one way for a given operation, so each epic is computed a few times at most.
  let budget = 8 * (pending.size + epics.size) + 64;
  while (work.length > 0) {
    if (--budget < 0) throw new Error('status update did not settle: the links form a cycle');
    const id = work[work.length - 1] as string;
    if (!pending.has(id)) {
      work.pop();
      continue;
    }
    const epic = epicAfter(id) as Epic;
    // Children first: a status is computed from its children's final statuses.
    const waiting = work.length;
    for (const child of epic.epics) if (pending.has(child)) work.push(child);
    if (work.length > waiting) continue;
    work.pop();
    pending.delete(id);
    const before = next.get(id) ?? statuses.get(id);
    const status = statusOf(epic, statusAfter);
    if (status === before && before !== undefined) continue;
    next.set(id, status);
    for (const parent of parentsAfter(id)) {
      if (!pending.has(parent)) {
        pending.add(parent);
        work.push(parent);
      }
    }
  }
  return { base, put, deleted, statuses: next, statusChanges: transitions(base, deleted, next, put) };
}

/** Replaces the whole backlog with `replacement` (built with backlogFromEpics). */
export function replaceChange(base: Backlog, replacement: Backlog): Change {
  if (sameEpics(base, replacement)) return noChange(base);
  const deleted = new Set([...base.epics.keys()].filter((id) => !replacement.has(id)));
  const statusChanges: StatusChange[] = [...deleted].map((epic) => ({ epic, from: base.status(epic), to: null }));
  for (const [epic, to] of replacement.statuses) {
    const from = base.statuses.get(epic) ?? null;
    if (from !== to) statusChanges.push({ epic, from, to });
  }
  return {
    base,
    put: replacement.epics,
    deleted,
    replacement,
    statuses: new Map(statusChanges.flatMap(({ epic, to }) => (to ? [[epic, to] as const] : []))),
    statusChanges,
  };
}

/**
 * The backlog after the change. It costs what the change changes: the indexes of
 * `change.base` move to the result, and `change.base` is retired.
 */
export function applyChange(change: Change): Backlog {
  if (change.replacement) {
    change.base.retire();
    return change.replacement;
  }
  if (isNoChange(change)) return change.base;
  const indexes = change.base.retire();
  for (const id of change.deleted) removeEpic(indexes, id);
  for (const [id, epic] of change.put) putEpic(indexes, id, epic);
  for (const [id, status] of change.statuses) setStatus(indexes, id, status);
  return new Backlog(indexes);
}

function removeEpic(indexes: BacklogIndexes, id: string): void {
  const epic = indexes.epics.get(id) as Epic;
  for (const task of epic.tasks) indexes.taskOwners.delete(task);
  for (const bug of epic.bugs) removeFromGroup(indexes.bugReporters, bug, id);
  for (const child of epic.epics) removeFromGroup(indexes.parents, child, id);
  indexes.parents.delete(id);
  indexes.epics.delete(id);
  indexes.order.delete(id);
  setStatus(indexes, id, undefined);
}

function putEpic(indexes: BacklogIndexes, id: string, epic: Epic): void {
  const old = indexes.epics.get(id);
  if (!old) indexes.order.set(id, indexes.nextOrder++);
  const tasks = listDelta(old?.tasks, epic.tasks);
  for (const task of tasks.removed) indexes.taskOwners.delete(task);
  for (const task of tasks.added) indexes.taskOwners.set(task, id);
  const bugs = listDelta(old?.bugs, epic.bugs);
  for (const bug of bugs.removed) removeFromGroup(indexes.bugReporters, bug, id);
  for (const bug of bugs.added) addToGroup(indexes.bugReporters, bug, id);
  const children = listDelta(old?.epics, epic.epics);
  for (const child of children.removed) removeFromGroup(indexes.parents, child, id);
  for (const child of children.added) addToGroup(indexes.parents, child, id);
  indexes.epics.set(id, epic);
}

/** Parents each epic gains and loses through the change. */
function linkDelta(indexes: BacklogIndexes, put: ReadonlyMap<string, Epic>, deleted: ReadonlySet<string>) {
  const added = new Map<string, Set<string>>();
  const removed = new Map<string, Set<string>>();
  for (const [id, epic] of put) {
    const children = listDelta(indexes.epics.get(id)?.epics, epic.epics);
    for (const child of children.added) addToGroup(added, child, id);
    for (const child of children.removed) addToGroup(removed, child, id);
  }
  for (const id of deleted) {
    for (const child of (indexes.epics.get(id) as Epic).epics) addToGroup(removed, child, id);
  }
  return { added, removed };
}

/** Ids in `after` and not in `before`, and the reverse; shared lists (unchanged) cost nothing. */
function listDelta(before: readonly string[] = [], after: readonly string[]) {
  if (before === after) return { added: [], removed: [] };
  const old = new Set(before);
  const now = new Set(after);
  return { added: after.filter((id) => !old.has(id)), removed: before.filter((id) => !now.has(id)) };
}

function transitions(
  base: Backlog,
  deleted: ReadonlySet<string>,
  next: ReadonlyMap<string, Status>,
  put: ReadonlyMap<string, Epic>,
): StatusChange[] {
  const changes: StatusChange[] = [...deleted].map((epic) => ({ epic, from: base.status(epic), to: null }));
  const existing = base.inCreationOrder([...next.keys()].filter((id) => base.has(id)));
  for (const epic of existing) changes.push({ epic, from: base.status(epic), to: next.get(epic) as Status });
  for (const epic of put.keys()) {
    if (!base.has(epic)) changes.push({ epic, from: null, to: next.get(epic) as Status });
  }
  return changes;
}

function sameEpics(a: Backlog, b: Backlog): boolean {
  if (a.size !== b.size) return false;
  const others = b.epics.values();
  for (const epic of a.epics.values()) {
    const other = others.next().value as Epic;
    if (
      epic.id !== other.id ||
      !sameList(epic.tasks, other.tasks) ||
      !sameList(epic.bugs, other.bugs) ||
      !sameList(epic.epics, other.epics)
    )
      return false;
  }
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
