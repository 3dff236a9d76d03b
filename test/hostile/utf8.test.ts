import { beforeAll, describe, expect, it } from 'vitest';
import { describeRoute, seedSpecExample, WITH_BODY } from '../helpers/api-routes.js';
import { expectProblem, sharedTestApp } from '../helpers/test-app.js';

// Issue 12, case 9: bytes that are not UTF-8 were replaced by U+FFFD and stored (201).
const NOT_UTF8: [string, number[]][] = [
  ['a lone continuation byte', [0x80]],
  ['a byte never in UTF-8', [0xff]],
  ['a truncated sequence', [0xe2, 0x82]],
  ['an overlong encoding', [0xc0, 0xaf]],
  ['an encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
];

/** The route's own body with the bytes put inside its first string. */
function bodyWith(body: unknown, bytes: number[]): Buffer {
  const text = JSON.stringify(body);
  const at = text.indexOf('"') + 1;
  return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]);
}

describe('bodies that are not UTF-8 (issue 12, case 9)', () => {
  const app = sharedTestApp();
  let before: string;
  beforeAll(async () => {
    await seedSpecExample(app());
    before = (await app().inject({ url: '/v1/export' })).body;
  });

  describe.each(WITH_BODY.map((route) => [describeRoute(route), route] as const))('%s', (_name, route) => {
    it.each(NOT_UTF8)('answers %s with a 400 and writes nothing', async (_what, bytes) => {
      const answer = await app().inject({
        method: route.method,
        url: route.url,
        headers: { 'content-type': 'application/json' },
        payload: bodyWith(route.body, bytes),
      });
      expect(expectProblem(answer, 400).detail).toMatch(/not valid UTF-8/);
      expect((await app().inject({ url: '/v1/export' })).body).toBe(before);
    });
  });

  it('still takes any well-formed UTF-8, stored exactly', async () => {
    const id = 'Ép🚀ïc\u4e2d';
    const answer = await app().inject({
      method: 'POST',
      url: '/v1/epics',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: Buffer.from(JSON.stringify({ id })),
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect((await app().inject({ url: `/v1/epics/${encodeURIComponent(id)}` })).json().id).toBe(id);
  });
});
