import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type BacklogEvent, type BacklogStore, createEpic } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { buildTestApp, client, expectProblem, TEST_ENV } from '../helpers/test-app.js';

const DAY_MS = 86_400_000;

let opened: FastifyInstance | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
  vi.useRealTimers();
});

/** The app with two keys (one named, one bare) on `store`, logging into the returned lines. */
async function withKeys(store: BacklogStore = createMemoryStore(), env: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const config = loadConfig({ ...TEST_ENV, API_KEYS: 'alice:alice-s3cret-key,bare-s3cret-key', ...env });
  opened = await buildApp({ config, store, logger });
  return { app: opened, lines };
}

async function allEvents(app: FastifyInstance, headers: Record<string, string> = {}): Promise<BacklogEvent[]> {
  const response = await app.inject({ url: '/v1/events?limit=1000', headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().events;
}

describe('actors (SPEC section 8)', () => {
  it('records the name of the key in the event and the log line, never the key', async () => {
    const store = createMemoryStore();
    const { app, lines } = await withKeys(store);
    const alice = client(app, { authorization: 'Bearer alice-s3cret-key' });
    const bare = client(app, { authorization: 'Bearer bare-s3cret-key' });
    expect((await alice.post('/v1/epics', { id: 'EpicA', tasks: ['T1'] })).statusCode).toBe(201);
    expect((await bare.delete('/v1/tasks/T1')).statusCode).toBe(200);

    const events = await allEvents(app);
    expect(events.map((event) => [event.actor, event.operation])).toEqual([
      ['alice', { method: 'POST', route: '/v1/epics', ids: ['EpicA'] }],
      ['key-2', { method: 'DELETE', route: '/v1/tasks/{taskId}', ids: ['T1'] }],
    ]);
    // Read back from the store itself, and from every log line: no key anywhere.
    const stored = await store.events(undefined, 1000);
    expect(stored.events.map((event) => event.actor)).toEqual(['alice', 'key-2']);
    expect(JSON.stringify(stored)).not.toContain('s3cret');
    const requestLines = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request completed');
    expect(requestLines.map((line) => [line.method, line.actor])).toEqual([
      ['POST', 'alice'],
      ['DELETE', 'key-2'],
      ['GET', null],
    ]);
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('is null without auth, and for a read that needs no key', async () => {
    const app = await buildTestApp();
    expect((await client(app).post('/v1/epics', { id: 'EpicA' })).statusCode).toBe(201);
    expect((await allEvents(app)).map((event) => event.actor)).toEqual([null]);
  });

  it('refuses a request with a wrong key, writing no event', async () => {
    const { app } = await withKeys();
    const response = await client(app, { authorization: 'Bearer nope' }).post('/v1/epics', { id: 'EpicA' });
    expectProblem(response, 401);
    expect(await allEvents(app)).toEqual([]);
  });

  it('asks a key to read the events and the history with AUTH_READS', async () => {
    const { app } = await withKeys(createMemoryStore(), { AUTH_READS: 'true' });
    for (const url of ['/v1/events', '/v1/events/stream', '/v1/epics/EpicA/history']) {
      expectProblem(await app.inject({ url }), 401);
    }
    const alice = { authorization: 'Bearer alice-s3cret-key' };
    expect((await client(app, alice).post('/v1/epics', { id: 'EpicA' })).statusCode).toBe(201);
    expect(await allEvents(app, alice)).toHaveLength(1);
    expect((await app.inject({ url: '/v1/epics/EpicA/history', headers: alice })).statusCode).toBe(200);
  });
});

describe('GET /v1/events', () => {
  it('pages through the events in order: `next` is the `after` of the next page, null on the last', async () => {
    const app = await buildTestApp();
    const http = client(app);
    const { revision } = await app.store.read();
    for (let i = 0; i < 7; i++) expect((await http.post('/v1/epics', { id: `E${i}` })).statusCode).toBe(201);

    const seen: number[] = [];
    let after: number | null = revision;
    let pages = 0;
    while (after !== null) {
      const response = await http.get(`/v1/events?after=${after}&limit=3`);
      expect(response.statusCode).toBe(200);
      const page = response.json() as { events: BacklogEvent[]; next: number | null };
      expect(page.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.events.map((event) => event.seq));
      after = page.next;
      if (after !== null) expect(after).toBe(page.events.at(-1)?.seq);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => revision + 1 + i));
    // Without `after`: from the oldest kept; the default page is 100.
    expect((await http.get('/v1/events')).json().events).toHaveLength(7);
    expect((await http.get(`/v1/events?after=${revision + 7}`)).json()).toEqual({ events: [], next: null });
  });

  it('holds 100 events by default and 1000 at most', async () => {
    const app = await buildTestApp();
    const { revision } = await app.store.read();
    for (let i = 0; i < 101; i++) await app.store.update((b) => createEpic(b, { id: `E${i}` }));
    const page = (await client(app).get(`/v1/events?after=${revision}`)).json();
    expect(page.events).toHaveLength(100);
    expect(page.next).toBe(revision + 100);
  });

  it.each([
    ['limit=0', /limit/],
    ['limit=1001', /limit/],
    ['limit=ten', /limit/],
    ['after=-1', /after/],
    ['after=1.5', /after/],
    ['after=99999999999999999999', /after/],
    ['since=1', /unknown query parameter "since"/],
  ])('answers 400 to ?%s', async (query, message) => {
    const app = await buildTestApp();
    expect(expectProblem(await client(app).get(`/v1/events?${query}`), 400).detail).toMatch(message);
  });

  it('answers 304 to If-None-Match while nothing committed, 200 once something did', async () => {
    const app = await buildTestApp();
    const first = await client(app).get('/v1/events');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"\d+"$/);
    const again = await app.inject({ url: '/v1/events', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect((await client(app).post('/v1/epics', { id: 'EpicA' })).statusCode).toBe(201);
    const moved = await app.inject({ url: '/v1/events', headers: { 'if-none-match': etag } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().events).toHaveLength(1);
  });

  it('answers 410 naming the oldest `after` still answered, once older events are pruned', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const store = createMemoryStore(undefined, { eventsRetentionMs: DAY_MS });
    const app = await buildTestApp({}, store);
    const http = client(app);
    const { revision } = await store.read();
    expect((await http.post('/v1/epics', { id: 'Old' })).statusCode).toBe(201);
    vi.setSystemTime(new Date('2026-01-03T00:00:00Z'));
    expect((await http.post('/v1/epics', { id: 'New' })).statusCode).toBe(201);

    const gone = expectProblem(await http.get(`/v1/events?after=${revision}`), 410);
    expect(gone.type).toBe('/problems/events-pruned');
    expect(gone.detail).toContain(`the oldest after still answered is ${revision + 1}`);
    expect(gone.detail).toContain(`after seq ${revision}`);
    // From the oldest after still answered: the event kept.
    const kept = (await http.get(`/v1/events?after=${revision + 1}`)).json();
    expect(kept.events.map((event: BacklogEvent) => event.changes)).toEqual([
      [{ epic: 'New', from: null, to: 'completed' }],
    ]);
    // The problem type has its page.
    expect(
      (await app.inject({ url: '/problems/events-pruned', headers: { accept: 'application/json' } })).json(),
    ).toMatchObject({ status: 410, title: 'Events pruned' });
  });
});

describe('GET /v1/epics/{epicId}/history', () => {
  it('is the timeline of a created, changed and deleted epic, oldest first', async () => {
    const { app } = await withKeys();
    const alice = client(app, { authorization: 'Bearer alice-s3cret-key' });
    const bare = client(app, { authorization: 'Bearer bare-s3cret-key' });
    expect((await alice.post('/v1/epics', { id: 'Child', tasks: ['T1'] })).statusCode).toBe(201);
    expect((await alice.post('/v1/epics', { id: 'Parent', epics: ['Child'] })).statusCode).toBe(201);
    expect((await bare.post('/v1/bugs', { id: 'B1', epic: 'Child' })).statusCode).toBe(201);
    expect((await bare.delete('/v1/tasks/T1')).statusCode).toBe(200);
    expect((await alice.delete('/v1/bugs/B1')).statusCode).toBe(200);
    expect((await alice.delete('/v1/epics/Parent')).statusCode).toBe(200);

    const history = (await alice.get('/v1/epics/Parent/history')).json();
    expect(history.map(({ from, to, actor }: Record<string, unknown>) => ({ from, to, actor }))).toEqual([
      { from: null, to: 'blocked', actor: 'alice' },
      { from: 'blocked', to: 'pending_validation', actor: 'key-2' },
      { from: 'pending_validation', to: 'completed', actor: 'alice' },
      { from: 'completed', to: null, actor: 'alice' },
    ]);
    const seqs = history.map((entry: { seq: number }) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const events = await allEvents(app);
    for (const entry of history) {
      const event = events.find((candidate) => candidate.seq === entry.seq);
      expect(event?.at).toBe(entry.at);
    }
    // The child's own timeline; the bug report did not change its status (wip stays wip).
    expect((await alice.get('/v1/epics/Child/history')).json().map((entry: { to: string }) => entry.to)).toEqual([
      'wip',
      'pending_validation',
      'completed',
    ]);
  });

  it('is empty for an epic whose history was pruned, 404 for one that neither exists nor has one', async () => {
    const store = createMemoryStore();
    await store.update((b) => createEpic(b, { id: 'E0' }));
    const app = await buildTestApp({}, store);
    expect((await client(app).get('/v1/epics/E0/history')).json()).toHaveLength(1);
    expectProblem(await client(app).get('/v1/epics/Nobody/history'), 404);
    expectProblem(await client(app).get('/v1/epics/blocked/history'), 400);
  });
});

describe('GET /v1/epics/{epicId} progress', () => {
  it('counts done tasks and fixed bugs over the epics it reaches, reopening what is added again', async () => {
    const app = await buildTestApp();
    const http = client(app);
    await http.put('/v1/backlog', {
      Top: { Tasks: ['T1'], Bugs: ['B1'], Epics: ['Sub'] },
      Sub: { Tasks: ['T2', 'T3'], Bugs: ['B1', 'B2'] },
    });
    expect((await http.delete('/v1/tasks/T2')).statusCode).toBe(200);
    expect((await http.delete('/v1/bugs/B1')).statusCode).toBe(200);
    const progress = async (id: string) => (await http.get(`/v1/epics/${id}`)).json().progress;
    expect(await progress('Top')).toEqual({ tasksDone: 1, tasksOpen: 2, bugsFixed: 1, bugsOpen: 1 });
    expect(await progress('Sub')).toEqual({ tasksDone: 1, tasksOpen: 1, bugsFixed: 1, bugsOpen: 1 });
    expect((await http.post('/v1/tasks', { id: 'T2', epic: 'Sub' })).statusCode).toBe(201);
    expect(await progress('Top')).toEqual({ tasksDone: 0, tasksOpen: 3, bugsFixed: 1, bugsOpen: 1 });
  });
});
