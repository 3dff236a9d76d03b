import { type Backlog, type BacklogStore, emptyBacklog } from '../domain/index.js';
import { createSerialQueue } from './serial-queue.js';

/** Keeps the backlog in this process only (STORE=memory): tests and demos. */
export function createMemoryStore(initial: Backlog = emptyBacklog): BacklogStore {
  let current = initial;
  const queue = createSerialQueue();
  return {
    async read() {
      return current;
    },
    update(change) {
      return queue.run(() => {
        current = change(current);
        return current;
      });
    },
    async ping() {},
    async close() {},
  };
}
