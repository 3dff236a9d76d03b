import { validatorCompiler } from '@fastify/type-provider-zod';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { StoreUnavailable } from '../../src/domain/index.js';
import { problemHandler } from '../../src/http/problem-handler.js';
import { epicRoutes } from '../../src/routes/epics.js';
import { seedSpecExample } from '../helpers/api-routes.js';
import { client, expectProblem, sharedTestApp, unreachableStore } from '../helpers/test-app.js';

const app = sharedTestApp();

/** The shared app, its backlog reset to the SPEC example. */
async function seeded() {
  await seedSpecExample(app());
  return client(app());
}

const ids = (body: { epics: { id: string }[] }) => body.epics.map((epic) => epic.id);

describe('GET /v1/epics', () => {
  it('lists every epic and its status in creation order', async () => {
    const response = await (await seeded()).get('/v1/epics');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { id: 'EpicA', status: 'wip' },
      { id: 'EpicB', status: 'wip' },
      { id: 'EpicC', status: 'completed' },
      { id: 'EpicD', status: 'completed' },
      { id: 'EpicE', status: 'pending_validation' },
    ]);
  });

  it.each([
    ['wip', ['EpicA', 'EpicB']],
    ['completed', ['EpicC', 'EpicD']],
    ['pending_validation', ['EpicE']],
    ['blocked', []],
  ])('filters by ?status=%s', async (status, expected) => {
    const response = await (await seeded()).get(`/v1/epics?status=${status}`);
    expect(response.json().map((epic: { id: string }) => epic.id)).toEqual(expected);
  });

  it('refuses an unknown status or query key with 400 naming it', async () => {
    const http = await seeded();
    expect(expectProblem(await http.get('/v1/epics?status=done'), 400).errors?.[0]).toMatchObject({
      in: 'querystring',
      path: '/status',
    });
    expect(expectProblem(await http.get('/v1/epics?state=wip'), 400).detail).toMatch(/"state"/);
    expect(expectProblem(await http.get('/v1/epics?status[]=wip'), 400).detail).toMatch(/"status\[\]"/);
  });
});

