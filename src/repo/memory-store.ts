import {
  applyChange,
  type Backlog,
  type BacklogStore,
  type Change,
  type Commit,
  type Committed,
  checkRevision,
  emptyBacklog,
  handOver,
  isNoChange,
  type UpdateOptions,
} from '../domain/index.js';
import { createSerialQueue } from './serial-queue.js';

/**
 * Keeps the backlog in this process only (STORE=memory): tests and demos. The
 * store owns `initial` from now on. Revisions start at the clock's milliseconds so
 * that a restarted process never reuses a revision a client still holds.
 */
export function createMemoryStore(
  initial: Backlog = emptyBacklog(),
  { queueWaitMs, now = Date.now() }: { queueWaitMs?: number; now?: number } = {},
): BacklogStore {
  let current = { backlog: initial, revision: now };
  const queue = createSerialQueue({ maxWaitMs: queueWaitMs });
  return {
    async read<T>(use?: (committed: Committed) => T) {
      return handOver(current, use);
    },
    async update<T>(plan: (backlog: Backlog) => Change, options?: UpdateOptions, use?: (commit: Commit) => T) {
      // Wrapped so that the queue does not wait for what `use` returns (a compression, say).
      const { handed } = await queue.run(() => {
        checkRevision(current.revision, options);
        const change = plan(current.backlog);
        if (!isNoChange(change)) current = { backlog: applyChange(change), revision: current.revision + 1 };
        return { handed: handOver({ ...current, change }, use) };
      });
      return handed;
    },
    async ping() {},
    async close() {},
  };
}
