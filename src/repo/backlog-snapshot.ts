import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Backlog, backlogFromDictionary, DomainError } from '../domain/index.js';

const FORMAT = 'backlog-status-snapshot/1';

const storedEpicSchema = z.strictObject({
  id: z.string(),
  tasks: z.array(z.string()),
  bugs: z.array(z.string()),
  epics: z.array(z.string()),
});
export type StoredEpic = z.infer<typeof storedEpicSchema>;

const snapshotSchema = z.strictObject({
  format: z.literal(FORMAT),
  checksum: z.string(),
  epics: z.array(storedEpicSchema),
});

export function toStoredEpics(backlog: Backlog): StoredEpic[] {
  return [...backlog.epics.values()].map(({ id, tasks, bugs, epics }) => ({ id, tasks, bugs, epics }) as StoredEpic);
}

/** The backlog as one self-checking JSON document. */
export function encodeSnapshot(backlog: Backlog): string {
  const epics = JSON.stringify(toStoredEpics(backlog));
  return `{"format":"${FORMAT}","checksum":"${checksumOf(epics)}","epics":${epics}}\n`;
}

/** Reads a snapshot back, refusing anything damaged: a bad checksum, a wrong shape or a broken rule of the backlog. */
export function decodeSnapshot(text: string): Backlog {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message}); the file is truncated or damaged`);
  }
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`not a backlog snapshot: ${z.prettifyError(parsed.error)}`);
  if (checksumOf(JSON.stringify(parsed.data.epics)) !== parsed.data.checksum) {
    throw new Error('checksum mismatch; the file was changed or damaged after it was written');
  }
  return backlogFromStoredEpics(parsed.data.epics);
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

function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
