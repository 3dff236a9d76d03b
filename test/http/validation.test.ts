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
    expect(problem.errors).toHaveLength(100);
    expect(problem.errors?.[0]).toEqual({
      in: 'body',
      path: '/EpicA/Tasks/0',
      message: 'Invalid input: expected string, received number',
    });
  });

  it('stops at 100 invalid fields and says so', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/backlog',
      headers: { 'content-type': 'application/json' },
      payload: importBody(Array(1000).fill('"\\u0001"')),
    });
    const problem = expectProblem(response, 400);
    expect(problem.errors).toHaveLength(100);
    expect(problem.errors?.[99]).toEqual({
      in: 'body',
      path: '/',
      message: 'validation stopped after 99 invalid fields; there may be more',
    });
    expect((await app.inject('/v1/backlog')).json()).toEqual({ epics: [] });
  });
});
