import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('x-request-id', () => {
  it('is set on every answer, a fresh one per request', async () => {
    const app = await buildTestApp();
    const first = await app.inject({ method: 'GET', url: '/v1/backlog' });
    const second = await app.inject({ method: 'GET', url: '/no/such/route' });
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it('reuses a valid id the client sent, on successes and on problems', async () => {
    const app = await buildTestApp();
    for (const url of ['/v1/backlog', '/v1/epics/Ghost']) {
      const response = await app.inject({ method: 'GET', url, headers: { 'x-request-id': 'trace-42.a:b_c' } });
      expect(response.headers['x-request-id']).toBe('trace-42.a:b_c');
    }
  });

  it.each(['has spaces', 'x'.repeat(129), 'line\u0085break', '<script>'])(
    'replaces an unusable id %j with a fresh one',
    async (offered) => {
      const app = await buildTestApp();
      const response = await app.inject({ method: 'GET', url: '/v1/backlog', headers: { 'x-request-id': offered } });
      expect(response.headers['x-request-id']).toMatch(UUID);
    },
  );
});
