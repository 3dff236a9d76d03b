import { randomUUID } from 'node:crypto';
import { type ClientSession, type MongoClient, MongoError } from 'mongodb';
import {
  applyChange,
  type Backlog,
  type Change,
  type Commit,
  CommitOutcomeUnknown,
  checkRevision,
  type Epic,
  type EventPage,
  EventsPruned,
  eventOf,
  historyIn,
  isNoChange,
  MAX_EVENTS_PAGE,
  planChange,
  StoreUnavailable,
  type UpdateOptions,
} from '../domain/index.js';
import {
  type CommitDocument,
  type EpicDocument,
  type EventDocument,
  epicOf,
  eventDocument,
  META_ID,
  type MetaDocument,
  parseCommit,
  parseEpic,
  parseEvent,
  parseMeta,
  planCommit,
  type StoredState,
  stateFromDocuments,
} from './mongo-documents.js';
import { isCommitConflict, isDuplicateKey, isNamespaceExists, isServerGone } from './mongo-errors.js';
import { checkStoredChange } from './stored-epics.js';

/** The server cannot run transactions: a standalone mongod instead of a replica set. */
export class MongoNotReplicaSet extends StoreUnavailable {}

/** Another writer holds the backlog: try again. */
export const CONFLICT = Symbol('conflict');

/** Commit records kept: a replica further behind than this reads every epic again. */
export const KEEP_COMMITS = 10_000;
/** Older records are pruned by every commit whose revision is a multiple of this (one extra statement). */
const PRUNE_EVERY = 100;

/**
 * Reads and writes the backlog documents. Holds this process's copy of the
 * latest backlog it saw (`cache`), used only after the meta document, read in
 * the same request, proves it current; when the revision has moved on, only the
 * epics changed since are read (the `commits` records name them).
 */
