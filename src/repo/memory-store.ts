import {
  applyChange,
  type Backlog,
  type BacklogStore,
  checkRevision,
  emptyBacklog,
  isNoChange,
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
    async read() {
      return current;
    },
    update(plan, options) {
      return queue.run(() => {
        checkRevision(current.revision, options);
        const change = plan(current.backlog);
        if (isNoChange(change)) return { ...current, change };
        current = { backlog: applyChange(change), revision: current.revision + 1 };
        return { ...current, change };
      });
    },
    async ping() {},
    async close() {},
  };
}
