import { describe, expect, it } from 'vitest';
import { expectProblem } from '../helpers/test-app.js';
import { exported, seededReplicas } from './replicas.js';

// Issue 12, case 11: `{"Dup":{"Tasks":["T1"]},"Dup":{"Tasks":["T2"]}}` imported only T2.
const SEED = { E1: { Tasks: ['T0'] } };

const REPEATED: [string, string, string, string, string][] = [
  ['an epic twice in an import', 'Dup', 'POST', '/v1/backlog', '{"Dup":{"Tasks":["T1"]},"Dup":{"Tasks":["T2"]}}'],
  [
    'an epic twice in a replacing backlog',
    'Dup',
    'PUT',
    '/v1/backlog',
    '{"Dup":{"Tasks":["T1"]},"Dup":{"Tasks":["T2"]}}',
  ],
  ['Tasks twice in an imported epic', 'Tasks', 'POST', '/v1/backlog', '{"E2":{"Tasks":["T1"],"Tasks":["T2"]}}'],
  ['a repeated key deep inside', 'Bugs', 'POST', '/v1/backlog', '{"E2":{"Bugs":[],"Epics":[],"Bugs":["B1"]}}'],
  ['`__proto__` twice', '__proto__', 'POST', '/v1/backlog', '{"__proto__":{},"__proto__":{"Tasks":["T1"]}}'],
  ['id twice in a new epic', 'id', 'POST', '/v1/epics', '{"id":"E2","id":"E3"}'],
  ['tasks twice in a new epic', 'tasks', 'POST', '/v1/epics', '{"id":"E2","tasks":["T1"],"tasks":["T2"]}'],
  ['epic twice in a new task', 'epic', 'POST', '/v1/tasks', '{"id":"T1","epic":"E1","epic":"E2"}'],
  ['type twice in an epic item', 'type', 'POST', '/v1/epics/E1', '{"type":"bug","id":"B1","type":"task"}'],
];

describe('a key repeated inside one JSON object (issue 12, case 11)', () => {
  const replicas = seededReplicas(SEED);

  it.each(REPEATED)('refuses %s with a 400 naming %s; nothing stored', async (_what, key, method, url, body) => {
    const answer = await replicas().writer.inject({
      method: method as 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(expectProblem(answer, 400).detail).toContain(JSON.stringify(key));
    expect(await exported(await replicas().readBack())).toEqual({ E1: { Tasks: ['T0'], Bugs: [], Epics: [] } });
  });
});
