import { EpicNotFound } from './errors.js';

export interface Epic {
  readonly id: string;
  readonly tasks: readonly string[];
  readonly bugs: readonly string[];
  /** Ids of the linked (child) epics. */
  readonly epics: readonly string[];
}

/**
 * The whole backlog. A Map keeps creation order and treats ids such as
 * `__proto__` as ordinary keys. Operations never mutate a backlog: they return a
 * new one that shares every unchanged Epic object with the old.
 */
export interface Backlog {
  readonly epics: ReadonlyMap<string, Epic>;
}

export const emptyBacklog: Backlog = { epics: new Map() };

export function backlogOf(epics: Iterable<Epic>): Backlog {
  return { epics: new Map([...epics].map((epic) => [epic.id, epic])) };
}

export function getEpic(backlog: Backlog, epicId: string): Epic {
  const epic = backlog.epics.get(epicId);
  if (!epic) throw new EpicNotFound(epicId);
  return epic;
}

export function withEpic(backlog: Backlog, epic: Epic): Backlog {
  const epics = new Map(backlog.epics);
  epics.set(epic.id, epic);
  return { epics };
}

/** Epics whose links include `epicId`, in creation order. */
export function parentsOf(backlog: Backlog, epicId: string): string[] {
  return [...backlog.epics.values()].filter((epic) => epic.epics.includes(epicId)).map((epic) => epic.id);
}

/** The parents of every linked epic, each list in creation order. */
export function parentIndex(backlog: Backlog): Map<string, string[]> {
  return groupIds(backlog, (epic) => epic.epics);
}

/** `start` and every epic reachable from it through links. */
export function reachableFrom(backlog: Backlog, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const child of getEpic(backlog, id).epics) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return seen;
}

/** The epic that owns each task. */
export function taskOwners(backlog: Backlog): Map<string, string> {
  const owners = new Map<string, string>();
  for (const epic of backlog.epics.values()) {
    for (const task of epic.tasks) owners.set(task, epic.id);
  }
  return owners;
}

/** The epics that report each bug, in creation order. */
export function bugReports(backlog: Backlog): Map<string, string[]> {
  return groupIds(backlog, (epic) => epic.bugs);
}

/** For each id that `idsOf` lists in some epic, the epics that list it, in creation order. */
function groupIds(backlog: Backlog, idsOf: (epic: Epic) => readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const epic of backlog.epics.values()) {
    for (const id of idsOf(epic)) {
      const epics = groups.get(id);
      if (epics) epics.push(epic.id);
      else groups.set(id, [epic.id]);
    }
  }
  return groups;
}
