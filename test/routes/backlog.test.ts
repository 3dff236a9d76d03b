import { describe, expect, it } from 'vitest';
import { SPEC_EXAMPLE } from '../helpers/backlogs.js';
import { buildTestApp, client, expectProblem, sharedTestApp } from '../helpers/test-app.js';

const SPEC_VIEW = {
  epics: [
    { id: 'EpicA', status: 'wip', tasks: ['TaskA1', 'TaskA2'], bugs: [], epics: ['EpicB'] },
    { id: 'EpicB', status: 'wip', tasks: ['TaskB1', 'TaskB2'], bugs: ['BugB1'], epics: [] },
    { id: 'EpicC', status: 'completed', tasks: [], bugs: [], epics: [] },
    { id: 'EpicD', status: 'completed', tasks: [], bugs: [], epics: ['EpicC'] },
    { id: 'EpicE', status: 'pending_validation', tasks: [], bugs: ['BugE1'], epics: [] },
  ],
};

const app = sharedTestApp();

/** The shared app, its backlog emptied. */
async function api() {
  const http = client(app());
  expect((await http.put('/v1/backlog', {})).statusCode).toBe(200);
  return http;
}

describe('GET /v1/backlog', () => {
  it('answers an empty backlog at first', async () => {
    const response = await (await api()).get('/v1/backlog');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ epics: [] });
  });
});

