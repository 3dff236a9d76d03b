import {
  applyChange,
  type Backlog,
  type BacklogStore,
  type Change,
  type Commit,
  type Committed,
  checkRevision,
  emptyBacklog,
  eventOf,
  handOver,
  isNoChange,
  type UpdateOptions,
} from '../domain/index.js';
import { createEventLog, createLocalEvents } from './event-log.js';
import { createSerialQueue } from './serial-queue.js';

export interface MemoryStoreOptions {
  queueWaitMs?: number;
  /** The first revision (default: the clock's milliseconds). */
  now?: number;
  /** Events older than this are dropped (EVENTS_RETENTION_DAYS; 0 keeps all). */
  eventsRetentionMs?: number;
}

/**
 * Keeps the backlog and its events in this process only (STORE=memory): tests
 * and demos. The store owns `initial` from now on. Revisions start at the clock's
 * milliseconds so that a restarted process never reuses a revision a client still holds.
 */
export function createMemoryStore(
  initial: Backlog = emptyBacklog(),
  { queueWaitMs, now = Date.now(), eventsRetentionMs = 0 }: MemoryStoreOptions = {},
): BacklogStore {
  let current = { backlog: initial, revision: now };
  const queue = createSerialQueue({ maxWaitMs: queueWaitMs });
  const events = createLocalEvents(createEventLog(now), eventsRetentionMs);
  return {
    async read<T>(use?: (committed: Committed) => T) {
      return handOver(current, use);
    },
    async update<T>(plan: (backlog: Backlog) => Change, options?: UpdateOptions, use?: (commit: Commit) => T) {
      // Wrapped so that the queue does not wait for what `use` returns (a compression, say).
      const { handed } = await queue.run(() => {
        checkRevision(current.revision, options);
        const change = plan(current.backlog);
        if (isNoChange(change)) return { handed: handOver({ ...current, change }, use) };
        const event = eventOf(current.revision + 1, change, options?.cause);
        current = { backlog: applyChange(change), revision: event.seq };
        events.record(event);
        return { handed: handOver({ ...current, change, event }, use) };
      });
      return handed;
    },
    ...events.reads,
    async ping() {},
    async close() {},
  };
}
