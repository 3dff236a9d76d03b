import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { StoreUnavailable } from '../../src/domain/index.js';
import { seedSpecExample } from '../helpers/api-routes.js';
import { buildTestApp, expectProblem, unreachableStore } from '../helpers/test-app.js';

const down = () => unreachableStore(() => new StoreUnavailable('database down'));

describe('GET /livez', () => {
  it('answers 200 while the process is up, even when the store is not', async () => {
    const app = await buildTestApp({}, down());
    const response = await app.inject({ method: 'GET', url: '/livez' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('answers 200 when the store is reachable', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers a 503 problem when it is not', async () => {
    const app = await buildTestApp({}, down());
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expectProblem(response, 503);
    expect(response.headers['retry-after']).toBeDefined();
  });

  it('stays open when reads need a key', async () => {
    const app = await buildTestApp({ API_KEYS: 'secret', AUTH_READS: 'true' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
  });
});

describe('GET /metrics', () => {
  it('counts requests per route and gauges epics by status', async () => {
    const app = await buildTestApp();
    await seedSpecExample(app);
    await app.inject({ method: 'GET', url: '/v1/backlog' });
    await app.inject({ method: 'GET', url: '/v1/backlog' });
    await app.inject({ method: 'GET', url: '/v1/epics/Ghost' });
    await app.inject({ method: 'GET', url: '/v1/epics/EpicA' });
    await app.inject({ method: 'GET', url: '/no/such/path' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    const count = 'http_request_duration_seconds_count';
    expect(text).toContain(`${count}{method="GET",route="/v1/backlog",status_code="200"} 2`);
    expect(text).toContain(`${count}{method="PUT",route="/v1/backlog",status_code="200"} 1`);
    expect(text).toContain(`${count}{method="GET",route="/v1/epics/:epicId",status_code="404"} 1`);
    expect(text).toContain(`${count}{method="GET",route="/v1/epics/:epicId",status_code="200"} 1`);
    expect(text).toContain(`${count}{method="GET",route="unmatched",status_code="404"} 1`);
    expect(text).not.toContain('/no/such/path');
    // The histogram's _count is the request count: no second series says the same.
    expect(text).not.toContain('http_requests_total');
    expect(text).toContain('backlog_epics{status="wip"} 2');
    expect(text).toContain('backlog_epics{status="blocked"} 0');
    expect(text).toContain('backlog_epics{status="pending_validation"} 1');
    expect(text).toContain('backlog_epics{status="completed"} 2');
  });

  it('gives the running version of the service and of Node.js', async () => {
    const app = await buildTestApp();
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain(`backlog_build_info{version="${version}",node="${process.versions.node}"} 1`);
  });

  it('still answers when the store is unreachable', async () => {
    const app = await buildTestApp({}, down());
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('# TYPE backlog_epics gauge');
  });

  it('keeps counters per app', async () => {
    const first = await buildTestApp();
    const second = await buildTestApp();
    await first.inject({ method: 'GET', url: '/v1/tasks' });
    const text = (await second.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toContain('route="/v1/tasks"');
  });
});

describe('rate limit and probes', () => {
  it('never refuses a probe or a scrape, while the API is limited', async () => {
    const app = await buildTestApp({ RATE_LIMIT_MAX: '2' });
    for (let i = 0; i < 3; i++) await app.inject('/v1/backlog');
    expect((await app.inject('/v1/backlog')).statusCode).toBe(429);
    for (const url of ['/livez', '/readyz', '/metrics', '/livez']) expect((await app.inject(url)).statusCode).toBe(200);
  });
});
