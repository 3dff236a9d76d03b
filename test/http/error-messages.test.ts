import { describe, expect, it } from 'vitest';
import { closestKey } from '../../src/http/validation.js';
import { seedSpecExample } from '../helpers/api-routes.js';
import { buildTestApp, expectProblem, sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp();

describe('error messages name what is wrong and what to send', () => {
  it('415 names application/json and what was sent', async () => {
    const response = await app().inject({
      method: 'POST',
      url: '/v1/epics',
      headers: { 'content-type': 'text/plain' },
      payload: 'EpicA',
    });
    expect(expectProblem(response, 415).detail).toBe(
      'Content-Type "text/plain" is not supported: send the body as application/json',
    );
  });

  it('413 states the limit', async () => {
    const small = await buildTestApp({ BODY_LIMIT: '100' });
    const response = await small.inject({
      method: 'POST',
      url: '/v1/backlog',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ EpicA: { Tasks: ['x'.repeat(200)] } }),
    });
    expect(expectProblem(response, 413).detail).toBe('The body is over the limit of 100 bytes');
    expect((await small.inject('/v1/backlog')).json()).toEqual({ epics: [] });
  });

  it.each([
    ['/v1/epics', { tasks: ['TaskF1'] }, '/id'],
    ['/v1/tasks', { id: 'TaskC1' }, '/epic'],
    ['/v1/epics/EpicC', { id: 'TaskC1' }, '/type'],
  ])('a missing field of POST %s is "required"', async (url, payload, path) => {
    await seedSpecExample(app());
    const problem = expectProblem(await app().inject({ method: 'POST', url, payload }), 400);
    expect(problem.errors).toEqual([{ in: 'body', path, message: 'required' }]);
  });

  it('an unknown key close to a known one is named with it', async () => {
    const problem = expectProblem(
      await app().inject({ method: 'POST', url: '/v1/backlog', payload: { EpicF: { tasks: ['TaskF1'] } } }),
      400,
    );
    expect(problem.errors).toEqual([
      { in: 'body', path: '/EpicF', message: 'unknown key "tasks": did you mean "Tasks"?' },
    ]);
    const misspelt = expectProblem(
      await app().inject({ method: 'POST', url: '/v1/bugs', payload: { id: 'BugC1', epics: 'EpicC' } }),
      400,
    );
    expect(misspelt.errors).toContainEqual({
      in: 'body',
      path: '/',
      message: 'unknown key "epics": did you mean "epic"?',
    });
  });

  it('an unknown key like no known one lists the keys allowed', async () => {
    const problem = expectProblem(
      await app().inject({ method: 'POST', url: '/v1/epics', payload: { id: 'EpicF', colour: 'red' } }),
      400,
    );
    expect(problem.errors).toEqual([
      { in: 'body', path: '/', message: 'unknown key "colour" (allowed: "id", "tasks", "bugs", "epics")' },
    ]);
  });

  it('points at fields with JSON Pointers, escaping "/" and "~"', async () => {
    const problem = expectProblem(
      await app().inject({ method: 'POST', url: '/v1/backlog', payload: { 'a/b~c': { Tasks: [1] } } }),
      400,
    );
    expect(problem.errors?.map((error) => error.path)).toEqual(['/a~1b~0c/Tasks/0']);
  });
});

describe('closestKey', () => {
  it.each([
    ['tasks', 'Tasks'],
    ['TASKS', 'Tasks'],
    ['Task', 'Tasks'],
    ['Epic', 'Epics'],
    ['Bgus', 'Bugs'],
    ['colour', undefined],
    ['T', undefined],
  ])('%s -> %s', (key, expected) => {
    expect(closestKey(key, ['Tasks', 'Bugs', 'Epics'])).toBe(expected);
  });
});
