import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { BacklogStore } from '../../src/domain/index.js';
import { createTestStore } from './test-store.js';

// Load shedding is off: a CPU-heavy test on a busy machine must not turn the next request into a 503
// (test/hostile/overload.test.ts turns it on).
export const TEST_ENV = {
  STORE: 'memory',
  LOG_LEVEL: 'silent',
  NODE_ENV: 'test',
  MAX_EVENT_LOOP_DELAY_MS: '0',
} as const;

const opened: { app: FastifyInstance; store: BacklogStore; ownStore: boolean }[] = [];

// Every app built by a test is closed after it, with the store it was given.
afterEach(async () => {
  for (const { app, store, ownStore } of opened.splice(0)) {
    await app.close();
    if (ownStore) await store.close();
  }
});

/** The whole service on a fresh test store (or the given one), closed after the test. */
export async function buildTestApp(env: Record<string, string> = {}, store?: BacklogStore): Promise<FastifyInstance> {
  const backing = store ?? (await createTestStore());
  const app = await buildApp({ config: loadConfig({ ...TEST_ENV, ...env }), store: backing });
  opened.push({ app, store: backing, ownStore: store === undefined });
  return app;
}

/**
 * One app for every test of the calling file or describe block: built before the
 * first, closed after the last. Tests that write reset the backlog first (a PUT).
 */
export function sharedTestApp(env: Record<string, string> = {}, store?: BacklogStore): () => FastifyInstance {
  let app: FastifyInstance | undefined;
  let backing: BacklogStore | undefined;
  beforeAll(async () => {
    backing = store ?? (await createTestStore());
    app = await buildApp({ config: loadConfig({ ...TEST_ENV, ...env }), store: backing });
  });
  afterAll(async () => {
    await app?.close();
    if (store === undefined) await backing?.close();
  });
  return () => {
    if (!app) throw new Error('sharedTestApp() is only ready inside tests');
    return app;
  };
}

/** A store whose every call fails as an unreachable database would. */
export function unreachableStore(error: () => Error): BacklogStore {
  const fail = async (): Promise<never> => {
    throw error();
  };
  return {
    read: fail,
    update: fail,
    events: fail,
    history: fail,
    watch: () => () => {},
    ping: fail,
    close: async () => {},
  };
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { in: string; path: string; message: string }[];
}

/** Asserts an RFC 9457 answer with the given status, and returns its body. */
export function expectProblem(response: LightMyRequestResponse, status: number): ProblemBody {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as ProblemBody;
  expect(body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  if (status === 400) expect(body.errors?.length ?? 0).toBeGreaterThan(0);
  return body;
}

/** JSON request helpers bound to one app. */
export function client(app: FastifyInstance, headers: Record<string, string> = {}) {
  const send = (method: InjectOptions['method'], url: string, payload?: unknown) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload: unknown) => send('POST', url, payload),
    put: (url: string, payload: unknown) => send('PUT', url, payload),
    delete: (url: string) => send('DELETE', url),
  };
}
