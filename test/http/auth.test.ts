import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/test-app.js';

describe('auth', () => {
  it('rate limits requests with wrong keys, so keys cannot be guessed at full speed', async () => {
    const app = await buildTestApp({ API_KEYS: 'k1', RATE_LIMIT_MAX: '3' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/epics',
        headers: { authorization: 'Bearer guess' },
        payload: { id: 'x' },
      });
      codes.push(response.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('protects the metrics with AUTH_READS, and never the probes', async () => {
    const app = await buildTestApp({ API_KEYS: 'k1', AUTH_READS: 'true' });
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer k1' } })).statusCode).toBe(200);
    expect((await app.inject('/livez')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).statusCode).toBe(200);
  });

  it('leaves the metrics open when only writes need a key', async () => {
    const app = await buildTestApp({ API_KEYS: 'k1' });
    expect((await app.inject('/metrics')).statusCode).toBe(200);
  });
});
