import {
  applyChange,
  type Backlog,
  backlogFromDictionary,
  backlogFromEpics,
  type Change,
  type DictionaryEntry,
  type Epic,
  toDictionary,
} from '../../src/domain/index.js';
import { SPEC_EXAMPLE } from '../../src/schemas/spec-example.js';

export { SPEC_EXAMPLE };

/**
 * A new backlog from a literal dictionary on every call (applying a change retires
 * the backlog it was planned on, so tests never share one); key order is creation order.
 */
export function backlog(dictionary: Record<string, DictionaryEntry>): Backlog {
  return backlogFromDictionary(Object.entries(dictionary));
}

/** An epic with empty lists but those given. */
export function epic(id: string, lists: Partial<Omit<Epic, 'id'>> = {}): Epic {
  return { id, tasks: [], bugs: [], epics: [], ...lists };
}

export function specBacklog(): Backlog {
  return backlog(SPEC_EXAMPLE);
}

/** A backlog as a plain, comparable value. */
export function plain(b: Backlog): ReturnType<typeof toDictionary> {
  return toDictionary(b);
}

/** The backlog after the change; the change's base is retired. */
export function applied(change: Change): Backlog {
  return applyChange(change);
}

/** Everything a backlog holds, its epics and all it derives from them, as plain comparable values. */
export function derived(b: Backlog) {
  const sorted = (ids: Iterable<string>) => [...ids].sort();
  return {
    epics: toDictionary(b),
    statuses: [...b.epics.keys()].map((id) => [id, b.status(id)]),
    statusCounts: Object.fromEntries([...b.statusCounts].filter(([, count]) => count > 0).sort()),
    taskOwners: [...b.taskOwners].sort(),
    reporters: sorted(new Set([...b.epics.values()].flatMap((epic) => epic.bugs))).map((bug) => [
      bug,
      sorted(b.reportersOf(bug)),
    ]),
    parents: [...b.epics.keys()].map((id) => [id, sorted(b.parentsOf(id))]),
  };
}

/** The same epics built from scratch: what incremental index and status upkeep must agree with. */
export function rebuilt(b: Backlog): Backlog {
  return backlogFromEpics(b.epics.values());
}
