import { z } from 'zod';
import type { Change, Epic } from '../domain/index.js';
import { checksumOf } from './backlog-snapshot.js';
import { storedEpicSchema, toStoredEpics } from './stored-epics.js';

/**
 * The file store's journal: one line per commit, `<checksum> <record>\n`, where the
 * record is what the commit changed (the epics it put, the ids it deleted) and the
 * revision it produced. A commit is durable once its line is synced.
 */
const recordSchema = z.strictObject({
  revision: z.number().int().nonnegative(),
  put: z.array(storedEpicSchema),
  deleted: z.array(z.string()),
});
export type JournalRecord = z.infer<typeof recordSchema>;

const CHECKSUM_LENGTH = 16;

export function encodeRecord(change: Change, revision: number): string {
  const record = JSON.stringify({ revision, put: toStoredEpics(change.put.values()), deleted: [...change.deleted] });
  return `${checksumOf(record).slice(0, CHECKSUM_LENGTH)} ${record}\n`;
}

export interface JournalContents {
  readonly records: JournalRecord[];
  /** Bytes of the journal that hold whole, valid records: anything after them is a torn append. */
  readonly validBytes: number;
  /** A last record cut short by a crash during its append (never acknowledged), if any. */
  readonly tornTail?: string;
}

/**
 * Reads a journal's text. A damaged LAST line is a torn append and is reported as
 * such; a damaged line followed by others is damage, and throws naming the line.
 */
export function decodeJournal(text: string): JournalContents {
  const records: JournalRecord[] = [];
  let offset = 0;
  let line = 0;
  while (offset < text.length) {
    line++;
    const end = text.indexOf('\n', offset);
    const isLast = end === -1 || end === text.length - 1;
    const content = end === -1 ? text.slice(offset) : text.slice(offset, end);
    const record = end === -1 ? undefined : decodeLine(content);
    if (record === undefined) {
      if (isLast) return { records, validBytes: Buffer.byteLength(text.slice(0, offset)), tornTail: content };
      throw new Error(`record ${line} is damaged (bad checksum or shape), and records follow it`);
    }
    records.push(record);
    offset = end + 1;
  }
  return { records, validBytes: Buffer.byteLength(text) };
}

function decodeLine(line: string): JournalRecord | undefined {
  const space = line.indexOf(' ');
  if (space !== CHECKSUM_LENGTH) return undefined;
  const record = line.slice(space + 1);
  if (checksumOf(record).slice(0, CHECKSUM_LENGTH) !== line.slice(0, space)) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(record));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Replays records onto epics in creation order, as applyChange does: deletions first, then puts. */
export function replay(epics: Map<string, Epic>, record: JournalRecord): void {
  for (const id of record.deleted) epics.delete(id);
  for (const epic of record.put) epics.set(epic.id, epic);
}