export function createBacklogAccess(
  client: MongoClient,
  dbName: string,
  timeoutMs: number,
  { eventsRetentionMs = 0 }: { eventsRetentionMs?: number } = {},
) {
  const db = client.db(dbName);
  const epics = db.collection<EpicDocument>('epics');
  const meta = db.collection<MetaDocument>('backlog_meta');
  const commits = db.collection<CommitDocument>('commits');
  const events = db.collection<EventDocument>('events');
  const transaction = {
    readConcern: { level: 'snapshot' },
    writeConcern: { w: 'majority', j: true },
    maxCommitTimeMS: timeoutMs,
  } as const;
  let cache: StoredState | undefined;
  let loading: Promise<StoredState> | undefined;
  let initialised = false;
  let initialising: Promise<void> | undefined;

  async function ensureMeta(): Promise<void> {
    try {
      // A new database starts at the clock's milliseconds, so that a database made anew
      // never repeats a revision a client may still hold.
      const revision = Date.now();
      await meta.updateOne(
        { _id: META_ID },
        { $setOnInsert: { revision, commitId: randomUUID(), eventsSince: revision } },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // another replica created it at the same moment
    }
  }

  /** A meta document written before revisions were numbers (`version` + a random `revision`) gets a number. */
  async function upgradeMeta(): Promise<void> {
    const old = db.collection<{ _id: string; version?: number; revision: unknown }>('backlog_meta');
    const document = await old.findOne({ _id: META_ID, version: { $exists: true } });
    if (typeof document?.revision !== 'string') return;
    await old.updateOne(
      { _id: META_ID, revision: document.revision },
      { $set: { revision: Date.now(), commitId: document.revision }, $unset: { version: '' } },
    );
  }

  /**
   * A database written before events were kept: its history starts at its current
   * revision (a commit of this version always writes its event, so only a replica
   * of the previous version could commit between the read and the write, and the
   * condition on the revision then makes it try again).
   */
  async function startEvents(): Promise<void> {
    for (let tries = 0; tries < 5; tries++) {
      const document = parseMeta(await meta.findOne({ _id: META_ID }));
      if (document.eventsSince !== undefined) return;
      const { matchedCount } = await meta.updateOne(
        { _id: META_ID, revision: document.revision, eventsSince: { $exists: false } },
        { $set: { eventsSince: document.revision } },
      );
      if (matchedCount === 1) return;
    }
  }

  /**
   * Makes `next` the cached state unless another request already moved the cache
   * past it (a slower load that read an older revision does not replace a newer one).
   */
  function install(previous: StoredState | undefined, next: StoredState): StoredState {
    if (cache === previous || !cache || cache.revision < next.revision) cache = next;
    return next;
  }

  /** The state at `head`, read in `session` (a snapshot transaction). */
  async function stateAt(head: MetaDocument, session: ClientSession): Promise<StoredState> {
    const base = cache;
    if (base && isAt(base, head)) return base;
    if (base && base.revision < head.revision) {
      const changed = await changedSince(base, head, session);
      const current = cache;
      if (current && isAt(current, head)) return current;
      // Applying retires the cached backlog, so only the request that still holds the cache applies.
      const next = changed && current === base ? advance(base, head, changed) : undefined;
      if (next) return install(base, next);
    }
    const documents = await epics.find({}, { session, sort: { seq: 1 } }).toArray();
    return install(base, stateFromDocuments(head, documents));
  }

  /**
   * The epic documents changed between `base` and `head`, from the commit records
   * in between, or undefined when those records cannot prove it (pruned, a
   * replacement, or a history that is not the one `base` came from).
   */
  async function changedSince(base: StoredState, head: MetaDocument, session: ClientSession) {
    const records = (
      await commits.find({ _id: { $gte: base.revision, $lte: head.revision } }, { session, sort: { _id: 1 } }).toArray()
    ).map(parseCommit);
    const complete =
      records.length === head.revision - base.revision + 1 &&
      records[0]?.commitId === base.commitId &&
      records.at(-1)?.commitId === head.commitId &&
      records.every((record, i) => record._id === base.revision + i && (i === 0 || !record.replaced));
    if (!complete) return undefined;
    const ids = new Set(records.slice(1).flatMap((record) => record.epics));
    const documents = await epics.find({ _id: { $in: [...ids] } }, { session, sort: { seq: 1 } }).toArray();
    return { ids, documents: documents.map(parseEpic) };
  }

  return {
    /** Checks the server and creates the indexes and the meta document; idempotent, safe across replicas. */
    initialise(): Promise<void> {
      if (initialised) return Promise.resolve();
      initialising ??= (async () => {
        // The driver gives up for good after a failed first connection; an explicit connect() tries again.
        await client.connect();
        const hello = await db.admin().command({ hello: 1 });
        if (!hello.setName && hello.msg !== 'isdbgrid') {
          throw new MongoNotReplicaSet(
            'MongoDB is a standalone server; the store needs transactions: run a replica set',
          );
        }
        await epics.createIndex({ seq: 1 }, { unique: true, name: 'seq_unique' });
        for (const name of ['commits', 'events']) {
          await db.createCollection(name).catch((error) => {
            if (!isNamespaceExists(error)) throw error;
          });
        }
        await events.createIndex({ seq: 1 }, { unique: true, name: 'seq_unique' });
        await events.createIndex({ 'changes.epic': 1, seq: 1 }, { name: 'epic_history' });
        await ensureMeta();
        await upgradeMeta();
        await startEvents();
        initialised = true;
      })().finally(() => {
        initialising = undefined;
      });
      return initialising;
    },

    /**
     * The latest committed state, handed to `use` at once: one round trip when this
     * process already holds it. `use` runs before any other request can move the
     * copy on (which retires the backlog it holds).
     */
    async latest<T>(use: (state: StoredState) => T): Promise<T> {
      let document = await meta.findOne({ _id: META_ID });
      if (!document) {
        await ensureMeta();
        document = await meta.findOne({ _id: META_ID });
      }
      const head = parseMeta(document);
      // A load that started before `head` was committed may miss it: then load again.
      for (let tries = 0; tries < 3; tries++) {
        if (cache && isAt(cache, head)) return use(cache);
        loading ??= readSnapshot(async (session) =>
          stateAt(parseMeta(await meta.findOne({ _id: META_ID }, { session })), session),
        ).finally(() => {
          loading = undefined;
        });
        const state = await loading;
        // A commit applied since the load ended moved the copy on (and retired `state`): the newer one answers.
        if (cache && cache !== state && cache.revision > state.revision && cache.revision >= head.revision) {
          return use(cache);
        }
        if (isAt(state, head) || state.revision > head.revision) return use(state);
      }
      throw new StoreUnavailable('The backlog changed too fast to be read; retry');
    },

    /** The kept events after `after` (BacklogStore.events). */
    async events(after: number | undefined, limit: number): Promise<EventPage> {
      const head = parseMeta(await meta.findOne({ _id: META_ID }));
      const since = head.eventsSince ?? head.revision;
      const from = after ?? since;
      if (from < since) throw new EventsPruned(from, since);
      const size = Math.min(Math.max(limit, 1), MAX_EVENTS_PAGE);
      const found = (await events.find({ seq: { $gt: from } }, { sort: { seq: 1 }, limit: size + 1 }).toArray()).map(
        parseEvent,
      );
      // Every revision after eventsSince has its event: a first one further on was pruned
      // between the two reads (a commit that prunes raised eventsSince meanwhile).
      if (found.length > 0 && found[0]?.seq !== from + 1) {
        const now = parseMeta(await meta.findOne({ _id: META_ID }));
        throw new EventsPruned(from, now.eventsSince ?? now.revision);
      }
      const page = found.slice(0, size);
      return { events: page, next: found.length > size ? (page.at(-1)?.seq ?? null) : null };
    },

    /** An epic's kept status timeline (BacklogStore.history). */
    async history(epicId: string) {
      const found = await events.find({ 'changes.epic': epicId }, { sort: { seq: 1 } }).toArray();
      return historyIn(found.map(parseEvent), epicId);
    },

    /** The latest revision, from the meta document alone (the poll for other replicas' commits). */
    async revision(): Promise<number> {
      return parseMeta(await meta.findOne({ _id: META_ID })).revision;
    },

    /**
     * Plans and commits a change in one transaction whose first write moves the
     * meta document on: from then until it ends, any other writer's first write is a
     * WriteConflict, so the backlog read here stays the latest until the commit.
     */
    async transact<T>(
      plan: (backlog: Backlog) => Change,
      options: UpdateOptions | undefined,
      use: (commit: Commit) => T,
    ): Promise<T | typeof CONFLICT> {
      const session = client.startSession();
      let failure: unknown;
      try {
        session.startTransaction(transaction);
        const commitId = randomUUID();
        const before = await meta.findOneAndUpdate(
          { _id: META_ID },
          { $inc: { revision: 1 }, $set: { commitId } },
          { session, returnDocument: 'before' },
        );
        if (!before) {
          await ensureMeta();
          return CONFLICT;
        }
        const head = parseMeta(before);
        checkRevision(head.revision, options);
        const state = await stateAt(head, session);
        const change = plan(state.backlog);
        // Nothing to write: the transaction is aborted below, and the revision stays.
        if (isNoChange(change)) return use({ backlog: state.backlog, revision: state.revision, change });
        const revision = head.revision + 1;
        const writes = planCommit(state, change, revision, commitId);
        const event = eventOf(revision, change, options?.cause);
        for (const batch of writes.batches) await epics.bulkWrite(batch, { session, ordered: true });
        // Upserts: a record left by another history (a restore) is overwritten, not a duplicate key.
        await commits.replaceOne({ _id: writes.record._id }, writes.record, { session, upsert: true });
        await events.replaceOne({ _id: revision }, eventDocument(event), { session, upsert: true });
        if (revision % PRUNE_EVERY === 0) {
          await commits.deleteMany({ _id: { $lte: revision - KEEP_COMMITS } }, { session });
          await pruneEvents(head, session);
        }
        await commitWithRetry(session);
        // A reader may have caught up with this very commit already (and retired `state`).
        const current = cache;
        if (current && current !== state && current.revision >= revision) {
          return use({ backlog: current.backlog, revision: current.revision, change, event });
        }
        const seqs = writes.seqs(state.seqs);
        const next = install(state, {
          revision,
          commitId,
          backlog: applyChange(change),
          seqs,
          nextSeq: writes.nextSeq,
        });
        return use({ backlog: next.backlog, revision, change, event });
      } catch (error) {
        failure = error;
        if (isCommitConflict(error)) return CONFLICT;
        throw error;
      } finally {
        await release(session, failure);
      }
    },
  };

  /** Deletes the events older than the retention, in the commit's transaction, and raises `eventsSince` past them. */
  async function pruneEvents(head: MetaDocument, session: ClientSession): Promise<void> {
    if (eventsRetentionMs <= 0) return;
    const cutoff = new Date(Date.now() - eventsRetentionMs).toISOString();
    const newest = await events.findOne(
      { at: { $lt: cutoff } },
      { session, sort: { seq: -1 }, projection: { seq: 1 } },
    );
    if (!newest) return;
    await events.deleteMany({ seq: { $lte: newest.seq } }, { session });
    const since = Math.max(newest.seq, head.eventsSince ?? 0);
    await meta.updateOne({ _id: META_ID }, { $set: { eventsSince: since } }, { session });
  }

  /** Runs `read` in a snapshot transaction, so everything it reads is one committed state. */
  async function readSnapshot<T>(read: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = client.startSession();
    let failure: unknown;
    try {
      session.startTransaction(transaction);
      return await read(session);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      await release(session, failure); // a read-only transaction: aborting it is the cheapest end
    }
  }
}

const UNKNOWN_COMMIT_RESULT = 'UnknownTransactionCommitResult';
const COMMIT_ATTEMPTS = 3;

/**
 * Commits, re-issuing the commit while its outcome is unknown (the driver labels
 * such errors UnknownTransactionCommitResult: the commit may have been applied, and
 * committing again is safe). An outcome still unknown is never "nothing was
 * written": it is CommitOutcomeUnknown, whose 503 says so. The one place that
 * sends commitTransaction.
 */
async function commitWithRetry(session: ClientSession): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await session.commitTransaction();
      return;
    } catch (error) {
      if (!(error instanceof MongoError && error.hasErrorLabel(UNKNOWN_COMMIT_RESULT))) throw error;
      if (attempt >= COMMIT_ATTEMPTS) {
        throw new CommitOutcomeUnknown(
          `MongoDB did not confirm the commit after ${attempt} attempts; it may have been written: ${error.message}`,
          { cause: error },
        );
      }
    }
  }
}

