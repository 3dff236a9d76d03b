import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, describeRoute, seedSpecExample, send } from '../helpers/api-routes.js';
import { expectProblem, sharedTestApp } from '../helpers/test-app.js';

// Issue 12, case 10: a misspelt filter answered 200 with a plausible, unfiltered list.
describe('unknown query parameters (issue 12, case 10)', () => {
  const app = sharedTestApp();
  let before: string;
  beforeAll(async () => {
    await seedSpecExample(app());
    before = (await app().inject({ url: '/v1/export' })).body;
  });

  it.each([
    ['/v1/epics?status[]=wip', '"status[]"'],
    ['/v1/epics?Status=wip', '"Status"'],
    ['/v1/epics/blocked?bugid=BugB1', '"bugid"'],
    ['/v1/epics/blocked?bug_id=BugB1&highest=true', '"highest"'],
  ])('answers GET %s with a 400 naming %s, not a wrong list', async (url, named) => {
    const problem = expectProblem(await app().inject({ url }), 400);
    expect(problem.errors?.[0]).toMatchObject({ in: 'querystring' });
    expect(problem.detail).toContain(named);
  });

  it.each(API_ROUTES.map((route) => [describeRoute(route), route] as const))(
    'refuses %s with an unknown parameter, writing nothing',
    async (_name, route) => {
      const url = `${route.url}${route.url.includes('?') ? '&' : '?'}dry_run=1`;
      const problem = expectProblem(await send(app(), { ...route, url }), 400);
      expect(problem.detail).toContain('"dry_run"');
      expect((await app().inject({ url: '/v1/export' })).body).toBe(before);
    },
  );

  it('still answers the declared parameters and the probes', async () => {
    expect((await app().inject({ url: '/v1/epics?status=wip' })).json()).toEqual([
      { id: 'EpicA', status: 'wip' },
      { id: 'EpicB', status: 'wip' },
    ]);
    expect((await app().inject({ url: '/livez?t=1' })).statusCode).toBe(200);
  });
});
