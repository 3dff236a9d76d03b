import { z } from 'zod';
import type { BacklogEvent } from '../domain/index.js';
import { decodeLines, encodeLine } from './journal.js';
import { storedEventSchema, toStoredEvent } from './stored-events.js';

/**
 * The file store's events (`events.log`): a header line naming the revision after
 * which every commit's event is kept, then one self-checking line per event, in
 * `seq` order. Events reach it from the journal when the journal is folded into a
 * snapshot, and before the snapshot of a replacement; so an event is always in
 * the journal, in this file, or in both (start-up reads each once).
 */
const FORMAT = 'backlog-events/1';
const headerSchema = z.strictObject({ format: z.literal(FORMAT), since: z.number().int().nonnegative() });

export function encodeEventsFile(since: number, events: Iterable<BacklogEvent>): string {
  return encodeLine({ format: FORMAT, since }) + encodeEventLines(events);
}

export function encodeEventLines(events: Iterable<BacklogEvent>): string {
  let text = '';
  for (const event of events) text += encodeLine(toStoredEvent(event));
  return text;
}

export interface EventsFileContents {
  readonly since: number;
  readonly events: BacklogEvent[];
  readonly validBytes: number;
  readonly tornTail?: string;
}

/** Reads an events file, refusing damage but a torn last line; throws naming what is wrong. */
export function decodeEventsFile(text: string): EventsFileContents {
  const contents = decodeLines(text, (value) => {
    const header = headerSchema.safeParse(value);
    if (header.success) return header.data;
    const event = storedEventSchema.safeParse(value);
    return event.success ? event.data : undefined;
  });
  const [header, ...rest] = contents.records;
  if (!header || !('format' in header)) throw new Error('its first line is not an events header');
  const events: BacklogEvent[] = [];
  for (const item of rest) {
    if ('format' in item) throw new Error('it holds a second header');
    const expected = header.since + events.length + 1;
    if (item.seq !== expected) throw new Error(`event ${item.seq} is out of sequence: ${expected} was expected`);
    events.push(item);
  }
  return { since: header.since, events, validBytes: contents.validBytes, tornTail: contents.tornTail };
}
