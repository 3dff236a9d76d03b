import { randomUUID } from 'node:crypto';
import { type ClientSession, type MongoClient, MongoError } from 'mongodb';
import { type Backlog, CommitOutcomeUnknown, StoreUnavailable } from '../domain/index.js';
import {
  type EpicDocument,
  META_ID,
  type MetaDocument,
  parseMeta,
  planCommit,
  type StoredState,
  stateFromDocuments,
} from './mongo-documents.js';
import { isCommitConflict, isConnectionError, isDuplicateKey } from './mongo-errors.js';

/** The server cannot run transactions: a standalone mongod instead of a replica set. */
export class MongoNotReplicaSet extends StoreUnavailable {}

/** Another writer holds the backlog: try again. */
export const CONFLICT = Symbol('conflict');

const TRANSACTION = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority', j: true } } as const;

/**
 * Reads and writes the backlog documents. Holds this process's copy of the
 * latest backlog it saw, used only after the meta document's version, read in
 * the same request, proves it current.
 */
export function createBacklogAccess(client: MongoClient, dbName: string) {
  const db = client.db(dbName);
  const epics = db.collection<EpicDocument>('epics');
  const meta = db.collection<MetaDocument>('backlog_meta');
  let cache: StoredState | undefined;
  let loading: Promise<StoredState> | undefined;
  let initialised = false;
  let initialising: Promise<void> | undefined;

  async function ensureMeta(): Promise<void> {
    try {
      await meta.updateOne(
        { _id: META_ID },
        { $setOnInsert: { version: 0, revision: randomUUID() } },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // another replica created it at the same moment
    }
  }

  // Only a hint: every request checks it against the meta document before using it.
  function remember(state: StoredState): void {
    cache = state;
  }

  async function load(head: MetaDocument, session?: ClientSession): Promise<StoredState> {
    const documents = await epics.find({}, { session, sort: { seq: 1 } }).toArray();
    const state = stateFromDocuments(head, documents);
    remember(state);
    return state;
  }

  /** Meta document and epics from one snapshot. */
  async function loadSnapshot(): Promise<StoredState> {
    const session = client.startSession();
    let failure: unknown;
    try {
      session.startTransaction(TRANSACTION);
      const state = await load(parseMeta(await meta.findOne({ _id: META_ID }, { session })), session);
      await session.commitTransaction();
      return state;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      await release(session, failure);
    }
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
        await ensureMeta();
        initialised = true;
      })().finally(() => {
        initialising = undefined;
      });
      return initialising;
    },

    /** The latest committed state: one round trip when this process already holds it. */
    async latest(): Promise<StoredState> {
      let document = await meta.findOne({ _id: META_ID });
      if (!document) {
        await ensureMeta();
        document = await meta.findOne({ _id: META_ID });
      }
      const head = parseMeta(document);
      // A load that started before `head` was committed may miss it: then load again.
      for (let tries = 0; tries < 3; tries++) {
        if (cache?.revision === head.revision) return cache;
        loading ??= loadSnapshot().finally(() => {
          loading = undefined;
        });
        const state = await loading;
        if (state.revision === head.revision || state.version > head.version) return state;
      }
      throw new StoreUnavailable('The backlog changed too fast to be read; retry');
    },

    /**
     * Applies `change` in one transaction whose first write bumps the meta
     * document's version: from then until it ends, any other writer's bump is a
     * WriteConflict, so the backlog read here stays the latest until the commit.
     */
    async transact(change: (backlog: Backlog) => Backlog): Promise<Backlog | typeof CONFLICT> {
      const session = client.startSession();
      let failure: unknown;
      try {
        session.startTransaction(TRANSACTION);
        const revision = randomUUID();
        const before = await meta.findOneAndUpdate(
          { _id: META_ID },
          { $inc: { version: 1 }, $set: { revision } },
          { session, returnDocument: 'before' },
        );
        if (!before) {
          await ensureMeta();
          return CONFLICT;
        }
        const head = parseMeta(before);
        const state = cache?.revision === head.revision ? cache : await load(head, session);
        const next = change(state.backlog);
        if (next === state.backlog) return next;
        const plan = planCommit(state, next, revision);
        if (plan.writes.length === 0) return state.backlog;
        await epics.bulkWrite(plan.writes, { session, ordered: true });
        await commitWithRetry(session);
        remember(plan.next);
        return next;
      } catch (error) {
        failure = error;
        if (isCommitConflict(error)) return CONFLICT;
        throw error;
      } finally {
        await release(session, failure);
      }
    },
  };
}

const UNKNOWN_COMMIT_RESULT = 'UnknownTransactionCommitResult';
const COMMIT_ATTEMPTS = 3;

/**
 * Commits, re-issuing the commit while its outcome is unknown (the driver labels
 * such errors UnknownTransactionCommitResult: the commit may have been applied, and
 * committing again is safe). An outcome still unknown is never "nothing was
 * written": it is CommitOutcomeUnknown, whose 503 says so.
 */
export async function commitWithRetry(session: ClientSession): Promise<void> {
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

/** Aborts what is left of a transaction, without waiting on a server that is gone. */
async function release(session: ClientSession, failure: unknown): Promise<void> {
  const ending = (session.inTransaction() ? session.abortTransaction() : Promise.resolve())
    .catch(() => undefined)
    .then(() => session.endSession())
    .catch(() => undefined);
  const reason = failure instanceof CommitOutcomeUnknown ? failure.cause : failure;
  if (!isConnectionError(reason)) await ending;
}
