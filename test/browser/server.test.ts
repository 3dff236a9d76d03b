import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';

const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'none';frame-ancestors 'none'";

let app: FastifyInstance;

beforeAll(async () => {
  const config = loadConfig({ STORE: 'memory', LOG_LEVEL: 'silent', NODE_ENV: 'test', API_KEYS: 'k' });
  app = await buildApp({ config, store: createMemoryStore() });
});

afterAll(async () => {
  await app.close();
});

/** Every file of the dashboard, as the page asks for it. */
const DASHBOARD_FILES = [
  '/',
  '/index.html',
  '/app.js',
  '/model.js',
  '/state.js',
  '/data.js',
  '/views.js',
  '/virtual-list.js',
  '/style.css',
];

describe('serving the dashboard', () => {
  it.each(DASHBOARD_FILES)('serves %s with the strict policy', async (url) => {
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(CSP);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('serves the page and its modules with their types', async () => {
    expect((await app.inject({ url: '/' })).headers['content-type']).toMatch(/^text\/html/);
    expect((await app.inject({ url: '/app.js' })).headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect((await app.inject({ url: '/style.css' })).headers['content-type']).toMatch(/^text\/css/);
  });

  it('keeps its policy to the dashboard: the API and /docs have their own', async () => {
    for (const url of ['/v1/backlog', '/livez', '/docs/json']) {
      const policy = (await app.inject({ url })).headers['content-security-policy'];
      expect(policy, url).toMatch(/frame-ancestors 'none'/);
      expect(policy, url).not.toBe(CSP);
    }
  });

  it('answers other methods on / with a 405 problem, and unknown files with a 404 problem', async () => {
    const post = await app.inject({ method: 'POST', url: '/', payload: {} });
    expect(post.statusCode).toBe(405);
    expect(post.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(post.headers.allow).toBe('GET, HEAD');
    const deleted = await app.inject({ method: 'DELETE', url: '/app.js' });
    expect(deleted.statusCode).toBe(405);
    const missing = await app.inject({ url: '/nothing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const traversal = await app.inject({ url: '/../package.json' });
    expect(traversal.statusCode).toBe(404);
  });

  it('keeps the page out of the OpenAPI document', async () => {
    const document = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    const paths = Object.keys(document.paths);
    expect(paths).toContain('/v1/backlog');
    for (const file of DASHBOARD_FILES) expect(paths).not.toContain(file);
  });
});
