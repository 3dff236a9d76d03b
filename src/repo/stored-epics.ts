import { z } from 'zod';
import {
  assertEpicId,
  assertId,
  type Backlog,
  backlogFromEpics,
  CycleDetected,
  type Epic,
  findCycle,
  TaskExists,
  UnknownEpicLink,
} from '../domain/index.js';

/** An epic as every store keeps it, checked with zod when read back. */
export const storedEpicSchema = z.strictObject({
  id: z.string(),
  tasks: z.array(z.string()),
  bugs: z.array(z.string()),
  epics: z.array(z.string()),
  // Progress (SPEC section 8): written only when not empty, so older data reads as it is.
  done: z.array(z.string()).optional(),
  fixed: z.array(z.string()).optional(),
});
export type StoredEpic = z.infer<typeof storedEpicSchema>;

function toStoredEpic({ id, tasks, bugs, epics, done, fixed }: Epic): StoredEpic {
  return { id, tasks, bugs, epics, ...progressLists(done, fixed) } as StoredEpic;
}

/** The progress lists an epic is stored with: only those that hold ids. */
export function progressLists(done: readonly string[] | undefined, fixed: readonly string[] | undefined) {
  return { ...(done?.length && { done: [...done] }), ...(fixed?.length && { fixed: [...fixed] }) };
}

export function toStoredEpics(epics: Iterable<Epic>): StoredEpic[] {
  return [...epics].map(toStoredEpic);
}

/**
 * Rebuilds a backlog from stored epics with the domain's invariant check (not the
 * import rules): anything the service could not have written, a repeated id
 * included, is reported as damage.
 */
export function backlogFromStoredEpics(epics: Iterable<StoredEpic>): Backlog {
  try {
    return backlogFromEpics(epics);
  } catch (error) {
    throw new Error(`the stored backlog breaks a rule: ${(error as Error).message}`);
  }
}

/**
 * Checks, at the cost of the epics it names, that putting and deleting stored
 * epics keeps every rule of the backlog: ids valid and listed once, links to
 * existing epics, each task in one epic, no cycle through a changed epic, no link
 * left to a deleted one. `planChange` trusts its input, so a store that applies
 * epics read back from its data (a replica catching up) checks them with this
 * first; a failure means a full rebuild, which names the damage.
 */
export function checkStoredChange(
  backlog: Backlog,
  put: ReadonlyMap<string, Epic>,
  deleted: ReadonlySet<string>,
): void {
  const after = (id: string) => (deleted.has(id) ? undefined : (put.get(id) ?? backlog.epics.get(id)));
  const claimed = new Map<string, string>();
  for (const epic of put.values()) {
    assertEpicId(epic.id);
    checkList(epic, 'tasks', assertId);
    checkList(epic, 'bugs', assertId);
    checkList(epic, 'epics', assertId); // a link to a reserved id is a link to a missing epic
    checkList(epic, 'done', assertId);
    checkList(epic, 'fixed', assertId);
    for (const child of epic.epics) if (!after(child)) throw new UnknownEpicLink(epic.id, child);
    for (const task of epic.tasks) {
      const owner = claimed.get(task) ?? backlog.taskOwner(task);
      const stillOwned =
        owner !== undefined && owner !== epic.id && (claimed.has(task) || after(owner)?.tasks.includes(task));
      if (stillOwned) throw new TaskExists(task, owner);
      claimed.set(task, epic.id);
    }
  }
  for (const id of deleted) {
    for (const parent of backlog.parentsOf(id)) {
      if (after(parent)?.epics.includes(id)) throw new UnknownEpicLink(parent, id);
    }
  }
  const cycle = findCycle(put.keys(), (id) => after(id)?.epics);
  if (cycle) throw new CycleDetected(cycle);
}

function checkList(epic: Epic, list: 'tasks' | 'bugs' | 'epics' | 'done' | 'fixed', check: (id: string) => void): void {
  const seen = new Set<string>();
  for (const id of epic[list] ?? []) {
    check(id);
    if (seen.has(id)) throw new Error(`epic ${JSON.stringify(epic.id)} lists ${JSON.stringify(id)} twice in ${list}`);
    seen.add(id);
  }
}
