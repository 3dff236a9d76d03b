import { addToGroup, Backlog, type BacklogIndexes, type Epic } from './backlog.js';
import { findNumberedCycle } from './cycles.js';
import { CycleDetected, EpicExists, TaskExists, UnknownEpicLink } from './errors.js';
import { assertEpicId, assertId } from './ids.js';
import { computeStatuses, numberLinks, type Status } from './status.js';

/**
 * Builds a backlog from epics in creation order, checking every invariant: ids
 * valid, each epic once, no id twice in one list, each task in one epic, every
 * link to an existing epic, no cycle. A broken one throws a DomainError (or an
 * Error for a repeated list item, which no request can send). Stores decode
 * their data with it; imports normalise dictionaries first (dictionary.ts).
 */
export function backlogFromEpics(epics: Iterable<Epic>): Backlog {
  const indexes = emptyIndexes();
  const list: Epic[] = [];
  for (const epic of epics) {
    assertEpicId(epic.id);
    if (indexes.epics.has(epic.id)) throw new EpicExists(epic.id);
    indexes.order.set(epic.id, list.length);
    indexes.epics.set(epic.id, epic);
    list.push(epic);
  }
  indexes.nextOrder = list.length;
  for (const epic of list) {
    for (const task of distinct(epic.tasks, epic.id, 'task')) {
      const owner = indexes.taskOwners.get(task);
      if (owner !== undefined) throw new TaskExists(task, owner);
      indexes.taskOwners.set(task, epic.id);
    }
    for (const bug of distinct(epic.bugs, epic.id, 'bug')) addToGroup(indexes.bugReporters, bug, epic.id);
    distinct(epic.done ?? [], epic.id, 'done task');
    distinct(epic.fixed ?? [], epic.id, 'fixed bug');
    for (const child of distinct(epic.epics, epic.id, 'linked epic')) {
      if (!indexes.epics.has(child)) throw new UnknownEpicLink(epic.id, child);
      addToGroup(indexes.parents, child, epic.id);
    }
  }
  const links = numberLinks(list, indexes.order);
  const cycle = findNumberedCycle(links);
  if (cycle) throw new CycleDetected(cycle.map((index) => (list[index] as Epic).id));
  const statuses = computeStatuses(list, links);
  for (let i = 0; i < list.length; i++) {
    const status = statuses[i] as Status;
    indexes.statuses.set((list[i] as Epic).id, status);
    indexes.statusCounts.set(status, (indexes.statusCounts.get(status) ?? 0) + 1);
  }
  return new Backlog(indexes);
}

export function emptyBacklog(): Backlog {
  return new Backlog(emptyIndexes());
}

function emptyIndexes(): BacklogIndexes {
  return {
    epics: new Map(),
    order: new Map(),
    nextOrder: 0,
    statuses: new Map(),
    statusCounts: new Map(),
    taskOwners: new Map(),
    bugReporters: new Map(),
    parents: new Map(),
  };
}

function distinct(ids: readonly string[], epicId: string, kind: string): readonly string[] {
  const seen = new Set<string>();
  for (const id of ids) {
    // A link to a reserved id is a link to an epic that cannot exist (409), as in every other operation.
    assertId(id);
    if (seen.has(id)) throw new Error(`epic ${JSON.stringify(epicId)} lists the ${kind} ${JSON.stringify(id)} twice`);
    seen.add(id);
  }
  return ids;
}
