import { describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from '../helpers/test-app.js';

// Issue 12, case 2: 740k invalid dictionary keys (9.8 MB) held the event loop for 9.1 s
// and 1.1 GB. SPEC section 4: no request may stall the loop long enough to fail a liveness
// probe; the issue asks for the longest stall during this import to stay under 1 s.
const STALL_BOUND_MS = 1000;

/** Runs `work` while a 5 ms timer notes the longest gap between its ticks: the event loop's longest stall. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, stallMs: Math.max(stallMs, performance.now() - last) };
  } finally {
    clearInterval(probe);
  }
}

function invalidKeysBody(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`" E${i.toString(36)}":{}`);
  return `{${parts.join(',')}}`;
}

describe('the cost of refusing a request is bounded (issue 12, case 2)', () => {
  it('refuses an import of 740,000 invalid keys quickly, listing at most 100, storing nothing', async () => {
    const app = await buildTestApp();
    const body = invalidKeysBody(740_000);
    expect(body.length).toBeLessThan(10 * 1024 * 1024);
    const { result: answer, stallMs } = await longestStall(() =>
      app.inject({
        method: 'POST',
        url: '/v1/backlog',
        headers: { 'content-type': 'application/json' },
        payload: body,
      }),
    );
    const problem = expectProblem(answer, 400);
    expect(problem.errors?.length).toBeLessThanOrEqual(100);
    expect(problem.errors?.[0]).toMatchObject({ in: 'body', path: '/ E0' });
    expect(problem.detail).toMatch(/validation stopped after 99 invalid fields/);
    expect(answer.body.length).toBeLessThan(64 * 1024);
    expect(stallMs).toBeLessThan(STALL_BOUND_MS);
    expect((await app.inject({ url: '/v1/export' })).json()).toEqual({});
  });

  it('refuses a new epic with 300,000 invalid task ids within the same bound', async () => {
    const app = await buildTestApp();
    const body = JSON.stringify({ id: 'E1', tasks: Array.from({ length: 300_000 }, (_, i) => ` T${i}`) });
    const { result: answer, stallMs } = await longestStall(() =>
      app.inject({ method: 'POST', url: '/v1/epics', headers: { 'content-type': 'application/json' }, payload: body }),
    );
    const problem = expectProblem(answer, 400);
    expect(problem.errors?.length).toBeLessThanOrEqual(100);
    expect(problem.errors?.[0]).toMatchObject({ path: '/tasks/0' });
    expect(stallMs).toBeLessThan(STALL_BOUND_MS);
    expect((await app.inject({ url: '/v1/export' })).json()).toEqual({});
  });

  it('keeps the messages of small invalid bodies as they were', async () => {
    const app = await buildTestApp();
    const problem = expectProblem(
      await app.inject({ method: 'POST', url: '/v1/backlog', payload: { EpicA: { tasks: ['T1'] }, ' B': {} } }),
      400,
    );
    expect(problem.errors).toEqual([
      { in: 'body', path: '/EpicA', message: 'unknown key "tasks": did you mean "Tasks"?' },
      { in: 'body', path: '/ B', message: 'id " B" must not start or end with white space' },
    ]);
  });
});