function isAt(state: StoredState, head: MetaDocument): boolean {
  return state.revision === head.revision && state.commitId === head.commitId;
}

/**
 * `base` moved on to `head` by the changed documents, through the domain
 * (planChange + applyChange), or undefined when they cannot be applied safely:
 * an epic re-created with another `seq` (its place in creation order changed) or
 * a change that breaks a rule (a full rebuild then names the damage).
 */
function advance(
  base: StoredState,
  head: MetaDocument,
  changed: { ids: ReadonlySet<string>; documents: readonly EpicDocument[] },
): StoredState | undefined {
  const put = new Map<string, Epic>();
  let nextSeq = base.nextSeq;
  for (const document of changed.documents) {
    const seq = base.seqs.get(document._id);
    if (seq !== undefined && seq !== document.seq) return undefined;
    put.set(document._id, epicOf(document));
    nextSeq = Math.max(nextSeq, document.seq + 1);
  }
  const deleted = new Set([...changed.ids].filter((id) => !put.has(id) && base.backlog.has(id)));
  try {
    checkStoredChange(base.backlog, put, deleted);
  } catch {
    return undefined;
  }
  const backlog = applyChange(planChange(base.backlog, put, deleted));
  for (const id of deleted) base.seqs.delete(id);
  for (const document of changed.documents) base.seqs.set(document._id, document.seq);
  return { revision: head.revision, commitId: head.commitId, backlog, seqs: base.seqs, nextSeq };
}

/**
 * Ends the transaction. A failed one is aborted, and the abort awaited, so it does
 * not hold the backlog (the server would keep it until its lifetime limit);
 * only when the server is gone is the abort left to finish in the background.
 */
async function release(session: ClientSession, failure: unknown): Promise<void> {
  const ending = (session.inTransaction() ? session.abortTransaction() : Promise.resolve())
    .catch(() => undefined)
    .then(() => session.endSession())
    .catch(() => undefined);
  const reason = failure instanceof CommitOutcomeUnknown ? failure.cause : failure;
  if (!isServerGone(reason)) await ending;
}