describe('POST /v1/epics', () => {
  it('creates an epic with tasks, bugs and links, and answers 201 with the backlog', async () => {
    const http = await seeded();
    const response = await http.post('/v1/epics', { id: 'EpicF', tasks: [], bugs: ['BugF1'], epics: ['EpicB'] });
    expect(response.statusCode).toBe(201);
    expect(response.json().epics.at(-1)).toEqual({
      id: 'EpicF',
      status: 'blocked',
      tasks: [],
      bugs: ['BugF1'],
      epics: ['EpicB'],
    });
  });

  it('creates an epic from its id alone', async () => {
    const response = await (await seeded()).post('/v1/epics', { id: 'EpicF' });
    expect(response.json().epics.at(-1)).toEqual({ id: 'EpicF', status: 'completed', tasks: [], bugs: [], epics: [] });
  });

  it.each([
    ['a missing id', {}, '/id'],
    ['an id that is not a string', { id: 7 }, '/id'],
    ['the reserved id blocked', { id: 'blocked' }, '/id'],
    ['an id with white space around', { id: ' EpicF' }, '/id'],
    ['an id of 201 characters', { id: 'e'.repeat(201) }, '/id'],
    ['a list that is not a list', { id: 'EpicF', tasks: 'TaskF1' }, '/tasks'],
    ['a blank task id', { id: 'EpicF', tasks: [''] }, '/tasks/0'],
    ['an unknown key', { id: 'EpicF', owner: 'me' }, '/'],
  ])('refuses %s with 400', async (_name, body, path) => {
    const problem = expectProblem(await (await seeded()).post('/v1/epics', body), 400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
  });

  it.each([
    ['an epic id taken', { id: 'EpicA' }, /"EpicA" already exists/],
    ['a task of another epic', { id: 'EpicF', tasks: ['TaskB1'] }, /"TaskB1" already belongs to epic "EpicB"/],
    ['a link to a missing epic', { id: 'EpicF', epics: ['Ghost'] }, /"Ghost", which exists neither/],
    ['a link to itself', { id: 'EpicF', epics: ['EpicF'] }, /EpicF -> EpicF/],
  ])('refuses %s with 409', async (_name, body, detail) => {
    const http = await seeded();
    expect(expectProblem(await http.post('/v1/epics', body), 409).detail).toMatch(detail);
    expect(ids((await http.get('/v1/backlog')).json())).toEqual(['EpicA', 'EpicB', 'EpicC', 'EpicD', 'EpicE']);
  });
});

describe('GET /v1/epics/{epicId}', () => {
  it('answers the epic with its status, parents and progress', async () => {
    const http = await seeded();
    await http.post('/v1/epics', { id: 'EpicF', epics: ['EpicB'] });
    const response = await http.get('/v1/epics/EpicB');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: 'EpicB',
      status: 'wip',
      tasks: ['TaskB1', 'TaskB2'],
      bugs: ['BugB1'],
      epics: [],
      parents: ['EpicA', 'EpicF'],
      progress: { tasksDone: 0, tasksOpen: 2, bugsFixed: 0, bugsOpen: 1 },
    });
  });

  it('finds ids that need percent-encoding', async () => {
    const http = await seeded();
    for (const id of ['épique 史诗', 'a/b', 'q?x#y', '__proto__', '😀']) {
      expect((await http.post('/v1/epics', { id })).statusCode).toBe(201);
      const response = await http.get(`/v1/epics/${encodeURIComponent(id)}`);
      expect(response.statusCode, id).toBe(200);
      expect(response.json().id).toBe(id);
    }
  });

  it('answers 404 for a missing epic and 400 for a bad id', async () => {
    const http = await seeded();
    expect(expectProblem(await http.get('/v1/epics/Ghost'), 404).detail).toBe('Epic "Ghost" does not exist');
    expect(expectProblem(await http.get('/v1/epics/%20EpicA'), 400).errors?.[0]).toMatchObject({
      in: 'params',
      path: '/epicId',
    });
    expectProblem(await http.get(`/v1/epics/${'e'.repeat(201)}`), 400);
    expectProblem(await http.get('/v1/epics/a%00b'), 400);
  });
});

describe('DELETE /v1/epics/{epicId}', () => {
  it('deletes the epic, its tasks and bugs, and every link to it', async () => {
    const http = await seeded();
    const response = await http.delete('/v1/epics/EpicB');
    expect(response.statusCode).toBe(200);
    expect(response.json().epics[0]).toEqual({
      id: 'EpicA',
      status: 'wip',
      tasks: ['TaskA1', 'TaskA2'],
      bugs: [],
      epics: [],
    });
    expect((await http.get('/v1/tasks')).json()).toEqual([
      { id: 'TaskA1', epic: 'EpicA' },
      { id: 'TaskA2', epic: 'EpicA' },
    ]);
    expectProblem(await http.get('/v1/bugs/BugB1/blocked-epics'), 404);
  });

  it('answers 404 for a missing epic', async () => {
    expectProblem(await (await seeded()).delete('/v1/epics/Ghost'), 404);
  });
});

