import { setTimeout as sleep } from 'node:timers/promises';
import { type CommandSucceededEvent, MongoClient, MongoError } from 'mongodb';
import {
  type Backlog,
  type BacklogStore,
  type Change,
  type Commit,
  type Committed,
  handOver,
  StoreCorrupted,
  StoreUnavailable,
  type UpdateOptions,
} from '../domain/index.js';
import { createWatchers } from './event-log.js';
import { CONFLICT, createBacklogAccess, MongoNotReplicaSet } from './mongo-backlog-access.js';
import type { StoredState } from './mongo-documents.js';
import { isConnectionError } from './mongo-errors.js';
import { createSerialQueue } from './serial-queue.js';
import type { StoreLogger } from './store-logger.js';

export { MongoNotReplicaSet } from './mongo-backlog-access.js';

export interface MongoStoreOptions {
  uri: string;
  dbName: string;
  logger: StoreLogger;
  /** Bound, in ms, on reaching the server, on each round trip, and on waiting for other writers (default 5000). */
  timeoutMs?: number;
  /** Bound, in ms, on waiting for this process's earlier updates (STORE_QUEUE_WAIT_MS). */
  queueWaitMs?: number;
  /** Sees every command the store's client completes (diagnostics and tests: what was read). */
  onCommand?: (event: CommandSucceededEvent) => void;
  /** Events older than this are dropped (EVENTS_RETENTION_DAYS; 0 keeps all). */
  eventsRetentionMs?: number;
  /** While something watches, how often the revision is read to learn of other replicas' commits (EVENTS_POLL_MS). */
  eventsPollMs?: number;
}

/** Default of EVENTS_POLL_MS. */
export const DEFAULT_EVENTS_POLL_MS = 500;

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * The backlog in MongoDB, safe across replicas (design: docs/mongodb.md). It
 * starts even when the server cannot be reached, keeps trying in the
 * background, and answers StoreUnavailable until then.
 */
