import type { preHandlerAsyncHookHandler } from 'fastify';

/**
 * Requests that answer a whole backlog take turns, each in a macrotask of its own.
 * Without this, 20 GETs of a 100,000-epic backlog arriving together ran back to back
 * in one pass of the event loop (Node handles every ready socket before polling
 * again), and /livez waited for all 20: seconds. Taking turns, the event loop polls
 * between two answers, so its longest stall is one answer's build, not their sum.
 */
export function fairTurns(): preHandlerAsyncHookHandler {
  let tail: Promise<void> = Promise.resolve();
  return () => {
    // setImmediate from inside the previous turn runs in the next pass of the loop.
    const turn = tail.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    tail = turn;
    return turn;
  };
}
