import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { fairTurns } from '../http/fair-turns.js';
import { backlogRoutes } from './backlog.js';
import { bugRoutes } from './bugs.js';
import { epicRoutes } from './epics.js';
import { eventRoutes } from './events.js';
import { taskRoutes } from './tasks.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The public API, version 1, registered with `{ prefix: '/v1' }`: its policies (API
 * keys, conditional reads) hold for its routes and only for them, by encapsulation.
 */
async function apiV1Routes(v1: FastifyInstance): Promise<void> {
  v1.addHook('onRoute', (route) => {
    // Every route reads or writes the backlog; the key policy (auth.ts) decides which need a key.
    if (!route.config?.access) {
      const writes = [route.method].flat().some((method) => !READ_METHODS.has(method));
      v1.requireApiKey(route, writes ? 'write' : 'read');
    }
    // Every route answers with the revision it read or wrote as its ETag (http/backlog-requests.ts),
    // and its reads answer 304 to a matching If-None-Match: the OpenAPI document says so.
    // An open event stream has no revision (routes/events.ts): it says so with `etag: false`.
    route.config = { ...route.config, etag: route.config?.etag ?? true };
  });
  // Clients revalidate with the ETag: no cache may answer a stale backlog (errors included).
  v1.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
  });
  v1.addHook('preHandler', fairTurns());

  await v1.register(backlogRoutes);
  await v1.register(epicRoutes);
  await v1.register(taskRoutes);
  await v1.register(bugRoutes);
  await v1.register(eventRoutes);
}

export const apiV1 = fp(apiV1Routes, {
  name: 'api-v1',
  encapsulate: true,
  dependencies: [
    'store',
    'problem-handler',
    'request-log',
    'unknown-query-parameters',
    'rate-limit',
    'openapi',
    'api-key-auth',
    'route-methods',
    'metrics',
    'event-hub',
  ],
});