describe('POST /v1/epics/{epicId}', () => {
  it('adds a task or a bug', async () => {
    const http = await seeded();
    const task = await http.post('/v1/epics/EpicC', { type: 'task', id: 'TaskC1' });
    expect(task.statusCode).toBe(201);
    expect(task.json().epics[2]).toMatchObject({ id: 'EpicC', status: 'wip', tasks: ['TaskC1'] });
    const bug = await http.post('/v1/epics/EpicE', { type: 'bug', id: 'BugB1' });
    expect(bug.statusCode).toBe(201);
    expect(bug.json().epics[4]).toMatchObject({ id: 'EpicE', status: 'pending_validation', bugs: ['BugE1', 'BugB1'] });
  });

  it.each([
    [{ type: 'story', id: 'S1' }, '/type'],
    [{ id: 'S1' }, '/type'],
    [{ type: 'task' }, '/id'],
    [{ type: 'task', id: '' }, '/id'],
    [{ type: 'task', id: 'T', epic: 'EpicC' }, '/'],
  ])('refuses %j with 400', async (body, path) => {
    const problem = expectProblem(await (await seeded()).post('/v1/epics/EpicC', body), 400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
  });

  it('answers 404 for a missing epic, 409 for a task or bug already there', async () => {
    const http = await seeded();
    expectProblem(await http.post('/v1/epics/Ghost', { type: 'task', id: 'T' }), 404);
    expect(expectProblem(await http.post('/v1/epics/EpicC', { type: 'task', id: 'TaskA1' }), 409).detail).toMatch(
      /already belongs to epic "EpicA"/,
    );
    expectProblem(await http.post('/v1/epics/EpicA', { type: 'task', id: 'TaskA1' }), 409);
    expect(expectProblem(await http.post('/v1/epics/EpicB', { type: 'bug', id: 'BugB1' }), 409).detail).toMatch(
      /already reported in epic "EpicB"/,
    );
  });
});

describe('GET /v1/epics/{epicId}/bugs', () => {
  it('answers B*, each bug once with the epics under it that hold it', async () => {
    const http = await seeded();
    await http.post('/v1/epics/EpicB/epics', { id: 'EpicE' });
    await http.post('/v1/bugs', { id: 'BugE1', epic: 'EpicA' });
    const response = await http.get('/v1/epics/EpicA/bugs');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { id: 'BugE1', epics: ['EpicA', 'EpicE'] },
      { id: 'BugB1', epics: ['EpicB'] },
    ]);
    expect((await http.get('/v1/epics/EpicC/bugs')).json()).toEqual([]);
  });

  it('answers 404 for a missing epic', async () => {
    expectProblem(await (await seeded()).get('/v1/epics/Ghost/bugs'), 404);
  });
});

describe('POST /v1/epics/{epicId}/bugs', () => {
  it('reports the bug in the epic', async () => {
    const response = await (await seeded()).post('/v1/epics/EpicC/bugs', { id: 'BugC1' });
    expect(response.statusCode).toBe(201);
    expect(response.json().epics[2]).toMatchObject({ id: 'EpicC', status: 'pending_validation', bugs: ['BugC1'] });
    expect(response.json().epics[3]).toMatchObject({ id: 'EpicD', status: 'pending_validation' });
  });

  it('answers 400, 404 and 409', async () => {
    const http = await seeded();
    expectProblem(await http.post('/v1/epics/EpicC/bugs', { id: 'B', type: 'bug' }), 400);
    expectProblem(await http.post('/v1/epics/EpicC/bugs', {}), 400);
    expectProblem(await http.post('/v1/epics/Ghost/bugs', { id: 'B' }), 404);
    expectProblem(await http.post('/v1/epics/EpicB/bugs', { id: 'BugB1' }), 409);
  });
});

