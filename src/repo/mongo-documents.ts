import type { AnyBulkWriteOperation } from 'mongodb';
import { z } from 'zod';
import { type Backlog, StoreCorrupted } from '../domain/index.js';
import { backlogFromStoredEpics } from './stored-epics.js';

/** `_id` of the one meta document; it lives in its own collection, so no epic id can clash with it. */
export const META_ID = 'backlog';

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
}

/** Written first by every commit, inside its transaction: the lock that serialises writers, and the cache key. */
export interface MetaDocument {
  _id: string;
  /** How many commits: for people and metrics. */
  version: number;
  /** Random, new with each commit: a cache is current only if it holds this revision (a count could repeat after a restore). */
  revision: string;
}

const epicDocumentSchema = z.strictObject({
  _id: z.string(),
  seq: z.number().int().nonnegative(),
  tasks: z.array(z.string()),
  bugs: z.array(z.string()),
  epics: z.array(z.string()),
});

const metaDocumentSchema = z.strictObject({
  _id: z.literal(META_ID),
  version: z.number().int().nonnegative(),
  revision: z.string().min(1),
});

/** A committed backlog with what is needed to write the next one. */
export interface StoredState {
  readonly revision: string;
  readonly version: number;
  readonly backlog: Backlog;
  readonly seqs: ReadonlyMap<string, number>;
  readonly nextSeq: number;
}

export function parseMeta(document: unknown): MetaDocument {
  const parsed = metaDocumentSchema.safeParse(document);
  if (!parsed.success) {
    throw new StoreCorrupted(`The MongoDB meta document is damaged: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Rebuilds the backlog from documents sorted by `seq`, checking their shape and every rule of the backlog. */
export function stateFromDocuments(meta: MetaDocument, documents: readonly unknown[]): StoredState {
  const epics: EpicDocument[] = documents.map((document) => {
    const parsed = epicDocumentSchema.safeParse(document);
    if (parsed.success) return parsed.data;
    const id = (document as { _id?: unknown } | null)?._id;
    throw new StoreCorrupted(
      `The MongoDB epic document ${JSON.stringify(id) ?? String(id)} is damaged: ${z.prettifyError(parsed.error)}`,
    );
  });
  let backlog: Backlog;
  try {
    backlog = backlogFromStoredEpics(epics.map(({ _id, tasks, bugs, epics }) => ({ id: _id, tasks, bugs, epics })));
  } catch (error) {
    throw new StoreCorrupted(`The backlog stored in MongoDB is damaged: ${(error as Error).message}`, { cause: error });
  }
  const seqs = new Map(epics.map((epic) => [epic._id, epic.seq]));
  const nextSeq = epics.reduce((max, epic) => Math.max(max, epic.seq + 1), 0);
  return { revision: meta.revision, version: meta.version, backlog, seqs, nextSeq };
}

export interface CommitPlan {
  readonly writes: AnyBulkWriteOperation<EpicDocument>[];
  readonly next: StoredState;
}

/**
 * The writes that turn `state` into `next`. Operations share unchanged Epic
 * objects, so only epics that are new, changed (by reference) or moved are
 * written. An epic keeps its `seq` while creation order allows; otherwise it
 * takes a fresh one above every stored `seq`.
 */
export function planCommit(state: StoredState, next: Backlog, revision: string): CommitPlan {
  const writes: AnyBulkWriteOperation<EpicDocument>[] = [];
  const deleted = [...state.backlog.epics.keys()].filter((id) => !next.epics.has(id));
  if (deleted.length > 0) writes.push({ deleteMany: { filter: { _id: { $in: deleted } } } });
  const seqs = new Map<string, number>();
  let nextSeq = state.nextSeq;
  let last = -1;
  for (const epic of next.epics.values()) {
    const kept = state.seqs.get(epic.id);
    const seq = kept !== undefined && kept > last ? kept : nextSeq++;
    seqs.set(epic.id, seq);
    last = seq;
    if (seq === kept && state.backlog.epics.get(epic.id) === epic) continue;
    writes.push({
      replaceOne: {
        filter: { _id: epic.id },
        replacement: { seq, tasks: [...epic.tasks], bugs: [...epic.bugs], epics: [...epic.epics] },
        upsert: true,
      },
    });
  }
  return { writes, next: { revision, version: state.version + 1, backlog: next, seqs, nextSeq } };
}