describe('POST /v1/backlog (import and merge)', () => {
  it('says which id is refused and why', async () => {
    const http = await api();
    const response = await http.post('/v1/backlog', { ' bad': {}, blocked: {}, ok: { Tasks: ['\u0001x'] } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { in: 'body', path: '/ bad', message: 'id " bad" must not start or end with white space' },
      { in: 'body', path: '/blocked', message: 'id "blocked" is reserved (the path /v1/epics/blocked owns it)' },
      { in: 'body', path: '/ok/Tasks/0', message: 'id "\\u0001x" must not contain control characters' },
    ]);
  });

  it('ignores blank list items of any length', async () => {
    const http = await api();
    const response = await http.post('/v1/backlog', {
      EpicA: { Tasks: [' '.repeat(500), '\t\n', 'TaskA1'], Epics: [''] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().epics).toEqual([{ id: 'EpicA', status: 'wip', tasks: ['TaskA1'], bugs: [], epics: [] }]);
  });

  it('imports the SPEC example as it stands and answers every status', async () => {
    const http = await api();
    const response = await http.post('/v1/backlog', SPEC_EXAMPLE);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(SPEC_VIEW);
    expect((await http.get('/v1/backlog')).json()).toEqual(SPEC_VIEW);
  });

  it('changes nothing when the same document is imported twice', async () => {
    const http = await api();
    await http.post('/v1/backlog', SPEC_EXAMPLE);
    const again = await http.post('/v1/backlog', SPEC_EXAMPLE);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(SPEC_VIEW);
  });

  it('unites lists and appends new epics', async () => {
    const http = await api();
    await http.post('/v1/backlog', SPEC_EXAMPLE);
    const response = await http.post('/v1/backlog', {
      EpicG: { Tasks: ['TaskG1'] },
      EpicC: { Bugs: ['BugB1'], Epics: ['EpicG'] },
    });
    expect(response.statusCode).toBe(200);
    const epics = response.json().epics as { id: string }[];
    expect(epics.map((epic) => epic.id)).toEqual(['EpicA', 'EpicB', 'EpicC', 'EpicD', 'EpicE', 'EpicG']);
    expect(epics[2]).toEqual({ id: 'EpicC', status: 'blocked', tasks: [], bugs: ['BugB1'], epics: ['EpicG'] });
    expect(epics[3]).toMatchObject({ id: 'EpicD', status: 'blocked' });
  });

  it('keeps __proto__, constructor and toString as ordinary epic ids', async () => {
    const payload =
      '{"__proto__":{"Tasks":["toString"],"Epics":["constructor"]},"constructor":{},"toString":{"Bugs":["b"]}}';
    await api();
    const response = await app().inject({
      method: 'POST',
      url: '/v1/backlog',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().epics.map((epic: { id: string }) => epic.id)).toEqual([
      '__proto__',
      'constructor',
      'toString',
    ]);
    const exported = await app().inject({ method: 'GET', url: '/v1/export' });
    expect(exported.body).toBe(
      '{"__proto__":{"Tasks":["toString"],"Bugs":[],"Epics":["constructor"]},"constructor":{"Tasks":[],"Bugs":[],"Epics":[]},"toString":{"Tasks":[],"Bugs":["b"],"Epics":[]}}',
    );
  });

  it.each([
    ['an unknown key in an entry', { EpicA: { Task: ['TaskA1'] } }, '/EpicA'],
    ['a list that is not a list', { EpicA: { Tasks: 'TaskA1' } }, '/EpicA/Tasks'],
    ['an id that is not a string', { EpicA: { Bugs: [42] } }, '/EpicA/Bugs/0'],
    ['an entry that is not an object', { EpicA: ['TaskA1'] }, '/EpicA'],
    ['an id with leading white space', { EpicA: { Tasks: [' TaskA1'] } }, '/EpicA/Tasks/0'],
    ['an id with a control character', { EpicA: { Epics: ['Epic\u0007B'] } }, '/EpicA/Epics/0'],
    ['an id of 201 characters', { EpicA: { Tasks: ['t'.repeat(201)] } }, '/EpicA/Tasks/0'],
    ['the reserved epic id', { blocked: {} }, '/blocked'],
    ['an epic id with trailing white space', { 'EpicA ': {} }, '/EpicA '],
  ])('refuses %s with 400, naming the field', async (_name, body, path) => {
    const http = await api();
    const problem = expectProblem(await http.post('/v1/backlog', body), 400);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
    expect(problem.errors?.every((error) => error.in === 'body')).toBe(true);
  });

  it('refuses an invalid __proto__ entry with 400 too', async () => {
    const response = await app().inject({
      method: 'POST',
      url: '/v1/backlog',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__":{"Tasks":[" bad"]}}',
    });
    expect(expectProblem(response, 400).errors?.[0]?.path).toBe('/__proto__/Tasks/0');
  });

  it('accepts 200 astral characters in an id', async () => {
    const http = await api();
    const id = '𝔈'.repeat(200);
    const response = await http.post('/v1/backlog', { [id]: { Tasks: [id] } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().epics[0].id).toBe(id);
  });

  it.each([
    ['a task in two epics', { A: { Tasks: ['t'] }, B: { Tasks: ['t'] } }, /Task "t" already belongs to epic "A"/],
    ['a link to an unknown epic', { A: { Epics: ['Ghost'] } }, /"Ghost", which exists neither/],
    ['a cycle', { EpicA: { Epics: ['EpicB'] }, EpicB: { Epics: ['EpicA'] } }, /EpicA -> EpicB -> EpicA/],
    ['a self-link', { EpicA: { Epics: ['EpicA'] } }, /EpicA -> EpicA/],
    [
      'a task of another epic of the backlog',
      { EpicC: { Tasks: ['TaskA1'] } },
      /"TaskA1" already belongs to epic "EpicA"/,
    ],
    ['a cycle through the backlog', { EpicB: { Epics: ['EpicA'] } }, /EpicA -> EpicB -> EpicA/],
  ])('refuses %s with 409 and writes nothing', async (_name, body, detail) => {
    const http = await api();
    await http.post('/v1/backlog', SPEC_EXAMPLE);
    const problem = expectProblem(await http.post('/v1/backlog', { EpicNew: { Tasks: ['new'] }, ...body }), 409);
    expect(problem.detail).toMatch(detail);
    expect((await http.get('/v1/backlog')).json()).toEqual(SPEC_VIEW);
  });
});

describe('PUT /v1/backlog (replace)', () => {
  it('replaces the whole backlog', async () => {
    const http = await api();
    await http.post('/v1/backlog', SPEC_EXAMPLE);
    const response = await http.put('/v1/backlog', { EpicZ: { Bugs: ['BugZ'] } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      epics: [{ id: 'EpicZ', status: 'pending_validation', tasks: [], bugs: ['BugZ'], epics: [] }],
    });
  });

  it('empties the backlog with {}', async () => {
    const http = await api();
    await http.post('/v1/backlog', SPEC_EXAMPLE);
    expect((await http.put('/v1/backlog', {})).json()).toEqual({ epics: [] });
    expect((await http.get('/v1/export')).json()).toEqual({});
  });

  it('lets a task move between epics, since the old backlog is gone', async () => {
    const http = await api();
    await http.post('/v1/backlog', SPEC_EXAMPLE);
    const response = await http.put('/v1/backlog', { EpicC: { Tasks: ['TaskA1'] } });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a bad document with 400 or 409 and keeps the old backlog', async () => {
    const http = await api();
    await http.post('/v1/backlog', SPEC_EXAMPLE);
    expectProblem(await http.put('/v1/backlog', { A: { Epics: ['A'] } }), 409);
    expectProblem(await http.put('/v1/backlog', { A: { Tasks: [1] } }), 400);
    expect((await http.get('/v1/backlog')).json()).toEqual(SPEC_VIEW);
  });
});

describe('GET /v1/export', () => {
  it('answers the dictionary format, blank links dropped, in creation order', async () => {
    const http = await api();
    await http.post('/v1/backlog', SPEC_EXAMPLE);
    const response = await http.get('/v1/export');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ...SPEC_EXAMPLE, EpicB: { ...SPEC_EXAMPLE.EpicB, Epics: [] } });
    expect(Object.keys(response.json())).toEqual(['EpicA', 'EpicB', 'EpicC', 'EpicD', 'EpicE']);
  });

  it('imports into an empty service as the same backlog', async () => {
    const first = await api();
    await first.post('/v1/backlog', SPEC_EXAMPLE);
    await first.post('/v1/epics', { id: 'EpicF', epics: ['EpicE', 'EpicA'], tasks: ['F1'] });
    await first.post('/v1/bugs', { id: 'BugB1', epic: 'EpicD' });
    const exported = (await first.get('/v1/export')).json();
    const second = client(await buildTestApp());
    expect((await second.post('/v1/backlog', exported)).json()).toEqual((await first.get('/v1/backlog')).json());
    expect((await second.get('/v1/export')).json()).toEqual(exported);
  });
});
