import { describe, expect, it } from 'vitest';
import { seedSpecExample } from '../helpers/api-routes.js';
import { buildTestApp, client, expectProblem, sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp();

/** The shared app, its backlog reset to the SPEC example. */
async function seeded() {
  await seedSpecExample(app());
  return client(app());
}

describe('GET /v1/tasks', () => {
  it('lists every task with its epic', async () => {
    const response = await (await seeded()).get('/v1/tasks');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { id: 'TaskA1', epic: 'EpicA' },
      { id: 'TaskA2', epic: 'EpicA' },
      { id: 'TaskB1', epic: 'EpicB' },
      { id: 'TaskB2', epic: 'EpicB' },
    ]);
  });

  it('is empty on an empty backlog', async () => {
    expect((await client(await buildTestApp()).get('/v1/tasks')).json()).toEqual([]);
  });
});

describe('POST /v1/tasks', () => {
  it('creates the task in the epic, answering 201 with the backlog', async () => {
    const response = await (await seeded()).post('/v1/tasks', { id: 'TaskC1', epic: 'EpicC' });
    expect(response.statusCode).toBe(201);
    expect(response.json().epics[2]).toEqual({ id: 'EpicC', status: 'wip', tasks: ['TaskC1'], bugs: [], epics: [] });
    expect(response.json().epics[3]).toMatchObject({ id: 'EpicD', status: 'blocked' });
  });

  it('accepts `blocked` and prototype names as task ids', async () => {
    const http = await seeded();
    for (const id of ['blocked', '__proto__', 'constructor']) {
      expect((await http.post('/v1/tasks', { id, epic: 'EpicC' })).statusCode).toBe(201);
    }
    expect((await http.get('/v1/tasks')).json().slice(4)).toEqual([
      { id: 'blocked', epic: 'EpicC' },
      { id: '__proto__', epic: 'EpicC' },
      { id: 'constructor', epic: 'EpicC' },
    ]);
  });

  it.each([
    [{ id: 'T' }, '/epic'],
    [{ epic: 'EpicC' }, '/id'],
    [{ id: 1, epic: 'EpicC' }, '/id'],
    [{ id: 'T\n', epic: 'EpicC' }, '/id'],
    [{ id: 'T', epic: 'EpicC', done: false }, '/'],
  ])('refuses %j with 400', async (body, path) => {
    const problem = expectProblem(await (await seeded()).post('/v1/tasks', body), 400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
  });

  it('answers 404 when the epic does not exist', async () => {
    const problem = expectProblem(await (await seeded()).post('/v1/tasks', { id: 'T', epic: 'Ghost' }), 404);
    expect(problem.detail).toBe('Epic "Ghost" does not exist');
  });

  it('answers 409 for a task already in an epic, this one or another', async () => {
    const http = await seeded();
    expectProblem(await http.post('/v1/tasks', { id: 'TaskA1', epic: 'EpicC' }), 409);
    expectProblem(await http.post('/v1/tasks', { id: 'TaskA1', epic: 'EpicA' }), 409);
    expect((await http.get('/v1/epics/EpicC')).json().tasks).toEqual([]);
  });
});

describe('DELETE /v1/tasks/{taskId}', () => {
  it('marks the task done by removing it', async () => {
    const http = await seeded();
    await http.delete('/v1/tasks/TaskA1');
    const response = await http.delete('/v1/tasks/TaskA2');
    expect(response.statusCode).toBe(200);
    expect(response.json().epics[0]).toEqual({ id: 'EpicA', status: 'blocked', tasks: [], bugs: [], epics: ['EpicB'] });
  });

  it('turns the epics above pending_validation once the last task is done', async () => {
    const http = await seeded();
    for (const task of ['TaskA1', 'TaskA2', 'TaskB1', 'TaskB2']) await http.delete(`/v1/tasks/${task}`);
    expect((await http.get('/v1/epics')).json().slice(0, 2)).toEqual([
      { id: 'EpicA', status: 'pending_validation' },
      { id: 'EpicB', status: 'pending_validation' },
    ]);
  });

  it('answers 404 for an unknown task and 400 for a bad id', async () => {
    const http = await seeded();
    expect(expectProblem(await http.delete('/v1/tasks/Ghost'), 404).detail).toBe('Task "Ghost" does not exist');
    expectProblem(await http.delete('/v1/tasks/%7F'), 400);
  });
});
