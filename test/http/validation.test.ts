import { describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from '../helpers/test-app.js';

function importBody(items: string[]): string {
  return `{"EpicA":{"Tasks":[${items.join(',')}]}}`;
}

describe('validation of very invalid bodies', () => {
  it('answers 400, not 500, when a body has too many invalid values for the validator', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/backlog',
      headers: { 'content-type': 'application/json' },
      payload: importBody(Array(300_000).fill('0')),
    });
    const problem = expectProblem(response, 400);
    expect(problem.errors).toEqual([{ in: 'body', path: '/', message: 'has too many invalid values to list' }]);
  });

  it('lists at most 100 invalid fields and counts the rest', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/backlog',
      headers: { 'content-type': 'application/json' },
      payload: importBody(Array(1000).fill('"\\u0001"')),
    });
    const problem = expectProblem(response, 400);
    expect(problem.errors).toHaveLength(100);
    expect(problem.detail).toMatch(/; and 900 more$/);
    expect((await app.inject('/v1/backlog')).json()).toEqual({ epics: [] });
  });
});
