import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeRoute, seedSpecExample, WITH_BODY } from '../helpers/api-routes.js';
import { expectProblem, sharedTestApp } from '../helpers/test-app.js';

const deep = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;

const JUNK: readonly [string, string][] = [
  ['null', 'null'],
  ['an array', '[]'],
  ['an array of the right body', '[{"id":"EpicX","type":"task","epic":"EpicA"}]'],
  ['a number', '42'],
  ['a string', '"EpicA"'],
  ['true', 'true'],
  ['an object of wrong types', '{"id":{"$ne":null},"type":1,"epic":[],"EpicA":"x"}'],
  ['an object of nulls', '{"id":null,"type":null,"epic":null,"EpicA":null}'],
  ['a huge string', JSON.stringify('x'.repeat(1_000_000))],
  ['a huge id', JSON.stringify({ id: 'x'.repeat(1_000_000), type: 'task', epic: 'EpicA' })],
  ['a huge key', `{${JSON.stringify('k'.repeat(1_000_000))}:{}}`],
  ['100,000 nested arrays', deep(100_000, '[', ']')],
  ['100,000 nested objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
  ['nested arrays inside a list', `{"EpicA":{"Tasks":${deep(100_000, '[', ']')}},"id":${deep(100_000, '[', ']')}}`],
  ['malformed JSON', '{"id": "EpicA",'],
  ['not JSON at all', 'hello'],
  ['a NUL byte', '\u0000'],
  ['an empty body', ''],
  ['white space only', '   \n'],
];

describe.each(WITH_BODY.map((route) => [describeRoute(route), route] as const))('%s on junk', (_name, route) => {
  // Nothing is written by any of these requests, so one seeded app serves them all (each checks it).
  const app = sharedTestApp();
  let before: string;
  beforeAll(async () => {
    await seedSpecExample(app());
    before = (await app().inject({ method: 'GET', url: '/v1/export' })).body;
  });

  it.each(JUNK)('answers %s with a 4xx problem and writes nothing', async (_junk, payload) => {
    const response = await app().inject({
      method: route.method,
      url: route.url,
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, response.body).toBeLessThan(500);
    expectProblem(response, response.statusCode);
    expect((await app().inject({ method: 'GET', url: '/v1/export' })).body).toBe(before);
  });

  it('answers a body-less request with a 4xx problem', async () => {
    const response = await app().inject({ method: route.method, url: route.url });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expectProblem(response, response.statusCode);
  });
});

describe.each(WITH_BODY.map((route) => [describeRoute(route), route] as const))('%s on any JSON', (_name, route) => {
  const app = sharedTestApp();

  it('never answers 5xx to bytes that are not UTF-8', async () => {
    const response = await app().inject({
      method: route.method,
      url: route.url,
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x7b, 0x7d, 0x7d]),
    });
    expect(response.statusCode, response.body).toBeLessThan(500);
  });

  it('never answers 5xx to any JSON value', async () => {
    await seedSpecExample(app());
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const response = await app().inject({
          method: route.method,
          url: route.url,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(value) ?? 'null',
        });
        expect(response.statusCode, response.body).toBeLessThan(500);
        if (response.statusCode >= 400) expectProblem(response, response.statusCode);
      }),
      { numRuns: 40 },
    );
  });
});

describe('junk in paths and query strings', () => {
  const app = sharedTestApp();

  it.each([
    '/v1/epics/%',
    '/v1/epics/%E0%A4%A',
    '/v1/epics/%00',
    `/v1/epics/${'%F0%9F%98%80'.repeat(201)}`,
    `/v1/epics/${'x'.repeat(10_000)}`,
    '/v1/epics/blocked?bug_id=',
    '/v1/epics/blocked?bug_id=a&bug_id=b',
    '/v1/epics?status=wip&status=blocked',
    '/v1/tasks/%20',
    '/v1/bugs/%0A/blocked-epics',
    '/v1//epics',
    '/v1/epics/EpicA/epics/',
  ])('answers GET %s with a 4xx problem', async (url) => {
    await seedSpecExample(app());
    const response = await app().inject({ method: 'GET', url });
    expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, response.body).toBeLessThan(500);
    expectProblem(response, response.statusCode);
  });
});
