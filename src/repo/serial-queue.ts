import { StoreBusy } from '../domain/index.js';

/** How long an update may wait for its turn by default (STORE_QUEUE_WAIT_MS). */
export const DEFAULT_QUEUE_WAIT_MS = 5000;

/**
 * Runs tasks one at a time, in call order, whatever each one's outcome. A task
 * that waits longer than `maxWaitMs` for its turn is never run: it fails with
 * StoreBusy (a 503 with Retry-After), so under overload requests are shed
 * instead of queueing without bound (SPEC section 4).
 */
export function createSerialQueue({ maxWaitMs = DEFAULT_QUEUE_WAIT_MS }: { maxWaitMs?: number } = {}) {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T> | T): Promise<T> {
      const queuedAt = performance.now();
      let abandoned = false;
      let timer: NodeJS.Timeout | undefined;
      const busy = () => new StoreBusy(`waited over ${maxWaitMs} ms for the requests ahead of it; nothing was written`);
      // The timer answers a request stuck behind a slow task; the check at its turn, one
      // that was stuck behind tasks that kept the event loop (and so the timer) busy.
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          abandoned = true;
          reject(busy());
        }, maxWaitMs);
      });
      timedOut.catch(() => undefined);
      const result = tail.then(() => {
        clearTimeout(timer);
        if (abandoned || performance.now() - queuedAt > maxWaitMs) throw busy();
        return task();
      });
      tail = result.catch(() => undefined);
      return Promise.race([result, timedOut]);
    },
    /** Resolves once every task queued so far has settled (closing a store waits for its writes). */
    async drain(): Promise<void> {
      await tail;
    },
  };
}
