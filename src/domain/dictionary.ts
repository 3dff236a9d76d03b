import type { Backlog, Epic } from './backlog.js';
import { backlogFromEpics, emptyBacklog } from './build.js';
import { type Change, noChange, planChange, replaceChange } from './change.js';
import { findCycle } from './cycles.js';
import { CycleDetected, TaskExists, UnknownEpicLink } from './errors.js';
import { assertEpicId, assertId, isBlank } from './ids.js';
import { reopened } from './operations.js';

/** One epic of the exchange ("dictionary") format; a missing list means an empty one. */
export interface DictionaryEntry {
  readonly Tasks?: readonly string[];
  readonly Bugs?: readonly string[];
  readonly Epics?: readonly string[];
}

/** A dictionary as ordered entries, so that any id (even `__proto__`) is an ordinary key. */
export type Dictionary = Iterable<readonly [string, DictionaryEntry]>;

/**
 * Merges a dictionary into the backlog: lists are united in insertion order and
 * new epics are appended, so importing the same document twice changes nothing
 * (and the change is then empty). Only the epics it changes are checked again.
 */
export function mergeDictionary(backlog: Backlog, dictionary: Dictionary): Change {
  const put = new Map<string, Epic>();
  const taskOwners = new Map<string, string>();
  const current = (id: string) => put.get(id) ?? (backlog.has(id) ? backlog.epic(id) : undefined);
  for (const [id, entry] of dictionary) {
    assertEpicId(id);
    const before = current(id);
    const tasks = normalisedList(entry.Tasks);
    for (const task of tasks) {
      const owner = taskOwners.get(task) ?? backlog.taskOwner(task);
      if (owner !== undefined && owner !== id) throw new TaskExists(task, owner);
      taskOwners.set(task, id);
    }
    const bugs = normalisedList(entry.Bugs);
    const merged: Epic = withProgress(
      {
        id,
        tasks: union(before?.tasks, tasks),
        bugs: union(before?.bugs, bugs),
        epics: union(before?.epics, normalisedList(entry.Epics)),
      },
      reopened(before?.done, tasks),
      reopened(before?.fixed, bugs),
    );
    const unchanged =
      before && merged.tasks === before.tasks && merged.bugs === before.bugs && merged.epics === before.epics;
    if (!unchanged) put.set(id, merged);
  }
  // Importing what is already there changes nothing, and the store then writes nothing.
  if (put.size === 0) return noChange(backlog);
  if (backlog.size === 0) return replaceChange(backlog, backlogFromEpics(put.values()));
  for (const epic of put.values()) {
    for (const child of epic.epics) if (!current(child)) throw new UnknownEpicLink(epic.id, child);
  }
  const cycle = findCycle(put.keys(), (id) => current(id)?.epics);
  if (cycle) throw new CycleDetected(fromOldest(cycle, backlog, [...put.keys()]));
  return planChange(backlog, put);
}

/** The backlog a dictionary describes on its own (PUT /v1/backlog), checked by the import rules. */
export function backlogFromDictionary(dictionary: Dictionary): Backlog {
  const empty = emptyBacklog();
  return mergeDictionary(empty, dictionary).replacement ?? empty;
}

/** The backlog in the exchange format, epics in creation order. */
export function toDictionary(backlog: Backlog): [string, Required<DictionaryEntry>][] {
  return [...backlog.epics.values()].map((epic) => [
    epic.id,
    { Tasks: [...epic.tasks], Bugs: [...epic.bugs], Epics: [...epic.epics] },
  ]);
}

/** The epic with its progress lists, left out when empty (the dictionary format does not carry them). */
function withProgress(epic: Epic, done: readonly string[] | undefined, fixed: readonly string[] | undefined): Epic {
  return { ...epic, ...(done && { done }), ...(fixed && { fixed }) };
}

/** Drops blank strings, collapses duplicates and checks every remaining id. */
function normalisedList(ids: readonly string[] = []): string[] {
  const kept = new Set<string>();
  for (const id of ids) {
    if (isBlank(id)) continue;
    assertId(id);
    kept.add(id);
  }
  return [...kept];
}

function union(current: readonly string[] = [], added: readonly string[]): readonly string[] {
  if (added.length === 0) return current;
  if (current.length === 0) return added;
  const known = new Set(current);
  if (added.every((id) => known.has(id))) return current;
  return [...new Set([...current, ...added])];
}

/** The same cycle, named from its oldest epic (as a walk of the whole backlog in creation order would name it). */
function fromOldest(cycle: readonly string[], backlog: Backlog, added: readonly string[]): string[] {
  const ring = cycle.slice(0, -1);
  const existing = ring.filter((id) => backlog.has(id));
  const oldest = existing.length > 0 ? backlog.inCreationOrder(existing)[0] : added.find((id) => ring.includes(id));
  const start = Math.max(ring.indexOf(oldest as string), 0);
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  return [...rotated, rotated[0] as string];
}
