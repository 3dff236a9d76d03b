import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/http/json-body.js';
import { buildTestApp } from '../helpers/test-app.js';

describe('dictionary order with integer-like ids', () => {
  it('imports epics in document order and exports them in creation order', async () => {
    const app = await buildTestApp();
    const document =
      '{"b":{"Epics":["2"]},"2":{"Tasks":["x\\"}"]},"__proto__":{"Bugs":["q"]},"1":{"Epics":["b"]},"10":{}}';
    const imported = await app.inject({
      method: 'PUT',
      url: '/v1/backlog',
      headers: { 'content-type': 'application/json' },
      payload: document,
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.json().epics.map((epic: { id: string }) => epic.id)).toEqual(['b', '2', '__proto__', '1', '10']);

    const exported = await app.inject('/v1/export');
    expect(exported.headers['content-type']).toMatch(/^application\/json/);
    const keys = (await parseJson(exported.body)).entries?.map(([key]) => key);
    expect(keys).toEqual(['b', '2', '__proto__', '1', '10']);
    const reimported = await app.inject({
      method: 'PUT',
      url: '/v1/backlog',
      headers: { 'content-type': 'application/json' },
      payload: exported.body,
    });
    expect(reimported.json()).toEqual(imported.json());
  });
});
