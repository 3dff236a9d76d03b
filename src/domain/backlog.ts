import { EpicNotFound } from './errors.js';
import type { Status } from './status.js';

export interface Epic {
  readonly id: string;
  readonly tasks: readonly string[];
  readonly bugs: readonly string[];
  /** Ids of the linked (child) epics. */
  readonly epics: readonly string[];
  /** Tasks marked done in this epic (DELETE /v1/tasks/{id}), for its progress; absent when none. */
  readonly done?: readonly string[];
  /** Bugs it reported that were marked fixed (DELETE /v1/bugs/{id}); absent when none. */
  readonly fixed?: readonly string[];
}

/** What a backlog holds besides its epics: each derived from them, kept in step by every change. */
export interface BacklogIndexes {
  /** Epics in creation order; Map keys treat ids such as `__proto__` as ordinary keys. */
  readonly epics: Map<string, Epic>;
  /** Creation rank of each epic: parents, reporters and query answers are sorted by it. */
  readonly order: Map<string, number>;
  nextOrder: number;
  readonly statuses: Map<string, Status>;
  /** How many epics have each status. */
  readonly statusCounts: Map<Status, number>;
  /** The epic that owns each task. */
  readonly taskOwners: Map<string, string>;
  /** The epics that report each bug. */
  readonly bugReporters: Map<string, Set<string>>;
  /** The epics that link to each epic (only epics that have parents are keys). */
  readonly parents: Map<string, Set<string>>;
}

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * The whole backlog with its indexes and statuses. It is built only by the domain
 * (`backlogFromEpics`, `applyChange`), so the indexes always agree with the epics.
 *
 * A change is applied in place, at the cost of what it changes, and the backlog it
 * was applied to is retired: any later read of it throws. A store hands out the
 * current backlog only, and every reader uses it before its next await.
 */
export class Backlog {
  #indexes: BacklogIndexes | undefined;

  /** @internal Use backlogFromEpics or applyChange. */
  constructor(indexes: BacklogIndexes) {
    this.#indexes = indexes;
  }

  /** @internal The indexes, for the domain modules that keep them in step. */
  get indexes(): BacklogIndexes {
    if (!this.#indexes) throw new Error('This backlog was superseded by a later change; read the current one');
    return this.#indexes;
  }

  /** @internal Hands the indexes to the next backlog. */
  retire(): BacklogIndexes {
    const indexes = this.indexes;
    this.#indexes = undefined;
    return indexes;
  }

  get epics(): ReadonlyMap<string, Epic> {
    return this.indexes.epics;
  }

  get statuses(): ReadonlyMap<string, Status> {
    return this.indexes.statuses;
  }

  /** How many epics have each status (a status no epic has counts 0, or is absent). */
  get statusCounts(): ReadonlyMap<Status, number> {
    return this.indexes.statusCounts;
  }

  get size(): number {
    return this.indexes.epics.size;
  }

  has(epicId: string): boolean {
    return this.indexes.epics.has(epicId);
  }

  /** The epic, or EpicNotFound. */
  epic(epicId: string): Epic {
    const epic = this.indexes.epics.get(epicId);
    if (!epic) throw new EpicNotFound(epicId);
    return epic;
  }

  status(epicId: string): Status {
    const status = this.indexes.statuses.get(epicId);
    if (status === undefined) throw new EpicNotFound(epicId);
    return status;
  }

  taskOwner(taskId: string): string | undefined {
    return this.indexes.taskOwners.get(taskId);
  }

  get taskOwners(): ReadonlyMap<string, string> {
    return this.indexes.taskOwners;
  }

  /** The epics that report the bug (none when nobody does). */
  reportersOf(bugId: string): ReadonlySet<string> {
    return this.indexes.bugReporters.get(bugId) ?? NO_IDS;
  }

  /** The epics that link to `epicId`. */
  parentsOf(epicId: string): ReadonlySet<string> {
    return this.indexes.parents.get(epicId) ?? NO_IDS;
  }

  /** Ids sorted in creation order. */
  inCreationOrder(ids: Iterable<string>): string[] {
    const order = this.indexes.order;
    return [...ids].sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
  }
}

/** Epics whose links include `epicId`, in creation order. */
export function parentsOf(backlog: Backlog, epicId: string): string[] {
  backlog.epic(epicId);
  return backlog.inCreationOrder(backlog.parentsOf(epicId));
}

/** `start` and every epic reachable from it through links: costs what it reaches. */
export function reachableFrom(backlog: Backlog, start: string): Set<string> {
  backlog.epic(start);
  const seen = new Set<string>([start]);
  const stack = [start];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const child of backlog.epic(id).epics) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return seen;
}

/** The epics that report each bug, in creation order of the epics, bugs in order of first report. */
export function bugReports(backlog: Backlog): Map<string, string[]> {
  return groupIds(backlog.epics.values(), (epic) => epic.bugs);
}

/** For each id that `idsOf` lists in some epic, the epics that list it, in the order given. */
export function groupIds(epics: Iterable<Epic>, idsOf: (epic: Epic) => readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const epic of epics) {
    for (const id of idsOf(epic)) {
      const holders = groups.get(id);
      if (holders) holders.push(epic.id);
      else groups.set(id, [epic.id]);
    }
  }
  return groups;
}

/** @internal Adds `member` to the group of `key` (index maintenance). */
export function addToGroup(groups: Map<string, Set<string>>, key: string, member: string): void {
  const group = groups.get(key);
  if (group) group.add(member);
  else groups.set(key, new Set([member]));
}

/** @internal Removes `member` from the group of `key`, dropping an empty group. */
export function removeFromGroup(groups: Map<string, Set<string>>, key: string, member: string): void {
  const group = groups.get(key);
  if (!group) return;
  group.delete(member);
  if (group.size === 0) groups.delete(key);
}

/** @internal Records an epic's status, keeping the counts in step (`status` undefined: the epic is gone). */
export function setStatus(indexes: BacklogIndexes, epicId: string, status: Status | undefined): void {
  const before = indexes.statuses.get(epicId);
  if (before === status) return;
  if (before !== undefined) indexes.statusCounts.set(before, (indexes.statusCounts.get(before) ?? 1) - 1);
  if (status === undefined) {
    indexes.statuses.delete(epicId);
    return;
  }
  indexes.statuses.set(epicId, status);
  indexes.statusCounts.set(status, (indexes.statusCounts.get(status) ?? 0) + 1);
}
