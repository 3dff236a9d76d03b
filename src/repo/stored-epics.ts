import { z } from 'zod';
import { type Backlog, backlogFromEpics, type Epic } from '../domain/index.js';

/** An epic as every store keeps it, checked with zod when read back. */
export const storedEpicSchema = z.strictObject({
  id: z.string(),
  tasks: z.array(z.string()),
  bugs: z.array(z.string()),
  epics: z.array(z.string()),
});
export type StoredEpic = z.infer<typeof storedEpicSchema>;

export function toStoredEpic({ id, tasks, bugs, epics }: Epic): StoredEpic {
  return { id, tasks, bugs, epics } as StoredEpic;
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