export async function createMongoStore(options: MongoStoreOptions): Promise<BacklogStore> {
  const { uri, dbName, logger } = options;
  const timeoutMs = options.timeoutMs ?? 5000;
  const where = { db: dbName, server: uri.replace(/\/\/[^@/]*@/, '//***@') };
  const client = new MongoClient(uri, {
    appName: 'backlog-status-service',
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    readConcern: { level: 'majority' },
    writeConcern: { w: 'majority', j: true },
    monitorCommands: options.onCommand !== undefined,
  });
  if (options.onCommand) client.on('commandSucceeded', options.onCommand);
  const access = createBacklogAccess(client, dbName, timeoutMs, { eventsRetentionMs: options.eventsRetentionMs });
  const watchers = createWatchers();
  const eventsPollMs = options.eventsPollMs ?? DEFAULT_EVENTS_POLL_MS;
  /** The latest revision watchers were told of. */
  let announced = 0;
  let pollTimer: NodeJS.Timeout | undefined;
  const queue = createSerialQueue({ maxWaitMs: options.queueWaitMs });
  // Failures to reach the server so far: updates queued before one fail at once instead of each waiting a timeout.
  let outages = 0;
  let lastLogged = '';
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  /** The latest committed state, handed to `use` before any other request can move it on. */
  async function latest<T>(use: (state: StoredState) => T = (state) => state as T): Promise<T> {
    await access.initialise();
    return access.latest(use);
  }

  async function guarded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw translate(error);
    }
  }

  function translate(error: unknown): unknown {
    if (error instanceof StoreCorrupted) {
      logOnce(error, 'the backlog stored in MongoDB is damaged: answering 503 until it is repaired');
      return new StoreUnavailable(error.message, { cause: error });
    }
    if (error instanceof MongoError) {
      if (isConnectionError(error)) outages++;
      else logOnce(error, 'MongoDB refused an operation');
      return new StoreUnavailable(`MongoDB cannot serve the request: ${error.message}`, { cause: error });
    }
    return error; // a DomainError from the change, a StoreUnavailable, or a bug
  }

  function announce(revision: number): void {
    if (revision <= announced) return;
    announced = revision;
    watchers.notify(revision);
  }

  /**
   * Other replicas' commits are learnt by reading the revision every eventsPollMs
   * while something watches (a bounded poll: SecantusDB and standalone test servers
   * have no change streams). One small read per interval, whatever the number of watchers.
   */
  function pollWhileWatched(): void {
    if (closed || pollTimer || watchers.size === 0) return;
    pollTimer = setTimeout(async () => {
      try {
        await access.initialise();
        announce(await access.revision());
      } catch {
        // Unreachable for now: /readyz says so; the next poll tries again.
      }
      pollTimer = undefined;
      pollWhileWatched();
    }, eventsPollMs);
    pollTimer.unref();
  }

  function logOnce(error: Error, message: string): void {
    if (error.message === lastLogged) return;
    lastLogged = error.message;
    logger.error({ ...where, err: error }, message);
  }

  function retryInBackground(delay: number): void {
    if (closed) return;
    retryTimer = setTimeout(() => {
      latest().then(
        () => logger.info(where, 'MongoDB is reachable: serving'),
        (error) => {
          if (error instanceof StoreCorrupted) return void translate(error);
          const next = Math.min(delay * 2, RETRY_MAX_MS);
          logger.warn(
            { ...where, reason: (error as Error).message },
            `MongoDB still unreachable; next try in ${next} ms`,
          );
          retryInBackground(next);
        },
      );
    }, delay);
    retryTimer.unref();
  }

  try {
    await latest(); // refuses damaged data before serving anything
    logger.info(where, 'using MongoDB');
  } catch (error) {
    const transient = error instanceof MongoError || error instanceof StoreUnavailable;
    if (!transient || error instanceof MongoNotReplicaSet) {
      await client.close();
      throw error; // StoreCorrupted above all: the service must not start on damaged data
    }
    logger.warn(
      { ...where, reason: (error as Error).message },
      'MongoDB is unreachable: starting anyway and retrying in the background; /readyz answers 503 until it answers',
    );
    retryInBackground(RETRY_MIN_MS);
  }

  return {
    read<T>(use?: (committed: Committed) => T) {
      return guarded(() => latest(({ backlog, revision }) => handOver({ backlog, revision }, use)));
    },
    async update<T>(plan: (backlog: Backlog) => Change, updateOptions?: UpdateOptions, use?: (commit: Commit) => T) {
      const outagesSeen = outages;
      // Wrapped so that the queue does not wait for what `use` returns (a compression, say).
      const { handed } = await queue.run(() =>
        guarded(async () => {
          if (outages !== outagesSeen) throw new StoreUnavailable('MongoDB became unreachable; nothing was written');
          await access.initialise();
          const started = Date.now();
          for (let attempt = 1; ; attempt++) {
            const result = await access.transact(plan, updateOptions, (commit) => {
              if (commit.event) announce(commit.revision);
              return { handed: handOver(commit, use) };
            });
            if (result !== CONFLICT) return result;
            if (Date.now() - started > timeoutMs) {
              throw new StoreUnavailable('Too many concurrent writers: gave up waiting; nothing was written');
            }
            await sleep(Math.random() * Math.min(2 ** attempt, 50));
          }
        }),
      );
      return handed;
    },
    events: (after, limit) =>
      guarded(async () => {
        await access.initialise();
        return access.events(after, limit);
      }),
    history: (epicId) =>
      guarded(async () => {
        await access.initialise();
        return access.history(epicId);
      }),
    watch(listener) {
      const stop = watchers.watch(listener);
      // The current revision is announced too: a watcher that read it separately, a moment
      // before, then still learns of a commit another replica made in between.
      if (announced === 0) access.revision().then(announce, () => undefined);
      pollWhileWatched();
      return stop;
    },
    ping: () => guarded(async () => void (await latest())),
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(pollTimer);
      await queue.drain();
      await client.close();
    },
  };
}
