import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type BacklogStore, type Commit, StoreBusy, type UpdateOptions } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { createSerialQueue } from '../../src/repo/serial-queue.js';
import { buildTestApp, expectProblem } from '../helpers/test-app.js';

// Issue 12, case 6 (and the load shedding of case 2): no bound on waiting, no shedding under overload.
async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${withinMs} ms`);
    await sleep(50);
  }
}

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: nothing else runs in this process meanwhile
  }
}

describe('a bounded wait for the store queue (issue 12, case 6)', () => {
  it('refuses updates that wait past STORE_QUEUE_WAIT_MS with 503 and Retry-After; the others are stored', async () => {
    // The stores' queue, in front of commits that each take 60 ms (a slow disk or database).
    const memory = createMemoryStore();
    const queue = createSerialQueue({ maxWaitMs: 100 });
    const slow = {
      ...memory,
      update: (
        plan: Parameters<BacklogStore['update']>[0],
        options?: UpdateOptions,
        use?: (commit: Commit) => unknown,
      ) =>
        queue.run(async () => {
          await sleep(60);
          return memory.update(plan, options ?? {}, use ?? ((commit) => commit));
        }),
    } as BacklogStore;
    const app = await buildTestApp({}, slow);
    expect((await app.inject({ method: 'POST', url: '/v1/epics', payload: { id: 'E1' } })).statusCode).toBe(201);
    const ids = Array.from({ length: 10 }, (_, i) => `T${i}`);
    const answers = await Promise.all(
      ids.map((id) => app.inject({ method: 'POST', url: '/v1/tasks', payload: { id, epic: 'E1' } })),
    );
    const acknowledged = ids.filter((_, i) => answers[i]?.statusCode === 201);
    const refused = answers.filter((answer) => answer.statusCode !== 201);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(expectProblem(answer, 503).detail).toMatch(/busy: the request waited over 100 ms.*nothing was written/);
      expect(answer.headers['retry-after']).toBeDefined();
    }
    const stored = (await memory.read()).backlog.epics.get('E1')?.tasks;
    expect([...(stored ?? [])].sort()).toEqual([...acknowledged].sort());
  });
});

describe('the store queue itself', () => {
  it('never runs a task that waited past its bound, even when a blocked event loop kept its timer from firing', async () => {
    const queue = createSerialQueue({ maxWaitMs: 50 });
    const ran: string[] = [];
    const first = queue.run(() => {
      blockEventLoop(100);
      ran.push('first');
    });
    const second = queue.run(() => ran.push('second'));
    await first;
    await expect(second).rejects.toBeInstanceOf(StoreBusy);
    await queue.run(() => ran.push('third'));
    expect(ran).toEqual(['first', 'third']);
  });
});

describe('load shedding (issue 12, cases 2 and 6)', () => {
  it('answers 503 with Retry-After while the heap is over MAX_HEAP_USED_BYTES; probes stay up; nothing written', async () => {
    const store = createMemoryStore();
    const app = await buildTestApp({ MAX_HEAP_USED_BYTES: '1' }, store);
    await eventually(async () => (await app.inject({ url: '/v1/backlog' })).statusCode === 503, 2000);
    const refused = await app.inject({ method: 'POST', url: '/v1/epics', payload: { id: 'E1' } });
    expect(expectProblem(refused, 503).detail).toMatch(/overloaded: its heap is nearly full/);
    expect(refused.headers['retry-after']).toBe('2');
    expect((await app.inject({ url: '/livez' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await store.read()).backlog.size).toBe(0);
  });

  it('answers 503 while the event loop lags past MAX_EVENT_LOOP_DELAY_MS, then serves again', async () => {
    const app = await buildTestApp({ MAX_EVENT_LOOP_DELAY_MS: '50' });
    expect((await app.inject({ url: '/v1/backlog' })).statusCode).toBe(200);
    // Sustained overload: the loop is busy 200 ms at a time, as under a flood of costly requests.
    let shed = await app.inject({ url: '/v1/backlog' });
    for (let round = 0; round < 20 && shed.statusCode === 200; round++) {
      blockEventLoop(200);
      await sleep(1);
      shed = await app.inject({ url: '/v1/backlog' });
    }
    expect(expectProblem(shed, 503).detail).toMatch(/overloaded: its event loop lags by \d+ ms/);
    expect(shed.headers['retry-after']).toBe('2');
    expect((await app.inject({ url: '/livez' })).statusCode).toBe(200);
    await eventually(async () => (await app.inject({ url: '/v1/backlog' })).statusCode === 200, 3000);
  });
});
