import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ifNoneMatchMatches, strongEtag } from '../../src/http/etag.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { SPEC_EXAMPLE } from '../helpers/backlogs.js';
import { TEST_ENV } from '../helpers/test-app.js';

const KEY = 'etag-test-key';

describe('ETag on GET /v1', () => {
  let app: FastifyInstance;

  beforeEach(async () => {
    const config = loadConfig({ ...TEST_ENV, API_KEYS: KEY });
    app = await buildApp({ config, store: createMemoryStore() });
    const seeded = await app.inject({
      method: 'PUT',
      url: '/v1/backlog',
      headers: { authorization: `Bearer ${KEY}` },
      payload: SPEC_EXAMPLE,
    });
    expect(seeded.statusCode).toBe(200);
  });

  afterEach(async () => {
    await app.close();
  });

  it('tags a 200 with the strong hash of its body', async () => {
    const response = await app.inject({ url: '/v1/backlog' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toMatch(/^"[\w-]{43}"$/);
    expect(response.headers.etag).toBe(strongEtag(response.body));
  });

  it('answers 304 with no body when If-None-Match names the current tag', async () => {
    const first = await app.inject({ url: '/v1/backlog' });
    const etag = first.headers.etag as string;
    const again = await app.inject({ url: '/v1/backlog', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['content-type']).toBeUndefined();
    expect(again.headers['content-length']).toBeUndefined();
  });

  it('accepts a list of tags, weak forms and *', async () => {
    const etag = (await app.inject({ url: '/v1/backlog' })).headers.etag as string;
    for (const header of [`"other", ${etag}`, `W/${etag}`, '*']) {
      const response = await app.inject({ url: '/v1/backlog', headers: { 'if-none-match': header } });
      expect(response.statusCode, header).toBe(304);
    }
  });

  it('answers 200 with the new body and a new tag once the backlog changed', async () => {
    const before = await app.inject({ url: '/v1/backlog' });
    const removed = await app.inject({
      method: 'DELETE',
      url: '/v1/tasks/TaskA1',
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(removed.statusCode).toBe(200);
    const after = await app.inject({ url: '/v1/backlog', headers: { 'if-none-match': before.headers.etag as string } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.json().epics[0].tasks).toEqual(['TaskA2']);
  });

  it('gives the same tag to the same representation, whatever the route', async () => {
    const a = await app.inject({ url: '/v1/bugs/BugB1/blocked-epics' });
    const b = await app.inject({ url: '/v1/epics/blocked?bug_id=BugB1' });
    expect(a.statusCode).toBe(200);
    expect(a.body).toBe(b.body);
    expect(a.headers.etag).toBe(b.headers.etag);
    const conditional = await app.inject({
      url: '/v1/epics/blocked?bug_id=BugB1',
      headers: { 'if-none-match': a.headers.etag as string },
    });
    expect(conditional.statusCode).toBe(304);
  });

  it('answers a conditional HEAD with 304 and no body', async () => {
    const etag = (await app.inject({ url: '/v1/export' })).headers.etag as string;
    const head = await app.inject({ method: 'HEAD', url: '/v1/export', headers: { 'if-none-match': etag } });
    expect(head.statusCode).toBe(304);
    expect(head.body).toBe('');
  });

  it('leaves errors, mutations and routes outside /v1 untagged', async () => {
    const missing = await app.inject({ url: '/v1/epics/EpicZ' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();

    const created = await app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: { authorization: `Bearer ${KEY}` },
      payload: { id: 'TaskC1', epic: 'EpicC' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBeUndefined();

    const live = await app.inject({ url: '/livez' });
    expect(live.statusCode).toBe(200);
    expect(live.headers.etag).toBeUndefined();
  });

  it('ignores If-None-Match on a request that is refused anyway', async () => {
    const etag = (await app.inject({ url: '/v1/backlog' })).headers.etag as string;
    const refused = await app.inject({ method: 'DELETE', url: '/v1/tasks/TaskA1', headers: { 'if-none-match': etag } });
    expect(refused.statusCode).toBe(401);
  });
});

describe('ifNoneMatchMatches', () => {
  const etag = '"abc"';
  it.each([
    [undefined, false],
    ['', false],
    ['"abd"', false],
    ['abc', false],
    ['"abc"', true],
    ['W/"abc"', true],
    [' "x" , W/"abc" ', true],
    ['*', true],
  ])('%j → %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected);
  });
});
