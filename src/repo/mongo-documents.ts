import type { AnyBulkWriteOperation } from 'mongodb';
import { z } from 'zod';
import { type Backlog, type BacklogEvent, type Change, type Epic, StoreCorrupted } from '../domain/index.js';
import { backlogFromStoredEpics, progressLists, type StoredEpic } from './stored-epics.js';
import { storedEventSchema, toStoredEvent } from './stored-events.js';

/** `_id` of the one meta document; it lives in its own collection, so no epic id can clash with it. */
export const META_ID = 'backlog';

/** Writes per bulkWrite: each round trip stays short however large the change. */
export const WRITE_BATCH = 1000;

/**
 * One epic. Every id is a value (`_id` or an array element), never a field name,
 * so any string is stored as given. `seq` keeps creation order.
 */
export interface EpicDocument {
  _id: string;
  seq: number;
  tasks: string[];
  bugs: string[];
  epics: string[];
  /** Progress (SPEC section 8), only when not empty. */
  done?: string[];
  fixed?: string[];
}

/** Written first by every commit, inside its transaction: the lock that serialises writers, and the cache key. */
export interface MetaDocument {
  _id: string;
  /** The revision of the latest commit: +1 per commit. */
  revision: number;
  /**
   * Random, new with each commit. A copy of the backlog is current only if it holds
   * both: a restore from a backup could bring a revision number back with other contents.
   */
  commitId: string;
  /** Every commit after this revision has its event in `events` (raised by retention). */
  eventsSince?: number;
}

/** One commit's event (SPEC section 8), written in the commit's transaction; `_id` and `seq` are its revision. */
export interface EventDocument extends BacklogEvent {
  _id: number;
}

/**
 * What one commit wrote, in the `commits` collection, written in the commit's
 * transaction: a replica that holds an older revision reads these records, then
 * only the epics they name. `_id` is the revision the commit produced (an event's
 * `seq` later).
 */
export interface CommitDocument {
  _id: number;
  commitId: string;
  at: Date;
  /** Ids of the epics the commit put or deleted (empty for a replacement). */
  epics: string[];
  /** The whole backlog was replaced: a replica catching up across it reads everything. */
  replaced?: true;
}

const epicDocumentSchema = z.strictObject({
  _id: z.string(),
  seq: z.number().int().nonnegative(),
  tasks: z.array(z.string()),
  bugs: z.array(z.string()),
  epics: z.array(z.string()),
  done: z.array(z.string()).optional(),
  fixed: z.array(z.string()).optional(),
});

const metaDocumentSchema = z.strictObject({
  _id: z.literal(META_ID),
  revision: z.number().int().nonnegative(),
  commitId: z.string().min(1),
  eventsSince: z.number().int().nonnegative().optional(),
});

const eventDocumentSchema = storedEventSchema.extend({ _id: z.number().int().nonnegative() });

const commitDocumentSchema = z.strictObject({
  _id: z.number().int().nonnegative(),
  commitId: z.string().min(1),
  at: z.date(),
  epics: z.array(z.string()),
  replaced: z.literal(true).optional(),
});

/**
 * A committed backlog with what is needed to write the next one. `seqs` moves on
 * with the backlog (a later state takes it over), so only the latest state is used.
 */
export interface StoredState {
  readonly revision: number;
  readonly commitId: string;
  readonly backlog: Backlog;
  readonly seqs: Map<string, number>;
  readonly nextSeq: number;
}

