import { z } from 'zod';
import type { BacklogEvent, Change, Epic } from '../domain/index.js';
import { checksumOf } from './backlog-snapshot.js';
import { storedEpicSchema, toStoredEpics } from './stored-epics.js';
import { eventFieldsSchema, toStoredEvent } from './stored-events.js';

/**
 * The file store's journal: one line per commit, `<checksum> <record>\n`, where the
 * record is what the commit changed (the epics it put, the ids it deleted) and the
 * revision it produced, with the commit's event (its `seq` is the revision). A
 * commit and its event are durable together once the line is synced.
 */
const recordSchema = z.strictObject({
  revision: z.number().int().nonnegative(),
  put: z.array(storedEpicSchema),
  deleted: z.array(z.string()),
  // Absent in records written before events were kept.
  event: eventFieldsSchema.optional(),
});
export type JournalRecord = z.infer<typeof recordSchema>;

const CHECKSUM_LENGTH = 16;

export function encodeRecord(change: Change, event: BacklogEvent): string {
  const { seq: revision, ...fields } = toStoredEvent(event);
  return encodeLine({ revision, put: toStoredEpics(change.put.values()), deleted: [...change.deleted], event: fields });
}

/** The event a record holds, if it holds one. */
export function eventOfRecord(record: JournalRecord): BacklogEvent | undefined {
  return record.event && { seq: record.revision, ...record.event };
}

/** One self-checking line: `<checksum> <json>\n` (the journal and the events file). */
export function encodeLine(value: unknown): string {
  const json = JSON.stringify(value);
  return `${checksumOf(json).slice(0, CHECKSUM_LENGTH)} ${json}\n`;
}

export interface LinesContents<T> {
  readonly records: T[];
  /** Bytes of the journal that hold whole, valid records: anything after them is a torn append. */
  readonly validBytes: number;
  /** A last record cut short by a crash during its append (never acknowledged), if any. */
  readonly tornTail?: string;
}

export type JournalContents = LinesContents<JournalRecord>;

export function decodeJournal(text: string): JournalContents {
  return decodeLines(text, (value) => {
    const parsed = recordSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  });
}

/**
 * Reads lines written by encodeLine. A damaged LAST line is a torn append and is
 * reported as such; a damaged line followed by others is damage, and throws naming the line.
 */
export function decodeLines<T>(text: string, parse: (value: unknown) => T | undefined): LinesContents<T> {
  const records: T[] = [];
  let offset = 0;
  let line = 0;
  while (offset < text.length) {
    line++;
    const end = text.indexOf('\n', offset);
    const isLast = end === -1 || end === text.length - 1;
    const content = end === -1 ? text.slice(offset) : text.slice(offset, end);
    const record = end === -1 ? undefined : decodeLine(content, parse);
    if (record === undefined) {
      if (isLast) return { records, validBytes: Buffer.byteLength(text.slice(0, offset)), tornTail: content };
      throw new Error(`record ${line} is damaged (bad checksum or shape), and records follow it`);
    }
    records.push(record);
    offset = end + 1;
  }
  return { records, validBytes: Buffer.byteLength(text) };
}

function decodeLine<T>(line: string, parse: (value: unknown) => T | undefined): T | undefined {
  const space = line.indexOf(' ');
  if (space !== CHECKSUM_LENGTH) return undefined;
  const record = line.slice(space + 1);
  if (checksumOf(record).slice(0, CHECKSUM_LENGTH) !== line.slice(0, space)) return undefined;
  try {
    return parse(JSON.parse(record));
  } catch {
    return undefined;
  }
}

/** Replays records onto epics in creation order, as applyChange does: deletions first, then puts. */
export function replay(epics: Map<string, Epic>, record: JournalRecord): void {
  for (const id of record.deleted) epics.delete(id);
  for (const epic of record.put) epics.set(epic.id, epic);
}
