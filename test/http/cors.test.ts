import { describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from '../helpers/test-app.js';

const ORIGIN = 'https://board.example';
const preflight = (origin = ORIGIN) => ({
  method: 'OPTIONS' as const,
  url: '/v1/epics',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
});

describe('CORS', () => {
  it('is off by default: no Access-Control header, and OPTIONS is still a 405', async () => {
    const app = await buildTestApp();
    const read = await app.inject({ url: '/v1/backlog', headers: { origin: ORIGIN } });
    expect(read.statusCode).toBe(200);
    expect(Object.keys(read.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const response = await app.inject(preflight());
    expectProblem(response, 405);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight from an allowed origin with 204, before the key check', async () => {
    const app = await buildTestApp({ CORS_ORIGINS: `${ORIGIN},http://localhost:5173`, API_KEYS: 'k' });
    const response = await app.inject(preflight());
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD, POST, PUT, DELETE');
    expect(response.headers['access-control-allow-headers']).toBe('content-type');
  });

  it('lets an allowed origin read answers and their ETag, and no other origin', async () => {
    const app = await buildTestApp({ CORS_ORIGINS: ORIGIN });
    const allowed = await app.inject({ url: '/v1/backlog', headers: { origin: ORIGIN } });
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(allowed.headers['access-control-expose-headers']).toContain('ETag');
    const other = await app.inject({ url: '/v1/backlog', headers: { origin: 'https://evil.example' } });
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await app.inject(preflight('https://evil.example'))).headers['access-control-allow-origin'],
    ).toBeUndefined();
  });

  it('keeps a plain OPTIONS a 405 with Allow, and an unknown path a 404, when on', async () => {
    const app = await buildTestApp({ CORS_ORIGINS: '*' });
    const plain = await app.inject({ method: 'OPTIONS', url: '/v1/epics' });
    expectProblem(plain, 405);
    expect(plain.headers.allow).toBe('GET, HEAD, POST');
    expectProblem(await app.inject({ method: 'OPTIONS', url: '/v2/nothing' }), 404);
    expect((await app.inject(preflight('https://any.example'))).headers['access-control-allow-origin']).toBe('*');
  });
});