export function parseMeta(document: unknown): MetaDocument {
  const parsed = metaDocumentSchema.safeParse(document);
  if (!parsed.success) {
    throw new StoreCorrupted(`The MongoDB meta document is damaged: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function parseCommit(document: unknown): CommitDocument {
  const parsed = commitDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const id = (document as { _id?: unknown } | null)?._id;
    throw new StoreCorrupted(
      `The MongoDB commit record ${JSON.stringify(id) ?? String(id)} is damaged: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

export function parseEvent(document: unknown): BacklogEvent {
  const parsed = eventDocumentSchema.safeParse(document);
  if (parsed.success && parsed.data._id === parsed.data.seq) {
    const { _id, ...event } = parsed.data;
    return event;
  }
  const id = (document as { _id?: unknown } | null)?._id;
  const reason = parsed.success ? '_id and seq differ' : z.prettifyError(parsed.error);
  throw new StoreCorrupted(`The MongoDB event ${JSON.stringify(id) ?? String(id)} is damaged: ${reason}`);
}

export function eventDocument(event: BacklogEvent): EventDocument {
  return { _id: event.seq, ...toStoredEvent(event) };
}

export function parseEpic(document: unknown): EpicDocument {
  const parsed = epicDocumentSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  const id = (document as { _id?: unknown } | null)?._id;
  throw new StoreCorrupted(
    `The MongoDB epic document ${JSON.stringify(id) ?? String(id)} is damaged: ${z.prettifyError(parsed.error)}`,
  );
}

export function epicOf({ _id, tasks, bugs, epics, done, fixed }: EpicDocument): StoredEpic {
  return { id: _id, tasks, bugs, epics, ...progressLists(done, fixed) };
}

/** Rebuilds the backlog from documents sorted by `seq`, checking their shape and every rule of the backlog. */
export function stateFromDocuments(meta: MetaDocument, documents: readonly unknown[]): StoredState {
  const epics = documents.map(parseEpic);
  let backlog: Backlog;
  try {
    backlog = backlogFromStoredEpics(epics.map(epicOf));
  } catch (error) {
    throw new StoreCorrupted(`The backlog stored in MongoDB is damaged: ${(error as Error).message}`, { cause: error });
  }
  const seqs = new Map(epics.map((epic) => [epic._id, epic.seq]));
  const nextSeq = epics.reduce((max, epic) => Math.max(max, epic.seq + 1), 0);
  return { revision: meta.revision, commitId: meta.commitId, backlog, seqs, nextSeq };
}

/** What a commit writes: epic writes in batches (run in order), its record, and the seqs that follow. */
export interface CommitPlan {
  readonly batches: AnyBulkWriteOperation<EpicDocument>[][];
  readonly record: CommitDocument;
  /** The seqs of the epics after the commit (applied to the state once it is committed). */
  readonly seqs: (seqs: Map<string, number>) => Map<string, number>;
  readonly nextSeq: number;
}

/**
 * The writes of `change` and nothing else: deleted epics are deleted, put epics
 * written whole (an existing one keeps its `seq`, a new one takes the next seqs in
 * the order of `change.put`). A replacement deletes every epic and inserts the new
 * backlog with fresh seqs.
 */
export function planCommit(state: StoredState, change: Change, revision: number, commitId: string): CommitPlan {
  const writes: AnyBulkWriteOperation<EpicDocument>[] = [];
  const at = new Date();
  if (change.replacement) {
    // One statement: on the test server, deleting by ranges of `seq` or of `_id` took longer in total.
    writes.push({ deleteMany: { filter: {} } });
    let seq = 0;
    for (const epic of change.put.values()) writes.push({ insertOne: { document: epicDocument(epic, seq++) } });
    const nextSeq = seq;
    return {
      batches: batched(writes),
      record: { _id: revision, commitId, at, epics: [], replaced: true },
      seqs: () => new Map([...change.put.keys()].map((id, i) => [id, i])),
      nextSeq,
    };
  }
  const deleted = [...change.deleted];
  for (let i = 0; i < deleted.length; i += WRITE_BATCH) {
    writes.push({ deleteMany: { filter: { _id: { $in: deleted.slice(i, i + WRITE_BATCH) } } } });
  }
  let nextSeq = state.nextSeq;
  const added = new Map<string, number>();
  for (const epic of change.put.values()) {
    const kept = state.seqs.get(epic.id);
    const seq = kept ?? nextSeq++;
    if (kept === undefined) added.set(epic.id, seq);
    const { _id, ...replacement } = epicDocument(epic, seq);
    writes.push({ replaceOne: { filter: { _id }, replacement, upsert: true } });
  }
  return {
    batches: batched(writes),
    record: { _id: revision, commitId, at, epics: [...change.put.keys(), ...deleted] },
    seqs(seqs) {
      for (const id of deleted) seqs.delete(id);
      for (const [id, seq] of added) seqs.set(id, seq);
      return seqs;
    },
    nextSeq,
  };
}

function epicDocument(epic: Epic, seq: number): EpicDocument {
  return {
    _id: epic.id,
    seq,
    tasks: [...epic.tasks],
    bugs: [...epic.bugs],
    epics: [...epic.epics],
    ...progressLists(epic.done, epic.fixed),
  };
}

function batched<T>(items: T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += WRITE_BATCH) batches.push(items.slice(i, i + WRITE_BATCH));
  return batches;
}
