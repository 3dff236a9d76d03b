import { request as httpRequest } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import {
  type BacklogEvent,
  type BacklogStore,
  createEpic as createEpicIn,
  StoreUnavailable,
} from '../../src/domain/index.js';
import { EXAMPLE_FIRST_REVISION, STREAM_EXAMPLE } from '../../src/http/openapi-example-cases.js';
import { EXAMPLE_BACKLOG } from '../../src/http/openapi-examples.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { eventOfMessage, openSse, parseSse, portOf, type SseClient, type SseMessage } from '../helpers/sse.js';
import { TEST_ENV } from '../helpers/test-app.js';

const apps: FastifyInstance[] = [];
const clients: SseClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const app of apps.splice(0)) await app.close();
});

/** The service listening on 127.0.0.1, on a port of its own. */
async function serve(
  env: Record<string, string> = {},
  {
    store = createMemoryStore(),
    streamBufferBytes,
    logger,
  }: { store?: BacklogStore; streamBufferBytes?: number; logger?: FastifyBaseLogger } = {},
) {
  const app = await buildApp({ config: loadConfig({ ...TEST_ENV, ...env }), store, streamBufferBytes, logger });
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

async function open(
  app: FastifyInstance,
  path?: string,
  headers?: Record<string, string>,
  options?: { paused?: boolean },
) {
  const client = await openSse(app, path, headers, options);
  clients.push(client);
  return client;
}

const isEvent = (seq: number) => (message: SseMessage) => message.id === String(seq);
const eventsOf = (client: SseClient) => client.messages.filter((message) => message.id !== undefined);

async function createEpic(app: FastifyInstance, id: string): Promise<number> {
  const response = await app.inject({ method: 'POST', url: '/v1/epics', payload: { id } });
  expect(response.statusCode, response.body).toBe(201);
  return Number(JSON.parse(String(response.headers.etag)));
}

async function metric(app: FastifyInstance, name: string): Promise<number> {
  const text = (await app.inject('/metrics')).body;
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('GET /v1/events/stream', () => {
  it('sends each commit as it lands: id the seq, data the event GET /v1/events answers', async () => {
    const app = await serve();
    const stream = await open(app, '/v1/events/stream', { 'accept-encoding': 'gzip, br' });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache');
    // Never compressed: a compressed stream would hold events back in the compressor.
    expect(stream.headers['content-encoding']).toBeUndefined();
    expect(stream.headers.etag).toBeUndefined();
    expect(await metric(app, 'backlog_event_stream_clients')).toBe(1);

    const seq = await createEpic(app, 'EpicA');
    const message = await stream.waitFor(isEvent(seq));
    const listed = (await app.inject(`/v1/events?after=${seq - 1}`)).json().events as BacklogEvent[];
    expect(eventOfMessage(message)).toEqual(listed[0]);
    expect(message.event).toBeUndefined();
    expect(eventsOf(stream)).toHaveLength(1);
    expect(await metric(app, 'backlog_events_written_total')).toBe(1);
  });

  it('resumes after Last-Event-ID (or ?after=): no event missed, none twice, while commits go on', async () => {
    const app = await serve();
    const first = await open(app);
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push(await createEpic(app, `A${i}`));
    await first.waitFor(isEvent(seqs[2] as number));
    first.close();
    const lastSeen = Number(eventsOf(first).at(-1)?.id);
    expect(lastSeen).toBeGreaterThanOrEqual(seqs[2] as number);

    for (let i = 0; i < 5; i++) seqs.push(await createEpic(app, `B${i}`));
    // Reconnect while more commits land: the catch-up and the live events meet.
    const committing = (async () => {
      for (let i = 0; i < 20; i++) seqs.push(await createEpic(app, `C${i}`));
    })();
    const resumed = await open(app, '/v1/events/stream', { 'last-event-id': String(lastSeen) });
    await committing;
    const last = seqs.at(-1) as number;
    await resumed.waitFor(isEvent(last));
    const received = eventsOf(resumed).map((message) => Number(message.id));
    expect(received).toEqual(seqs.filter((seq) => seq > lastSeen));
    expect(new Set(received).size).toBe(received.length);
    // Each message's data is its event.
    for (const message of eventsOf(resumed)) expect(eventOfMessage(message).seq).toBe(Number(message.id));

    // ?after= does the same; Last-Event-ID wins over it (a reconnecting EventSource repeats its URL).
    const byQuery = await open(app, `/v1/events/stream?after=${seqs[0]}`);
    await byQuery.waitFor(isEvent(last));
    expect(eventsOf(byQuery).map((message) => Number(message.id))).toEqual(seqs.slice(1));
    const both = await open(app, `/v1/events/stream?after=${seqs[0]}`, { 'last-event-id': String(last - 1) });
    await both.waitFor(isEvent(last));
    expect(eventsOf(both).map((message) => Number(message.id))).toEqual([last]);
  });

  it('streams the commits another replica makes on the same store, which this one only learns of by watching it', async () => {
    const store = createMemoryStore();
    const streaming = await serve({}, { store });
    const other = await serve({}, { store });
    const stream = await open(streaming);
    const seq = await createEpic(other, 'FromTheOther');
    const message = await stream.waitFor(isEvent(seq));
    expect(eventOfMessage<BacklogEvent>(message).changes).toEqual([
      { epic: 'FromTheOther', from: null, to: 'completed' },
    ]);
    expect(await metric(other, 'backlog_events_written_total')).toBe(1);
    expect(await metric(streaming, 'backlog_events_written_total')).toBe(0);
  });

  it('answers HEAD with the head of a stream, holding nothing open', async () => {
    const app = await serve();
    const head = await app.inject({ method: 'HEAD', url: '/v1/events/stream' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(head.body).toBe('');
    expect(app.eventHub.size).toBe(0);
  });

  it('carries the headers of every answer: CORS for a listed origin, the request id, the security headers', async () => {
    const app = await serve({ CORS_ORIGINS: 'https://board.example' });
    const stream = await open(app, '/v1/events/stream', { origin: 'https://board.example', 'x-request-id': 'sse-1' });
    expect(stream.status).toBe(200);
    expect(stream.headers['access-control-allow-origin']).toBe('https://board.example');
    expect(stream.headers['x-request-id']).toBe('sse-1');
    expect(stream.headers['x-content-type-options']).toBe('nosniff');
    expect(stream.headers['x-accel-buffering']).toBe('no');
  });

  it('starts live without Last-Event-ID or after', async () => {
    const app = await serve();
    const before = await createEpic(app, 'Old');
    const stream = await open(app);
    const seq = await createEpic(app, 'New');
    await stream.waitFor(isEvent(seq));
    expect(eventsOf(stream).map((message) => Number(message.id))).toEqual([seq]);
    expect(seq).toBe(before + 1);
  });

  it('answers 410 before the stream starts when the events after `after` are no longer kept; 400 to a malformed one', async () => {
    const app = await serve();
    const { revision } = await app.store.read();
    const gone = await open(app, '/v1/events/stream?after=1');
    await gone.ended;
    expect(gone.status).toBe(410);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(gone.text())).toMatchObject({
      type: '/problems/events-pruned',
      status: 410,
      detail: expect.stringContaining(`the oldest after still answered is ${revision}`),
    });
    const byHeader = await open(app, '/v1/events/stream', { 'last-event-id': '1' });
    await byHeader.ended;
    expect(byHeader.status).toBe(410);
    for (const [path, headers] of [
      ['/v1/events/stream?after=soon', {}],
      ['/v1/events/stream', { 'last-event-id': 'abc' }],
      ['/v1/events/stream?limit=3', {}],
    ] as const) {
      const refused = await open(app, path, headers);
      await refused.ended;
      expect(refused.status, path).toBe(400);
    }
    expect(app.eventHub.size).toBe(0);
    expect(await metric(app, 'backlog_event_stream_clients')).toBe(0);
  });

  it('drops a client that stops reading, and keeps streaming to the others', async () => {
    const app = await serve({}, { streamBufferBytes: 16 * 1024 });
    const slow = await open(app, '/v1/events/stream', {}, { paused: true });
    const fast = await open(app);
    // Big events (a status change for each of 4000 epics) fill the slow client's socket quickly.
    const many = (tasks: boolean) =>
      Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`Epic${i}`, { Tasks: tasks ? [`T${i}`] : [] }]));
    let last = 0;
    for (let i = 0; i < 60 && app.eventHub.size === 2; i++) {
      const response = await app.inject({ method: 'PUT', url: '/v1/backlog', payload: many(i % 2 === 0) });
      expect(response.statusCode).toBe(200);
      last = Number(JSON.parse(String(response.headers.etag)));
      // The other client reads each event before the next commit: it keeps up.
      await fast.waitFor(isEvent(last), 10_000);
    }
    expect(app.eventHub.size).toBe(1);
    // The server closed the slow client's connection: reading what reached it, it comes to the end.
    slow.response.resume();
    await slow.ended;
    expect(await metric(app, 'backlog_event_stream_drops_total')).toBe(1);
    expect(await metric(app, 'backlog_event_stream_clients')).toBe(1);
    // The other client got every event, and still gets the next.
    const next = await createEpic(app, 'After');
    await fast.waitFor(isEvent(next));
    const received = eventsOf(fast).map((message) => Number(message.id));
    expect(received).toEqual(Array.from({ length: received.length }, (_, i) => (received[0] as number) + i));
    expect(received.at(-1)).toBe(next);
  });

  it('drops a client whose socket stays full for four heartbeats, under the byte bound', async () => {
    const app = await serve({ EVENTS_HEARTBEAT_MS: '20' }, { streamBufferBytes: 256 * 2 ** 20 });
    await open(app, '/v1/events/stream', {}, { paused: true });
    const many = (tasks: boolean) =>
      Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`Epic${i}`, { Tasks: tasks ? [`T${i}`] : [] }]));
    for (let i = 0; i < 80 && app.eventHub.size === 1; i++) {
      expect((await app.inject({ method: 'PUT', url: '/v1/backlog', payload: many(i % 2 === 0) })).statusCode).toBe(
        200,
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await waitUntil(() => app.eventHub.size === 0, 2000);
    expect(await metric(app, 'backlog_event_stream_drops_total')).toBe(1);
  });

  it('writes the one log line of a stream when it ends, with its actor', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const app = await serve({ API_KEYS: 'watcher:w-s3cret', AUTH_READS: 'true' }, { logger });
    const stream = await open(app, '/v1/events/stream', { authorization: 'Bearer w-s3cret' });
    expect(stream.status).toBe(200);
    const streamLines = () => lines.filter((line) => line.route === '/v1/events/stream');
    expect(streamLines()).toEqual([]);
    stream.close();
    await waitUntil(() => streamLines().length === 1);
    expect(streamLines()[0]).toMatchObject({ msg: 'request completed', status: 200, actor: 'watcher' });
    expect(JSON.stringify(lines)).not.toContain('w-s3cret');
  });

  it('refuses a stream past EVENTS_MAX_CLIENTS with a 503 problem and Retry-After', async () => {
    const app = await serve({ EVENTS_MAX_CLIENTS: '2' });
    const one = await open(app);
    await open(app);
    const refused = await open(app);
    await refused.ended;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(JSON.parse(refused.text())).toMatchObject({
      status: 503,
      detail: expect.stringContaining('EVENTS_MAX_CLIENTS'),
    });
    one.close();
    await one.ended;
    await waitUntil(() => app.eventHub.size === 1);
    const again = await open(app);
    expect(again.status).toBe(200);
  });

  it('sends a comment line every EVENTS_HEARTBEAT_MS, and outlives REQUEST_TIMEOUT_MS', async () => {
    const app = await serve({ EVENTS_HEARTBEAT_MS: '50', REQUEST_TIMEOUT_MS: '300', HEADERS_TIMEOUT_MS: '200' });
    const stream = await open(app);
    const started = Date.now();
    await waitUntil(() => stream.messages.filter((message) => message.comment === 'heartbeat').length >= 3, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const seq = await createEpic(app, 'Late');
    await stream.waitFor(isEvent(seq));
    expect(stream.messages.filter((message) => message.comment === 'heartbeat').length).toBeGreaterThanOrEqual(10);
  });

  it('ends a resuming stream whose catch-up read fails, instead of leaving it open and silent', async () => {
    const store = createMemoryStore();
    const start = (await store.read()).revision;
    for (let i = 0; i < 1500; i++) await store.update((b) => createEpicIn(b, { id: `E${i}` }));
    const events = store.events.bind(store);
    let calls = 0;
    // Its second page fails (a store unreachable for a moment, or events pruned between pages).
    store.events = async (after, limit) => {
      if (++calls === 2) throw new StoreUnavailable('unreachable for a moment');
      return events(after, limit);
    };
    const app = await serve({}, { store });
    const client = await open(app, `/v1/events/stream?after=${start}`);
    await client.ended;
    expect(eventsOf(client).map((message) => Number(message.id))).toEqual(
      Array.from({ length: 1000 }, (_, i) => start + i + 1),
    );
    expect(app.eventHub.size).toBe(0);
    // Its client resumes after the last event it got, and gets the rest.
    const resumed = await open(app, '/v1/events/stream', { 'last-event-id': String(start + 1000) });
    await resumed.waitFor(isEvent(start + 1500));
    expect(eventsOf(resumed)).toHaveLength(500);
  });

  describe('while the hub reads the revision it starts from (a slow store at start-up)', () => {
    /** A memory store whose first read takes 500 ms. */
    function slowFirstRead(): BacklogStore {
      const store = createMemoryStore();
      const read = store.read.bind(store);
      let slow = true;
      store.read = (async (use: Parameters<typeof read>[0]) => {
        if (slow) {
          slow = false;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        return read(use);
      }) as BacklogStore['read'];
      return store;
    }
    const rawRequest = (app: FastifyInstance) => {
      const request = httpRequest({ host: '127.0.0.1', port: portOf(app), path: '/v1/events/stream' });
      request.on('error', () => undefined);
      request.end();
      return request;
    };

    it('holds no stream for a client that left meanwhile', async () => {
      const app = await serve({ EVENTS_MAX_CLIENTS: '1' }, { store: slowFirstRead() });
      const request = rawRequest(app);
      await new Promise((resolve) => setTimeout(resolve, 100));
      request.destroy();
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(app.eventHub.size).toBe(0);
      const next = await open(app);
      expect(next.status).toBe(200);
    });

    it('lets the service close at once, a stream asked for meanwhile refused (503, or its connection closed)', async () => {
      const app = await serve({}, { store: slowFirstRead() });
      const request = rawRequest(app);
      const answered = new Promise<number | 'closed'>((resolve) => {
        request.on('response', (response) => resolve(response.statusCode as number));
        request.on('error', () => resolve('closed'));
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(1500);
      expect(app.eventHub.size).toBe(0);
      expect([503, 'closed']).toContain(await answered);
    });
  });

  it('ends every stream when the service closes, at once', async () => {
    const app = await serve();
    const streams = [await open(app), await open(app), await open(app, '/v1/events/stream', {}, { paused: true })];
    const started = Date.now();
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    expect(Date.now() - started).toBeLessThan(1000);
    await Promise.all(streams.map((stream) => stream.ended));
  });

  it('sends what the OpenAPI example shows', async () => {
    const app = await serve({}, { store: createMemoryStore(undefined, { now: EXAMPLE_FIRST_REVISION }) });
    expect((await app.inject({ method: 'PUT', url: '/v1/backlog', payload: EXAMPLE_BACKLOG })).statusCode).toBe(200);
    const stream = await open(app, `/v1/events/stream?after=${EXAMPLE_FIRST_REVISION}`);
    const [documented] = parseSse(STREAM_EXAMPLE).messages as [SseMessage];
    const sent = await stream.waitFor(isEvent(EXAMPLE_FIRST_REVISION + 1));
    expect(sent.id).toBe(documented.id);
    const { at, ...rest } = eventOfMessage<BacklogEvent>(sent);
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect({ ...rest, at: eventOfMessage<BacklogEvent>(documented).at }).toEqual(eventOfMessage(documented));
    expect(parseSse(STREAM_EXAMPLE).messages[1]).toEqual({ comment: 'heartbeat' });
  });
});

async function waitUntil(done: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !done(); ) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
