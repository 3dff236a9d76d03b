import { z } from 'zod';
import { type Backlog, backlogFromDictionary, DomainError } from '../domain/index.js';

/** An epic as every store keeps it, checked with zod when read back. */
export const storedEpicSchema = z.strictObject({
  id: z.string(),
  tasks: z.array(z.string()),
  bugs: z.array(z.string()),
  epics: z.array(z.string()),
});
export type StoredEpic = z.infer<typeof storedEpicSchema>;

export function toStoredEpics(backlog: Backlog): StoredEpic[] {
  return [...backlog.epics.values()].map(({ id, tasks, bugs, epics }) => ({ id, tasks, bugs, epics }) as StoredEpic);
}

/** Rebuilds a backlog from stored epics, checking every rule of the backlog again. */
export function backlogFromStoredEpics(epics: readonly StoredEpic[]): Backlog {
  const ids = new Set(epics.map((epic) => epic.id));
  if (ids.size !== epics.length) throw new Error('the same epic id is stored twice');
  try {
    return backlogFromDictionary(
      epics.map((epic) => [epic.id, { Tasks: epic.tasks, Bugs: epic.bugs, Epics: epic.epics }]),
    );
  } catch (error) {
    if (error instanceof DomainError) throw new Error(`the stored backlog breaks a rule: ${error.message}`);
    throw error;
  }
}
