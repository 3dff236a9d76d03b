import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Backlog } from '../domain/index.js';
import { backlogFromStoredEpics, storedEpicSchema, toStoredEpics } from './stored-epics.js';

const FORMAT = 'backlog-status-snapshot/2';
// Written before revisions existed; read as revision 0, rewritten as /2 by the next snapshot.
const FORMAT_1 = 'backlog-status-snapshot/1';

const snapshotSchema = z.strictObject({
  format: z.union([z.literal(FORMAT), z.literal(FORMAT_1)]),
  revision: z.number().int().nonnegative().optional(),
  checksum: z.string(),
  epics: z.array(storedEpicSchema),
});

/** The backlog at a revision, as one self-checking JSON document. */
export function encodeSnapshot(backlog: Backlog, revision: number): string {
  const epics = JSON.stringify(toStoredEpics(backlog.epics.values()));
  return `{"format":"${FORMAT}","revision":${revision},"checksum":"${checksumOf(`${revision}:${epics}`)}","epics":${epics}}\n`;
}

/** Reads a snapshot back, refusing anything damaged: a bad checksum, a wrong shape or a broken rule of the backlog. */
export function decodeSnapshot(text: string): { backlog: Backlog; revision: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message}); the file is truncated or damaged`);
  }
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`not a backlog snapshot: ${z.prettifyError(parsed.error)}`);
  const { format, checksum, epics } = parsed.data;
  const revision = parsed.data.revision ?? 0;
  const epicsText = JSON.stringify(epics);
  const expected = format === FORMAT ? checksumOf(`${revision}:${epicsText}`) : checksumOf(epicsText);
  if (expected !== checksum) {
    throw new Error('checksum mismatch; the file was changed or damaged after it was written');
  }
  return { backlog: backlogFromStoredEpics(epics), revision };
}

export function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
