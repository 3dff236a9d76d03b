import { describe, expect, it } from 'vitest';
import { seedSpecExample } from '../helpers/api-routes.js';
import { client, expectProblem, sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp();

/** The shared app, its backlog reset to the SPEC example. */
async function seeded() {
  await seedSpecExample(app());
  return client(app());
}

describe('GET /v1/bugs', () => {
  it('lists every bug with the epics that report it', async () => {
    const http = await seeded();
    await http.post('/v1/bugs', { id: 'BugB1', epic: 'EpicD' });
    const response = await http.get('/v1/bugs');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { id: 'BugB1', epics: ['EpicB', 'EpicD'] },
      { id: 'BugE1', epics: ['EpicE'] },
    ]);
  });
});

describe('POST /v1/bugs', () => {
  it('reports the bug, again in another epic', async () => {
    const http = await seeded();
    const first = await http.post('/v1/bugs', { id: 'BugC1', epic: 'EpicC' });
    expect(first.statusCode).toBe(201);
    expect(first.json().epics[2]).toMatchObject({ id: 'EpicC', status: 'pending_validation', bugs: ['BugC1'] });
    const again = await http.post('/v1/bugs', { id: 'BugC1', epic: 'EpicE' });
    expect(again.statusCode).toBe(201);
    expect(again.json().epics[4]).toMatchObject({ id: 'EpicE', bugs: ['BugE1', 'BugC1'] });
  });

  it('answers 400, 404 and 409', async () => {
    const http = await seeded();
    expectProblem(await http.post('/v1/bugs', { id: 'BugC1' }), 400);
    expectProblem(await http.post('/v1/bugs', { id: ' BugC1', epic: 'EpicC' }), 400);
    expectProblem(await http.post('/v1/bugs', { id: 'BugC1', epic: 'EpicC', severity: 1 }), 400);
    expectProblem(await http.post('/v1/bugs', { id: 'BugC1', epic: 'Ghost' }), 404);
    expect(expectProblem(await http.post('/v1/bugs', { id: 'BugB1', epic: 'EpicB' }), 409).detail).toMatch(
      /"BugB1" is already reported in epic "EpicB"/,
    );
  });
});

describe('DELETE /v1/bugs/{bugId}', () => {
  it('marks the bug fixed, removing it from every epic', async () => {
    const http = await seeded();
    await http.post('/v1/bugs', { id: 'BugE1', epic: 'EpicC' });
    const response = await http.delete('/v1/bugs/BugE1');
    expect(response.statusCode).toBe(200);
    const epics = response.json().epics;
    expect(epics[2]).toEqual({ id: 'EpicC', status: 'completed', tasks: [], bugs: [], epics: [] });
    expect(epics[4]).toEqual({ id: 'EpicE', status: 'completed', tasks: [], bugs: [], epics: [] });
    expect((await http.get('/v1/bugs')).json()).toEqual([{ id: 'BugB1', epics: ['EpicB'] }]);
  });

  it('answers 404 for an unknown bug and 400 for a bad id', async () => {
    const http = await seeded();
    expect(expectProblem(await http.delete('/v1/bugs/Ghost'), 404).detail).toBe('Bug "Ghost" does not exist');
    expectProblem(await http.delete(`/v1/bugs/${'b'.repeat(201)}`), 400);
  });
});

describe('GET /v1/bugs/{bugId}/blocked-epics', () => {
  it('answers the same as /v1/epics/blocked?bug_id=', async () => {
    const http = await seeded();
    await http.post('/v1/epics', { id: 'EpicF', epics: ['EpicA', 'EpicE'] });
    await http.post('/v1/bugs', { id: 'BugB1', epic: 'EpicE' });
    const response = await http.get('/v1/bugs/BugB1/blocked-epics');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      bug: 'BugB1',
      blocked: [
        { id: 'EpicA', status: 'wip' },
        { id: 'EpicB', status: 'wip' },
        { id: 'EpicE', status: 'pending_validation' },
        { id: 'EpicF', status: 'blocked' },
      ],
      highest: ['EpicF'],
    });
    expect(response.json()).toEqual((await http.get('/v1/epics/blocked?bug_id=BugB1')).json());
  });

  it('lists every blocked epic that no blocked epic links to as highest', async () => {
    const http = await seeded();
    await http.post('/v1/bugs', { id: 'BugB1', epic: 'EpicC' });
    await http.post('/v1/bugs', { id: 'BugB1', epic: 'EpicE' });
    expect((await http.get('/v1/bugs/BugB1/blocked-epics')).json().highest).toEqual(['EpicA', 'EpicD', 'EpicE']);
  });

  it('answers 404 for an unknown bug and 400 for a bad id', async () => {
    const http = await seeded();
    expectProblem(await http.get('/v1/bugs/Ghost/blocked-epics'), 404);
    expectProblem(await http.get('/v1/bugs/%09x/blocked-epics'), 400);
  });
});
