import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Backlog } from '../domain/index.js';
import { backlogFromStoredEpics, storedEpicSchema, toStoredEpics } from './stored-epics.js';

const FORMAT = 'backlog-status-snapshot/1';

const snapshotSchema = z.strictObject({
  format: z.literal(FORMAT),
  checksum: z.string(),
  epics: z.array(storedEpicSchema),
});

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

function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