describe('POST /v1/epics/{epicId}/epics and DELETE /v1/epics/{epicId}/epics/{childId}', () => {
  it('links a child and recomputes statuses', async () => {
    const http = await seeded();
    const response = await http.post('/v1/epics/EpicC/epics', { id: 'EpicB' });
    expect(response.statusCode).toBe(201);
    const epics = response.json().epics;
    expect(epics[2]).toEqual({ id: 'EpicC', status: 'blocked', tasks: [], bugs: [], epics: ['EpicB'] });
    expect(epics[3]).toMatchObject({ id: 'EpicD', status: 'blocked' });
  });

  it('unlinks a child', async () => {
    const http = await seeded();
    const response = await http.delete('/v1/epics/EpicD/epics/EpicC');
    expect(response.statusCode).toBe(200);
    expect(response.json().epics[3]).toMatchObject({ id: 'EpicD', epics: [] });
  });

  it('refuses a link that exists, a cycle (named by its path) and a self-link with 409', async () => {
    const http = await seeded();
    expect(expectProblem(await http.post('/v1/epics/EpicA/epics', { id: 'EpicB' }), 409).detail).toMatch(
      /already links to "EpicB"/,
    );
    expect(expectProblem(await http.post('/v1/epics/EpicB/epics', { id: 'EpicA' }), 409).detail).toBe(
      'Links would form a cycle: EpicB -> EpicA -> EpicB',
    );
    expect(expectProblem(await http.post('/v1/epics/EpicC/epics', { id: 'EpicC' }), 409).detail).toMatch(
      /EpicC -> EpicC/,
    );
  });

  it('answers 404 for a missing parent or child, or a link that is not there', async () => {
    const http = await seeded();
    expectProblem(await http.post('/v1/epics/Ghost/epics', { id: 'EpicA' }), 404);
    expect(expectProblem(await http.post('/v1/epics/EpicA/epics', { id: 'Ghost' }), 404).detail).toMatch(/Ghost/);
    expectProblem(await http.delete('/v1/epics/Ghost/epics/EpicA'), 404);
    expectProblem(await http.delete('/v1/epics/EpicA/epics/Ghost'), 404);
    expect(expectProblem(await http.delete('/v1/epics/EpicA/epics/EpicC'), 404).detail).toMatch(
      /does not link to "EpicC"/,
    );
  });

  it('answers 400 for bad bodies and ids', async () => {
    const http = await seeded();
    expectProblem(await http.post('/v1/epics/EpicA/epics', { id: ['EpicC'] }), 400);
    expectProblem(await http.post('/v1/epics/EpicA/epics', { child: 'EpicC' }), 400);
    expectProblem(await http.delete('/v1/epics/EpicA/epics/%20EpicC'), 400);
  });
});

describe('GET /v1/epics/blocked', () => {
  it('answers the epics blocked by a bug and the highest of them', async () => {
    const http = await seeded();
    await http.post('/v1/epics', { id: 'EpicF', epics: ['EpicB'] });
    const response = await http.get('/v1/epics/blocked?bug_id=BugB1');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      bug: 'BugB1',
      blocked: [
        { id: 'EpicA', status: 'wip' },
        { id: 'EpicB', status: 'wip' },
        { id: 'EpicF', status: 'blocked' },
      ],
      highest: ['EpicA', 'EpicF'],
    });
  });

  it('answers every epic whose status is blocked without bug_id', async () => {
    const http = await seeded();
    await http.post('/v1/epics', { id: 'EpicF', epics: ['EpicB'] });
    await http.post('/v1/epics', { id: 'EpicG', epics: ['EpicF', 'EpicE'] });
    expect((await http.get('/v1/epics/blocked')).json()).toEqual({
      bug: null,
      blocked: [
        { id: 'EpicF', status: 'blocked' },
        { id: 'EpicG', status: 'blocked' },
      ],
      highest: ['EpicG'],
    });
  });

  it('answers 404 for an unknown bug, 400 for a bad bug id or an unknown query key', async () => {
    const http = await seeded();
    expectProblem(await http.get('/v1/epics/blocked?bug_id=Ghost'), 404);
    expectProblem(await http.get('/v1/epics/blocked?bug_id=%20x'), 400);
    expect(expectProblem(await http.get('/v1/epics/blocked?bug=BugB1'), 400).detail).toMatch(/"bug"/);
  });
});

describe('epic routes alone, on a fake store (CONVENTIONS 21)', () => {
  it('answer 503 when the store is unreachable', async () => {
    const bare = Fastify()
      .decorate(
        'store',
        unreachableStore(() => new StoreUnavailable('connection refused')),
      )
      .setValidatorCompiler(validatorCompiler)
      .setSerializerCompiler(() => (data) => JSON.stringify(data));
    await bare.register(problemHandler);
    await bare.register(epicRoutes, { prefix: '/v1' });
    try {
      const response = await bare.inject({ method: 'POST', url: '/v1/epics', payload: { id: 'EpicA' } });
      const problem = expectProblem(response, 503);
      expect(response.headers['retry-after']).toBeDefined();
      expect(problem.detail).not.toMatch(/connection refused/);
      expectProblem(await bare.inject({ method: 'GET', url: '/v1/epics/EpicA' }), 503);
    } finally {
      await bare.close();
    }
  });
});
