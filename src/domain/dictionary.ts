import { type Backlog, type Epic, emptyBacklog, taskOwners } from './backlog.js';
import { findCycle } from './cycles.js';
import { CycleDetected, TaskExists, UnknownEpicLink } from './errors.js';
import { assertEpicId, assertId, isBlank } from './ids.js';

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
 * new epics are appended, so importing the same document twice changes nothing.
 */
export function mergeDictionary(backlog: Backlog, dictionary: Dictionary): Backlog {
  const epics = new Map(backlog.epics);
  const owners = taskOwners(backlog);
  const imported: string[] = [];
  let changed = false;
  for (const [id, entry] of dictionary) {
    assertEpicId(id);
    const current = epics.get(id);
    const tasks = normalisedList(entry.Tasks);
    for (const task of tasks) {
      const owner = owners.get(task);
      if (owner !== undefined && owner !== id) throw new TaskExists(task, owner);
      owners.set(task, id);
    }
    const merged: Epic = {
      id,
      tasks: union(current?.tasks, tasks),
      bugs: union(current?.bugs, normalisedList(entry.Bugs)),
      epics: union(current?.epics, normalisedList(entry.Epics)),
    };
    const unchanged =
      current && merged.tasks === current.tasks && merged.bugs === current.bugs && merged.epics === current.epics;
    epics.set(id, unchanged ? current : merged);
    changed ||= !unchanged;
    imported.push(id);
  }
  // Importing what is already there changes nothing, and the store then writes nothing.
  if (!changed) return backlog;
  for (const id of imported) {
    for (const child of (epics.get(id) as Epic).epics) {
      if (!epics.has(child)) throw new UnknownEpicLink(id, child);
    }
  }
  const merged = { epics };
  const cycle = findCycle(merged);
  if (cycle) throw new CycleDetected(cycle);
  return merged;
}

export function backlogFromDictionary(dictionary: Dictionary): Backlog {
  return mergeDictionary(emptyBacklog, dictionary);
}

/** The backlog in the exchange format, epics in creation order. */
export function toDictionary(backlog: Backlog): [string, Required<DictionaryEntry>][] {
  return [...backlog.epics.values()].map((epic) => [
    epic.id,
    { Tasks: [...epic.tasks], Bugs: [...epic.bugs], Epics: [...epic.epics] },
  ]);
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
  const known = new Set(current);
  if (added.every((id) => known.has(id))) return current;
  return [...new Set([...current, ...added])];
}
