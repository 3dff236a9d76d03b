import { describe, expect, it } from 'vitest';
import { StoreUnavailable } from '../../src/domain/index.js';
import {
  API_ROUTES,
  describeRoute,
  MUTATIONS,
  READS,
  type RouteCase,
  seedSpecExample,
  send,
  WITH_BODY,
} from '../helpers/api-routes.js';
import { expectProblem, sharedTestApp, unreachableStore } from '../helpers/test-app.js';

const KEY = { authorization: 'Bearer s3cret' };
const AUTH = { API_KEYS: 'other-key, s3cret' };

const named = (routes: readonly RouteCase[]) => routes.map((route) => [describeRoute(route), route] as const);

describe('every route', () => {
  const app = sharedTestApp();

  it.each(named(API_ROUTES))('%s succeeds with JSON on the SPEC example', async (_name, route) => {
    await seedSpecExample(app());
    const response = await send(app(), route);
    expect(response.statusCode, response.body).toBe(route.success);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it.each(named(API_ROUTES))('%s answers 405 with Allow to the methods its path lacks', async (_name, route) => {
    const supported = API_ROUTES.filter((other) => other.path === route.path).map((other) => other.method);
    const allowed = new Set<string>(supported.includes('GET') ? [...supported, 'HEAD'] : supported);
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
      if (allowed.has(method)) continue;
      const response = await app().inject({ method, url: route.url, payload: { id: 'x' } });
      expectProblem(response, 405);
      expect(new Set(response.headers.allow?.toString().split(/,\s*/))).toEqual(allowed);
    }
  });
});

describe('every route, when the store is unreachable', () => {
  const app = sharedTestApp(
    {},
    unreachableStore(() => new StoreUnavailable('ECONNREFUSED 10.0.0.7:27017')),
  );

  it.each(named(API_ROUTES))('%s answers a 503 problem with Retry-After and no internals', async (_name, route) => {
    const response = await send(app(), route);
    const problem = expectProblem(response, 503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(problem.detail).not.toContain('10.0.0.7');
  });
});

describe('every route, past the rate limit', () => {
  const app = sharedTestApp({ RATE_LIMIT_MAX: '2' });

  it.each(named(API_ROUTES))('%s answers 429 with Retry-After', async (_name, route) => {
    // One client address per route: the limit counts per client.
    const remoteAddress = `10.0.0.${API_ROUTES.indexOf(route) + 1}`;
    const request = () =>
      app().inject({
        method: route.method,
        url: route.url,
        remoteAddress,
        ...(route.body === undefined ? {} : { payload: route.body as object }),
      });
    expect((await request()).statusCode).not.toBe(429);
    expect((await request()).statusCode).not.toBe(429);
    const response = await request();
    expectProblem(response, 429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('with API_KEYS', () => {
  const app = sharedTestApp(AUTH);
  const refused: Record<string, string>[] = [
    {},
    { authorization: 'Bearer wrong' },
    { authorization: 'Bearer s3cret2' },
    { authorization: 's3cret' },
    { authorization: 'Basic s3cret' },
  ];

  it.each(named(MUTATIONS))('%s answers 401 without a valid key, and succeeds with one', async (_name, route) => {
    await seedSpecExample(app(), KEY);
    for (const headers of refused) {
      const response = await send(app(), route, headers);
      expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await send(app(), route, KEY)).statusCode).toBe(route.success);
  });

  it.each(named(READS))('%s stays open to reads without a key', async (_name, route) => {
    await seedSpecExample(app(), KEY);
    expect((await send(app(), route)).statusCode).toBe(route.success);
  });
});

describe('with API_KEYS and AUTH_READS=true', () => {
  const app = sharedTestApp({ ...AUTH, AUTH_READS: 'true' });

  it.each(named(READS))('%s answers 401 without a key, and succeeds with one', async (_name, route) => {
    await seedSpecExample(app(), KEY);
    expectProblem(await send(app(), route), 401);
    expectProblem(await send(app(), route, { authorization: 'Bearer nope' }), 401);
    expect((await send(app(), route, KEY)).statusCode).toBe(route.success);
  });
});

describe('every route with a body', () => {
  const app = sharedTestApp({ BODY_LIMIT: '512' });

  it.each(named(WITH_BODY))('%s answers 413 for a body over BODY_LIMIT, and writes nothing', async (_name, route) => {
    await seedSpecExample(app());
    const before = (await app().inject({ method: 'GET', url: '/v1/export' })).body;
    const response = await app().inject({
      method: route.method,
      url: route.url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(route.body).replace(/^\{/, `{"${'x'.repeat(600)}":{},`),
    });
    expectProblem(response, 413);
    expect((await app().inject({ method: 'GET', url: '/v1/export' })).body).toBe(before);
  });

  it.each(named(WITH_BODY))('%s answers 415 for a body that is not JSON', async (_name, route) => {
    await seedSpecExample(app());
    for (const contentType of [
      'text/plain',
      'text/plain; charset=utf-8',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ]) {
      const response = await app().inject({
        method: route.method,
        url: route.url,
        headers: { 'content-type': contentType },
        payload: JSON.stringify(route.body),
      });
      expectProblem(response, 415);
    }
  });

  it.each(named(WITH_BODY))('%s accepts JSON with a charset parameter', async (_name, route) => {
    await seedSpecExample(app());
    const response = await app().inject({
      method: route.method,
      url: route.url,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify(route.body),
    });
    expect(response.statusCode, response.body).toBe(route.success);
  });
});
