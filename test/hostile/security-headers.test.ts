import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/test-app.js';

// Issue 12, case 7: /v1, errors, /docs and /metrics sent no nosniff, no Cache-Control, and could be framed.
const ANSWERS: [string, string, string, number][] = [
  ['a read', 'GET', '/v1/backlog', 200],
  ['a mutation', 'POST', '/v1/epics', 201],
  ['a 400', 'POST', '/v1/tasks', 400],
  ['a 401', 'DELETE', '/v1/tasks/T1', 401],
  ['a 404 under /v1', 'GET', '/v1/epics/Ghost', 404],
  ['an unknown route', 'GET', '/v1/ghosts', 404],
  ['a 405', 'PATCH', '/v1/backlog', 405],
  ['a path that is not UTF-8', 'GET', '/v1/epics/t%ED%A0%80', 400],
  ['Swagger UI', 'GET', '/docs', 200],
  ['the OpenAPI document', 'GET', '/docs/json', 200],
  ['the metrics', 'GET', '/metrics', 200],
  ['a probe', 'GET', '/livez', 200],
];

describe('security headers on every answer (issue 12, case 7)', () => {
  it.each(ANSWERS)('sends nosniff, frame denial and a policy on %s', async (_what, method, url, status) => {
    const app = await buildTestApp({ API_KEYS: 'key-one' });
    const authorization = method === 'POST' ? { authorization: 'Bearer key-one' } : {};
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: authorization,
      ...(method === 'POST' ? { payload: status === 201 ? { id: 'E1' } : { id: 1 } } : {}),
    });
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    if (url.startsWith('/v1') || status >= 400) expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('lets no answer of the API load anything: its policy is default-src none', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ url: '/v1/epics/%3Cscript%3E' });
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
  });
});
