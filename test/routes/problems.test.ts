import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, problemTypeUri } from '../../src/http/problem-types.js';
import { seedSpecExample } from '../helpers/api-routes.js';
import { buildTestApp, expectProblem, sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp({ API_KEYS: 'k', RATE_LIMIT_MAX: '1000' });
const key = { authorization: 'Bearer k' };

/** Requests that each get a problem of a different type. */
const REFUSED: [string, InjectOptions][] = [
  ['invalid request', { method: 'POST', url: '/v1/epics', headers: key, payload: { tasks: [] } }],
  ['invalid id', { method: 'POST', url: '/v1/backlog', headers: key, payload: { EpicA: { Epics: ['blocked'] } } }],
  [
    'malformed JSON',
    { method: 'POST', url: '/v1/epics', headers: { ...key, 'content-type': 'application/json' }, payload: '{' },
  ],
  ['unauthorized', { method: 'POST', url: '/v1/epics', payload: { id: 'EpicF' } }],
  ['epic not found', { method: 'GET', url: '/v1/epics/EpicZ' }],
  ['task not found', { method: 'DELETE', url: '/v1/tasks/TaskZ1', headers: key }],
  ['bug not found', { method: 'GET', url: '/v1/bugs/BugZ1/blocked-epics' }],
  ['link not found', { method: 'DELETE', url: '/v1/epics/EpicD/epics/EpicA', headers: key }],
  ['no route', { method: 'GET', url: '/v2/nothing' }],
  ['method not allowed', { method: 'PATCH', url: '/v1/backlog' }],
  ['epic exists', { method: 'POST', url: '/v1/epics', headers: key, payload: { id: 'EpicA' } }],
  ['task in an epic', { method: 'POST', url: '/v1/tasks', headers: key, payload: { id: 'TaskA1', epic: 'EpicC' } }],
  ['bug reported', { method: 'POST', url: '/v1/bugs', headers: key, payload: { id: 'BugB1', epic: 'EpicB' } }],
  ['link exists', { method: 'POST', url: '/v1/epics/EpicA/epics', headers: key, payload: { id: 'EpicB' } }],
  ['unknown link', { method: 'POST', url: '/v1/epics', headers: key, payload: { id: 'EpicF', epics: ['EpicZ'] } }],
  ['cycle', { method: 'POST', url: '/v1/epics/EpicB/epics', headers: key, payload: { id: 'EpicA' } }],
  ['not JSON', { method: 'POST', url: '/v1/epics', headers: { ...key, 'content-type': 'text/plain' }, payload: 'x' }],
];

describe('problem type URIs', () => {
  it.each(REFUSED)(
    'the type of a problem (%s) resolves, on the service, to a page explaining it',
    async (_name, request) => {
      await seedSpecExample(app(), key);
      const response = await app().inject(request);
      const problem = expectProblem(response, response.statusCode);
      expect(problem.type).toMatch(/^\/problems\/[a-z0-9-]+$/);

      const page = await app().inject({ method: 'GET', url: problem.type });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain(`<h1>${problem.title}</h1>`);
      expect(page.body).toContain(`HTTP status ${problem.status}`);

      const described = await app().inject({
        method: 'GET',
        url: problem.type,
        headers: { accept: 'application/json' },
      });
      expect(described.json()).toEqual({
        type: problem.type,
        title: problem.title,
        status: problem.status,
        description: expect.stringMatching(/\w{3}/),
      });
    },
  );

  it('a 429 and a 503 resolve too', async () => {
    const limited = await buildTestApp({ RATE_LIMIT_MAX: '1' });
    await limited.inject('/v1/backlog');
    const tooMany = expectProblem(await limited.inject('/v1/backlog'), 429);
    for (const type of [tooMany.type, problemTypeUri('Service unavailable')]) {
      expect((await app().inject(type)).statusCode, type).toBe(200);
    }
  });

  it('lists every type at /problems', async () => {
    const listed = (await app().inject({ url: '/problems', headers: { accept: 'application/json' } })).json();
    expect(listed.map((type: { type: string }) => type.type)).toEqual(
      [...PROBLEM_TYPES.keys()].map((slug) => `/problems/${slug}`),
    );
    const page = await app().inject('/problems');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const slug of PROBLEM_TYPES.keys()) expect(page.body).toContain(`href="/problems/${slug}"`);
  });

  it('answers an unknown type with a 404 problem', async () => {
    expect(expectProblem(await app().inject('/problems/no-such-problem'), 404).detail).toBe(
      'No problem type "no-such-problem"',
    );
  });

  it('gives a title without a page the type about:blank, never a URI that leads nowhere', () => {
    expect(problemTypeUri('Epic not found')).toBe('/problems/epic-not-found');
    expect(problemTypeUri('Something new')).toBe('about:blank');
  });

  it('escapes what it puts in a page', async () => {
    const page = (await app().inject('/problems/links-would-form-a-cycle')).body;
    expect(page).toContain('<code>EpicA -&#62; EpicB -&#62; EpicA</code>');
  });
});

describe('a request not received in time', () => {
  it('gets a 408 whose type resolves', async () => {
    expect(problemTypeUri('Request timeout')).toBe('/problems/request-timeout');
    expect(PROBLEM_TYPES.get('request-timeout')?.status).toBe(408);
  });
});
