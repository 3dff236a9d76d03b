import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ifNoneMatchMatches, revisionsOfIfMatch } from '../../src/http/etag.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { SPEC_EXAMPLE } from '../helpers/backlogs.js';
import { expectProblem, TEST_ENV } from '../helpers/test-app.js';

const KEY = 'etag-test-key';
const auth = { authorization: `Bearer ${KEY}` };

describe('revisions and conditional requests (SPEC section 7)', () => {
  let app: FastifyInstance;
  let seededTag: string;

  beforeEach(async () => {
    const config = loadConfig({ ...TEST_ENV, API_KEYS: KEY });
    app = await buildApp({ config, store: createMemoryStore() });
    const seeded = await app.inject({ method: 'PUT', url: '/v1/backlog', headers: auth, payload: SPEC_EXAMPLE });
    expect(seeded.statusCode).toBe(200);
    seededTag = seeded.headers.etag as string;
  });

  afterEach(async () => {
    await app.close();
  });

  const exported = async () => (await app.inject({ url: '/v1/export' })).json();

  it('tags every /v1 answer with the revision it was built from: reads and mutations alike', async () => {
    expect(seededTag).toMatch(/^"\d+"$/);
    for (const url of ['/v1/backlog', '/v1/epics', '/v1/epics/EpicA', '/v1/tasks', '/v1/bugs', '/v1/export']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers.etag, url).toBe(seededTag);
    }
    const created = await app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: auth,
      payload: { id: 'T', epic: 'EpicC' },
    });
    expect(created.statusCode).toBe(201);
    const next = Number(JSON.parse(seededTag)) + 1;
    expect(created.headers.etag).toBe(`"${next}"`);
    expect((await app.inject({ url: '/v1/backlog' })).headers.etag).toBe(`"${next}"`);
  });

  it('answers 304 with no body when If-None-Match names the current revision, before any view is built', async () => {
    const answer = vi.spyOn(app.backlogBodies, 'answer');
    const again = await app.inject({ url: '/v1/backlog', headers: { 'if-none-match': seededTag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(seededTag);
    expect(again.headers['content-type']).toBeUndefined();
    expect(answer).not.toHaveBeenCalled();
  });

  it('accepts a list of tags, weak forms and * in If-None-Match', async () => {
    for (const header of [`"other", ${seededTag}`, `W/${seededTag}`, '*']) {
      const response = await app.inject({ url: '/v1/backlog', headers: { 'if-none-match': header } });
      expect(response.statusCode, header).toBe(304);
    }
  });

  it('answers 200, the new body and the next revision once the backlog changed', async () => {
    const removed = await app.inject({ method: 'DELETE', url: '/v1/tasks/TaskA1', headers: auth });
    expect(removed.statusCode).toBe(200);
    const after = await app.inject({ url: '/v1/backlog', headers: { 'if-none-match': seededTag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).toBe(removed.headers.etag);
    expect(after.json().epics[0].tasks).toEqual(['TaskA2']);
  });

  it('answers a conditional HEAD with 304 and no body', async () => {
    const head = await app.inject({ method: 'HEAD', url: '/v1/export', headers: { 'if-none-match': seededTag } });
    expect(head.statusCode).toBe(304);
    expect(head.body).toBe('');
  });

  it('leaves errors and routes outside /v1 untagged', async () => {
    const missing = await app.inject({ url: '/v1/epics/EpicZ' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    const live = await app.inject({ url: '/livez' });
    expect(live.headers.etag).toBeUndefined();
  });

  it('commits a mutation whose If-Match names the current revision (or *)', async () => {
    const linked = await app.inject({
      method: 'POST',
      url: '/v1/epics/EpicE/epics',
      headers: { ...auth, 'if-match': seededTag },
      payload: { id: 'EpicC' },
    });
    expect(linked.statusCode).toBe(201);
    const any = await app.inject({ method: 'DELETE', url: '/v1/bugs/BugE1', headers: { ...auth, 'if-match': '*' } });
    expect(any.statusCode).toBe(200);
    expect((await exported()).EpicE).toEqual({ Tasks: [], Bugs: [], Epics: ['EpicC'] });
  });

  it('refuses a mutation whose If-Match names an older revision with 412, and writes nothing', async () => {
    await app.inject({ method: 'DELETE', url: '/v1/tasks/TaskA1', headers: auth });
    const before = await exported();
    for (const ifMatch of [seededTag, `W/${seededTag}`, '"not-a-revision"']) {
      const stale = await app.inject({
        method: 'DELETE',
        url: '/v1/tasks/TaskA2',
        headers: { ...auth, 'if-match': ifMatch },
      });
      const problem = expectProblem(stale, 412);
      expect(problem.detail).toMatch(/moved on to revision \d+.*nothing was written/);
      expect(stale.headers.etag).toBeUndefined();
    }
    expect(await exported()).toEqual(before);
    expect(before.EpicA.Tasks).toEqual(['TaskA2']);
  });

  it('answers Prefer: return=minimal with 204, the new ETag and no body, and commits', async () => {
    const minimal = await app.inject({
      method: 'POST',
      url: '/v1/epics',
      headers: { ...auth, prefer: 'return=minimal' },
      payload: { id: 'EpicF', tasks: ['TaskF1'] },
    });
    expect(minimal.statusCode).toBe(204);
    expect(minimal.body).toBe('');
    expect(minimal.headers['preference-applied']).toBe('return=minimal');
    expect(minimal.headers.location).toBe('/v1/epics/EpicF');
    expect(minimal.headers.etag).toBe(`"${Number(JSON.parse(seededTag)) + 1}"`);
    expect((await exported()).EpicF).toEqual({ Tasks: ['TaskF1'], Bugs: [], Epics: [] });
    const full = await app.inject({
      method: 'DELETE',
      url: '/v1/tasks/TaskF1',
      headers: { ...auth, prefer: 'handling=lenient' },
    });
    expect(full.statusCode).toBe(200);
    expect(full.json().epics.at(-1)).toMatchObject({ id: 'EpicF', status: 'completed', tasks: [] });
  });

  it('names what a 201 created in Location, ids percent-encoded', async () => {
    const cases = [
      { url: '/v1/epics', payload: { id: 'Épique 1/2' }, location: '/v1/epics/%C3%89pique%201%2F2' },
      { url: '/v1/tasks', payload: { id: 'T 1', epic: 'EpicC' }, location: '/v1/tasks/T%201' },
      { url: '/v1/bugs', payload: { id: 'B?', epic: 'EpicC' }, location: '/v1/bugs/B%3F' },
      { url: '/v1/epics/EpicC', payload: { type: 'task', id: 'T2' }, location: '/v1/tasks/T2' },
      { url: '/v1/epics/EpicC/bugs', payload: { id: 'B2' }, location: '/v1/bugs/B2' },
      { url: '/v1/epics/EpicE/epics', payload: { id: 'EpicC' }, location: '/v1/epics/EpicE/epics/EpicC' },
    ];
    for (const { url, payload, location } of cases) {
      const response = await app.inject({ method: 'POST', url, headers: auth, payload });
      expect(response.statusCode, url).toBe(201);
      expect(response.headers.location, url).toBe(location);
    }
  });

  it('compresses the backlog with gzip or br when accepted, and makes each form once per revision', async () => {
    const plain = await app.inject({ url: '/v1/backlog' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    // Large enough to be worth compressing.
    const tasks = Array.from({ length: 200 }, (_, i) => `Task-${i}`);
    await app.inject({ method: 'POST', url: '/v1/epics', headers: auth, payload: { id: 'Big', tasks } });
    const expected = (await app.inject({ url: '/v1/backlog' })).json();
    const gzip = await app.inject({ url: '/v1/backlog', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(expected);
    const br = await app.inject({ url: '/v1/backlog', headers: { 'accept-encoding': 'br;q=1, gzip;q=0.5' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(expected);
    const { backlog, revision } = await app.store.read();
    const first = await app.backlogBodies.answer({ backlog, revision }, 'gzip');
    const second = await app.backlogBodies.answer({ backlog, revision }, 'gzip');
    expect(second.body).toBe(first.body);
  });

  it('serialises again only the epics whose view changed after a commit', async () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    await app.inject({ url: '/v1/backlog' });
    stringify.mockClear();
    await app.inject({ method: 'DELETE', url: '/v1/tasks/TaskB1', headers: { ...auth, prefer: 'return=minimal' } });
    await app.inject({ method: 'DELETE', url: '/v1/tasks/TaskB2', headers: { ...auth, prefer: 'return=minimal' } });
    stringify.mockClear();
    const body = (await app.inject({ url: '/v1/backlog' })).json();
    const epicViews = stringify.mock.calls.filter(([value]) => (value as { id?: string })?.id !== undefined);
    // EpicB lost its tasks (wip -> pending_validation); EpicA keeps its own tasks and its view: one epic, not five.
    expect(epicViews.map(([value]) => (value as { id: string }).id)).toEqual(['EpicB']);
    expect(body.epics[1]).toMatchObject({ id: 'EpicB', status: 'pending_validation', tasks: [] });
    stringify.mockRestore();
  });
});

describe('ifNoneMatchMatches', () => {
  const etag = '"12"';
  it.each([
    [undefined, false],
    ['', false],
    ['"13"', false],
    ['12', false],
    ['"12"', true],
    ['W/"12"', true],
    [' "x" , W/"12" ', true],
    ['*', true],
  ])('%j → %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected);
  });
});

describe('revisionsOfIfMatch', () => {
  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"12"', [12]],
    ['"12", "13"', [12, 13]],
    ['W/"12"', []],
    ['"abc"', []],
    ['12', []],
  ])('%j → %j', (header, expected) => {
    expect(revisionsOfIfMatch(header)).toEqual(expected);
  });
});
