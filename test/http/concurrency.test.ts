import { describe, expect, it } from 'vitest';
import { backlog } from '../helpers/backlogs.js';
import { client, sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp();

async function reset(dictionary: object) {
  const http = client(app());
  expect((await http.put('/v1/backlog', dictionary)).statusCode).toBe(200);
  return http;
}

function statusCounts(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('concurrent requests', () => {
  it('100 concurrent adds to one epic all land', async () => {
    const http = await reset({ EpicA: {} });
    const ids = Array.from({ length: 100 }, (_, i) => `Task${i}`);
    const responses = await Promise.all(
      ids.map((id, i) =>
        i % 2 === 0
          ? http.post('/v1/epics/EpicA', { type: 'task', id })
          : http.post('/v1/tasks', { id, epic: 'EpicA' }),
      ),
    );
    expect(statusCounts(responses.map((response) => response.statusCode))).toEqual({ 201: 100 });
    const tasks = (await http.get('/v1/epics/EpicA')).json().tasks as string[];
    expect(tasks).toHaveLength(100);
    expect(new Set(tasks)).toEqual(new Set(ids));
  });

  it('30 concurrent adds of one task id to different epics: exactly one 201, the others 409', async () => {
    const epics = Array.from({ length: 30 }, (_, i) => `Epic${i}`);
    const http = await reset(Object.fromEntries(epics.map((id) => [id, {}])));
    const responses = await Promise.all(epics.map((epic) => http.post('/v1/tasks', { id: 'TheTask', epic })));
    expect(statusCounts(responses.map((response) => response.statusCode))).toEqual({ 201: 1, 409: 29 });
    const owners = (await http.get('/v1/tasks')).json();
    expect(owners).toHaveLength(1);
    const winner = epics[responses.findIndex((response) => response.statusCode === 201)];
    expect(owners).toEqual([{ id: 'TheTask', epic: winner }]);
  });

  it('opposite links raced in parallel never both succeed', async () => {
    const pairs = Array.from({ length: 25 }, (_, i) => [`A${i}`, `B${i}`] as const);
    const http = await reset(Object.fromEntries(pairs.flat().map((id) => [id, {}])));
    const responses = await Promise.all(
      pairs.flatMap(([a, b]) => [
        http.post(`/v1/epics/${a}/epics`, { id: b }),
        http.post(`/v1/epics/${b}/epics`, { id: a }),
      ]),
    );
    for (let i = 0; i < pairs.length; i++) {
      const pair = [responses[2 * i]?.statusCode, responses[2 * i + 1]?.statusCode].sort();
      expect(pair).toEqual([201, 409]);
    }
    const exported = (await http.get('/v1/export')).json();
    // An export that imports again is a DAG: the import refuses any cycle.
    expect(() => backlog(exported)).not.toThrow();
  });

  it('a three-way cycle raced in parallel: at most two of its links land', async () => {
    const http = await reset({ A: {}, B: {}, C: {} });
    const responses = await Promise.all([
      http.post('/v1/epics/A/epics', { id: 'B' }),
      http.post('/v1/epics/B/epics', { id: 'C' }),
      http.post('/v1/epics/C/epics', { id: 'A' }),
    ]);
    expect(statusCounts(responses.map((response) => response.statusCode))).toEqual({ 201: 2, 409: 1 });
    const exported = (await http.get('/v1/export')).json();
    expect(() => backlog(exported)).not.toThrow();
  });

  it('a delete raced with links to the deleted epic leaves no dangling link', async () => {
    const parents = Array.from({ length: 20 }, (_, i) => `P${i}`);
    const http = await reset(Object.fromEntries([['Child', {}], ...parents.map((id) => [id, {}])]));
    const links = parents.map((parent) => http.post(`/v1/epics/${parent}/epics`, { id: 'Child' }));
    const deletion = http.delete('/v1/epics/Child');
    const statuses = (await Promise.all([...links, deletion])).map((response) => response.statusCode);
    expect(statuses.at(-1)).toBe(200);
    for (const status of statuses.slice(0, -1)) expect([201, 404]).toContain(status);
    const exported = (await http.get('/v1/export')).json() as Record<string, { Epics: string[] }>;
    expect(Object.values(exported).flatMap((entry) => entry.Epics)).toEqual([]);
    // The export is a valid backlog: every link names an existing epic.
    expect(() => backlog(exported)).not.toThrow();
  });
});
