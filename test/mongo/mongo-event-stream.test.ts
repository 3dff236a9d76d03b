import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { BacklogEvent, BacklogStore } from '../../src/domain/index.js';
import { eventOfMessage, openSse, type SseClient, type SseMessage } from '../helpers/sse.js';
import { TEST_ENV } from '../helpers/test-app.js';
import { dropDatabase, openMongoStore, uniqueDbName } from './mongo-support.js';

const POLL_MS = 100;

describe('the event stream across two replicas on one MongoDB database', () => {
  let dbName: string;
  let stores: BacklogStore[];
  let apps: FastifyInstance[];
  const clients: SseClient[] = [];
  beforeEach(async () => {
    dbName = uniqueDbName();
    stores = [
      await openMongoStore(dbName, { eventsPollMs: POLL_MS }),
      await openMongoStore(dbName, { eventsPollMs: POLL_MS }),
    ];
    apps = [];
    for (const store of stores) {
      const app = await buildApp({ config: loadConfig({ ...TEST_ENV }), store });
      await app.listen({ host: '127.0.0.1', port: 0 });
      apps.push(app);
    }
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    await dropDatabase(dbName);
  });

  const [a, b] = [() => apps[0] as FastifyInstance, () => apps[1] as FastifyInstance];
  const open = async (app: FastifyInstance, headers?: Record<string, string>) => {
    const client = await openSse(app, '/v1/events/stream', headers);
    clients.push(client);
    return client;
  };
  const isEvent = (seq: number) => (message: SseMessage) => message.id === String(seq);
  const commitOn = async (app: FastifyInstance, id: string) => {
    const response = await app.inject({ method: 'POST', url: '/v1/epics', payload: { id, tasks: [`${id}-t`] } });
    expect(response.statusCode, response.body).toBe(201);
    return Number(JSON.parse(String(response.headers.etag)));
  };
  const storedEvents = async (after: number): Promise<BacklogEvent[]> =>
    JSON.parse((await b().inject({ url: `/v1/events?after=${after}` })).body).events;

  it("delivers to a client on replica A a commit made on replica B, as B's events read it", async () => {
    const start = Number(JSON.parse(String((await a().inject({ url: '/v1/backlog' })).headers.etag)));
    const client = await open(a());
    const seq = await commitOn(b(), 'FromB');
    const message = await client.waitFor(isEvent(seq), 10_000);
    expect(eventOfMessage(message)).toEqual((await storedEvents(start))[0]);
    expect(eventOfMessage<BacklogEvent>(message).changes).toEqual([{ epic: 'FromB', from: null, to: 'wip' }]);
  });

  it('resumes on replica A with Last-Event-ID after commits made on both: none missed, none twice', async () => {
    const client = await open(a());
    const first = await commitOn(b(), 'E1');
    await client.waitFor(isEvent(first), 10_000);
    client.close();
    const later = [await commitOn(b(), 'E2'), await commitOn(a(), 'E3'), await commitOn(b(), 'E4')];
    const resumed = await open(a(), { 'last-event-id': String(first) });
    const live = await commitOn(b(), 'E5');
    await resumed.waitFor(isEvent(live), 10_000);
    const seqs = resumed.messages.filter((message) => message.id !== undefined).map((message) => Number(message.id));
    expect(seqs).toEqual([...later, live]);
    expect(resumed.messages.filter((message) => message.id).map((message) => eventOfMessage(message))).toEqual(
      await storedEvents(first),
    );
  });
});
