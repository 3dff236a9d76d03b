import { describe, expect, it } from 'vitest';
import { idProblem } from '../../src/domain/ids.js';
import { backlogFromDictionary, InvalidId } from '../../src/domain/index.js';
import { expectProblem } from '../helpers/test-app.js';
import { exported, seededReplicas } from './replicas.js';

// Issue 12, case 1: BSON is UTF-8, so MongoDB stored `t\ud800` and `t\ud801` both as `t\ufffd`.
const LONE_SURROGATES = ['t\ud800', 't\ud801', '\udc00', 'a\udfff\ud800b'];

const SEED = { E1: { Tasks: ['T1'] }, E2: {} };

const requests = (id: string): [string, string, string, unknown][] => [
  ['a new epic', 'POST', '/v1/epics', { id }],
  ['a task of a new epic', 'POST', '/v1/epics', { id: 'E3', tasks: [id] }],
  ['a task', 'POST', '/v1/tasks', { id, epic: 'E1' }],
  ['a task added to an epic', 'POST', '/v1/epics/E1', { type: 'task', id }],
  ['a bug', 'POST', '/v1/bugs', { id, epic: 'E1' }],
  ['a bug of an epic', 'POST', '/v1/epics/E1/bugs', { id }],
  ['a child link', 'POST', '/v1/epics/E1/epics', { id }],
  ['an imported epic', 'POST', '/v1/backlog', { [id]: {} }],
  ['an imported task', 'POST', '/v1/backlog', { E3: { Tasks: [id] } }],
  ['a replacing backlog', 'PUT', '/v1/backlog', { E3: { Bugs: [id] } }],
];

describe('ids are stored exactly as sent (issue 12, case 1)', () => {
  const replicas = seededReplicas(SEED);

  it.each(LONE_SURROGATES)(
    'refuses the ill-formed id %j everywhere with a 400 naming it; nothing stored',
    async (id) => {
      const before = await exported(replicas().writer);
      for (const [what, method, url, payload] of requests(id)) {
        const response = await replicas().writer.inject({ method: method as 'POST', url, payload: payload as object });
        const problem = expectProblem(response, 400);
        expect(problem.detail, what).toContain(JSON.stringify(id).slice(1, -1));
        expect(problem.detail, what).toMatch(/well-formed Unicode/);
      }
      expect(await exported(await replicas().readBack())).toEqual(before);
    },
  );

  it('keeps two tasks that differ only in a lone surrogate from becoming one: both refused, every replica serves', async () => {
    const first = await replicas().writer.inject({
      method: 'POST',
      url: '/v1/tasks',
      payload: { id: 't\ud800', epic: 'E1' },
    });
    const second = await replicas().writer.inject({
      method: 'POST',
      url: '/v1/tasks',
      payload: { id: 't\ud801', epic: 'E2' },
    });
    expectProblem(first, 400);
    expectProblem(second, 400);
    const reader = await replicas().readBack();
    expect((await reader.inject({ url: '/v1/tasks' })).json()).toEqual([{ id: 'T1', epic: 'E1' }]);
    expect((await reader.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('stores, answers and matches well-formed unusual ids exactly, on another replica too', async () => {
    const ids = ['t😀', '\u{10ffff}', 'e\u0301', '\u00e9', 'ﬀ', '\u200b', 'a b', '__proto__', 'τ/%?#'];
    const created = await replicas().writer.inject({
      method: 'POST',
      url: '/v1/epics',
      payload: { id: 'E3', tasks: ids },
    });
    expect(created.statusCode, created.body).toBe(201);
    const reader = await replicas().readBack();
    const tasks = (await reader.inject({ url: '/v1/epics/E3' })).json().tasks as string[];
    expect(tasks).toEqual(ids);
    for (const id of ids) {
      const done = await reader.inject({ method: 'DELETE', url: `/v1/tasks/${encodeURIComponent(id)}` });
      expect(done.statusCode, `${JSON.stringify(id)}: ${done.body}`).toBe(200);
    }
    expect((await reader.inject({ url: '/v1/epics/E3' })).json().tasks).toEqual([]);
  });

  it('answers a path id that is not percent-encoded UTF-8 with a 400 naming it', async () => {
    const problem = expectProblem(
      await replicas().writer.inject({ method: 'DELETE', url: '/v1/tasks/t%ED%A0%80' }),
      400,
    );
    expect(problem.detail).toContain('t%ED%A0%80');
    expect(problem.detail).toMatch(/well-formed Unicode/);
  });
});

describe('the one id rule', () => {
  it('refuses lone surrogates with a reason, and so do the decoders of stored backlogs', () => {
    for (const id of LONE_SURROGATES) expect(idProblem(id)).toMatch(/well-formed Unicode/);
    expect(idProblem('t😀')).toBeUndefined();
    expect(() => backlogFromDictionary([['E1', { Tasks: ['t\ud800'] }]])).toThrow(InvalidId);
    expect(() => backlogFromDictionary([['E\udc00', {}]])).toThrow(InvalidId);
  });
});
