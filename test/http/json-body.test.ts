import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { RequestInvalid } from '../../src/http/http-errors.js';
import { parseJson } from '../../src/http/json-body.js';
import { SPEC_EXAMPLE } from '../helpers/backlogs.js';
import { expectProblem, sharedTestApp } from '../helpers/test-app.js';

async function refusal(text: string): Promise<RequestInvalid> {
  const error = await parseJson(text).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RequestInvalid);
  return error as RequestInvalid;
}

describe('parseJson', () => {
  it('gives the members of a top-level object in document order, past nested values and escaped quotes', async () => {
    const { entries } = await parseJson(
      ' { "a" : {"x": {"y": 1}}, "b\\"c": ["d", {"e": 2}], "3": "f,g", "__proto__": {"Tasks": []}, "1": null } ',
    );
    expect(entries?.map(([key]) => key)).toEqual(['a', 'b"c', '3', '__proto__', '1']);
    expect(entries?.[1]).toEqual(['b"c', ['d', { e: 2 }]]);
  });

  it('gives no entries for a body that is not an object', async () => {
    expect(await parseJson('[{"a": 1}]')).toEqual({ value: [{ a: 1 }], entries: undefined });
    expect(await parseJson('"x"')).toEqual({ value: 'x', entries: undefined });
  });

  it('keeps __proto__ as an own property, never as the prototype', async () => {
    const { value, entries } = await parseJson('{"__proto__": {"polluted": true}, "a": {"__proto__": []}}');
    const body = value as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.keys(body)).toEqual(['__proto__', 'a']);
    expect(Object.hasOwn(body.a as object, '__proto__')).toBe(true);
    expect(entries?.[0]?.[1]).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a key twice at the top', '{"Dup": {}, "EpicB": {}, "Dup": {"Tasks": ["t"]}}', '/Dup', 'Dup'],
    ['a list twice in an epic', '{"EpicA": {"Tasks": ["t1"], "Bugs": [], "Tasks": ["t2"]}}', '/EpicA/Tasks', 'Tasks'],
    ['a key twice inside an array', '{"a": [1, {"x": 1, "x": 2}]}', '/a/1/x', 'x'],
    ['__proto__ twice', '{"__proto__": {}, "__proto__": {}}', '/__proto__', '__proto__'],
    ['an integer-like key twice', '{"10": {}, "2": {}, "10": {}}', '/10', '10'],
  ])('refuses %s, naming the key and where it is', async (_name, text, path, key) => {
    const { errors } = await refusal(text);
    expect(errors).toEqual([{ in: 'body', path, message: expect.stringContaining(JSON.stringify(key)) }]);
  });

  it('reads as JSON.parse does whatever JSON without repeated keys it is given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 4 }), async (text) => {
        expect((await parseJson(text)).value).toEqual(JSON.parse(text));
      }),
    );
  });

  it.each([
    ['trailing comma', '{"a": 1,}'],
    ['missing colon', '{"a" 1}'],
    ['unclosed object', '{"a": 1'],
    ['unclosed string', '{"a": "x'],
    ['two values', '{} {}'],
    ['a bad literal', '[tru]'],
    ['a bad number', '[01]'],
    ['a bad escape', '["\\x"]'],
    ['a raw control character', '["a\u0001"]'],
    ['a single quote', "{'a': 1}"],
    ['a key that is not a string', '{1: 2}'],
    ['nothing but space', '  '],
  ])('refuses malformed JSON (%s) as JSON.parse does', async (_name, text) => {
    expect(() => JSON.parse(text)).toThrow();
    await expect(parseJson(text)).rejects.toMatchObject({ code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
  });

  it('reads 100,000 nested arrays without recursion', async () => {
    const { value } = await parseJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    let depth = 0;
    for (let level = value; Array.isArray(level); level = level[0]) depth++;
    expect(depth).toBe(100_000);
  });
});

describe('JSON bodies over HTTP', () => {
  const app = sharedTestApp();
  const send = (method: 'POST' | 'PUT', url: string, payload: string | Buffer) =>
    app().inject({ method, url, headers: { 'content-type': 'application/json' }, payload });
  const exported = async () => (await app().inject('/v1/export')).body;

  beforeEach(async () => {
    expect((await send('PUT', '/v1/backlog', JSON.stringify(SPEC_EXAMPLE))).statusCode).toBe(200);
  });

  it.each([
    [
      'an import with an epic twice',
      'POST',
      '/v1/backlog',
      '{"Dup": {"Tasks": ["t1"]}, "Dup": {"Tasks": ["t2"]}}',
      '/Dup',
    ],
    [
      'a replacement with Tasks twice in an epic',
      'PUT',
      '/v1/backlog',
      '{"EpicA": {"Tasks": [], "Tasks": ["t"]}}',
      '/EpicA/Tasks',
    ],
    ['an epic creation with its id twice', 'POST', '/v1/epics', '{"id": "EpicX", "id": "EpicY"}', '/id'],
  ] as const)('refuses %s with 400 naming the key, and stores nothing', async (_name, method, url, payload, path) => {
    const before = await exported();
    const problem = expectProblem(await send(method, url, payload), 400);
    expect(problem.errors).toEqual([{ in: 'body', path, message: expect.stringMatching(/given twice/) }]);
    expect(await exported()).toBe(before);
  });

  it('refuses a body that is not UTF-8 with 400, and stores nothing', async () => {
    const before = await exported();
    const payload = Buffer.concat([Buffer.from('{"Epic'), Buffer.from([0xff, 0xfe]), Buffer.from('": {}}')]);
    const problem = expectProblem(await send('POST', '/v1/backlog', payload), 400);
    expect(problem.errors).toEqual([{ in: 'body', path: '/', message: 'is not valid UTF-8' }]);
    expect(await exported()).toBe(before);
  });

  it('reads UTF-8 ids as sent, a byte order mark ignored', async () => {
    const payload = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"épique 史诗": {"Tasks": ["😀"]}}')]);
    expect((await send('PUT', '/v1/backlog', payload)).statusCode).toBe(200);
    expect(JSON.parse(await exported())).toEqual({ 'épique 史诗': { Tasks: ['😀'], Bugs: [], Epics: [] } });
  });
});
