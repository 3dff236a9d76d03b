import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { StoreUnavailable } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { seedSpecExample } from '../helpers/api-routes.js';
import { TEST_ENV, unreachableStore } from '../helpers/test-app.js';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  method?: string;
  url?: string;
  route?: string | null;
  status?: number;
  durationMs?: number;
  actor?: string | null;
  err?: { type: string; message: string; stack?: string; code?: string };
}

const DEBUG = 20;
const INFO = 30;
const WARN = 40;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The app, logging at `level` into the returned array (one parsed object per line). */
async function logged(
  env: Record<string, string> = {},
  level = 'debug',
  store?: Parameters<typeof buildApp>[0]['store'],
) {
  const lines: Line[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  app = await buildApp({ config: loadConfig({ ...TEST_ENV, ...env }), store: store ?? createMemoryStore(), logger });
  return { app, lines, requestLines: () => lines.filter((line) => line.msg === 'request completed') };
}

describe('the request log', () => {
  it('writes one line per request: method, url, route, status, duration, request id', async () => {
    const { app, requestLines } = await logged();
    const response = await app.inject({
      method: 'GET',
      url: '/v1/epics?status=wip',
      headers: { 'x-request-id': 'abc-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(requestLines()).toEqual([
      expect.objectContaining({
        level: INFO,
        reqId: 'abc-1',
        method: 'GET',
        url: '/v1/epics?status=wip',
        route: '/v1/epics',
        status: 200,
        durationMs: expect.any(Number),
        actor: null,
      }),
    ]);
    expect(requestLines()[0]).not.toHaveProperty('err');
  });

  it('logs probes, scrapes and 304 polls at debug only', async () => {
    const { app, lines, requestLines } = await logged({}, 'info');
    const etag = (await app.inject('/v1/backlog')).headers.etag as string;
    for (const url of ['/livez', '/readyz', '/metrics']) expect((await app.inject(url)).statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/backlog', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    expect(requestLines().map((line) => line.url)).toEqual(['/v1/backlog']);
    expect(lines).toHaveLength(1);

    const debug = await logged({}, 'debug');
    await debug.app.inject('/livez');
    expect(debug.requestLines()).toEqual([expect.objectContaining({ level: DEBUG, route: '/livez', status: 200 })]);
  });

  it('logs a refusal once, on its line, with the error serialized (type, message, code; no stack)', async () => {
    const { app, lines } = await logged();
    await seedSpecExample(app);
    lines.length = 0;
    expect((await app.inject('/v1/epics/Ghost')).statusCode).toBe(404);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: INFO,
      status: 404,
      route: '/v1/epics/:epicId',
      err: { type: 'EpicNotFound', message: 'Epic "Ghost" does not exist', code: 'EPIC_NOT_FOUND' },
    });
    expect(lines[0]?.err).not.toHaveProperty('stack');
  });

  it('logs a store failure once, at warn, with its stack', async () => {
    const { app, lines } = await logged(
      {},
      'debug',
      unreachableStore(() => new StoreUnavailable('database down')),
    );
    expect((await app.inject('/v1/backlog')).statusCode).toBe(503);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: WARN,
      status: 503,
      err: { type: 'StoreUnavailable', message: 'database down' },
    });
    expect(lines[0]?.err?.stack).toMatch(/^StoreUnavailable: database down\n\s+at /);
  });

  it('gives a request refused before routing its line too', async () => {
    const { app, requestLines } = await logged();
    expect((await app.inject('/v1/epics/%E0%A4%A')).statusCode).toBe(400);
    expect(requestLines()).toEqual([
      expect.objectContaining({ status: 400, route: null, err: expect.objectContaining({ code: 'FST_ERR_BAD_URL' }) }),
    ]);
  });

  it('names the actor by the position of its key, never by the key', async () => {
    const { app, lines, requestLines } = await logged({ API_KEYS: 'first-secret,second-secret' });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/epics',
      headers: { authorization: 'Bearer second-secret' },
      payload: { id: 'EpicA' },
    });
    expect(response.statusCode).toBe(201);
    expect(requestLines()).toEqual([expect.objectContaining({ method: 'POST', status: 201, actor: 'key-2' })]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
