import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { methodNotAllowed, routeMethods } from '../../src/http/method-not-allowed.js';
import { problemHandler } from '../../src/http/problem-handler.js';
import { requestLog } from '../../src/http/request-log.js';
import { backlogStore } from '../../src/http/store.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { apiV1 } from '../../src/routes/api-v1.js';

// buildApp's order is checked by Fastify from each plugin's declared dependencies.
describe('plugin order', () => {
  it('refuses the /v1 API before the plugins it needs', async () => {
    const app = Fastify({ logger: false });
    await expect(app.register(apiV1, { prefix: '/v1' })).rejects.toThrow(/dependency 'store' of plugin 'api-v1'/);
  });

  it('refuses the /v1 API before the request log and the refusal of unknown query parameters', async () => {
    const app = Fastify({ logger: false });
    await app.register(backlogStore, { store: createMemoryStore() });
    await app.register(problemHandler);
    await expect(app.register(apiV1, { prefix: '/v1' })).rejects.toThrow(/dependency 'request-log' of plugin 'api-v1'/);
    const logged = Fastify({ logger: false });
    await logged.register(backlogStore, { store: createMemoryStore() });
    await logged.register(problemHandler);
    await logged.register(requestLog);
    await expect(logged.register(apiV1, { prefix: '/v1' })).rejects.toThrow(
      /dependency 'unknown-query-parameters' of plugin 'api-v1'/,
    );
  });

  it('refuses the request log before the problem handler', async () => {
    const app = Fastify({ logger: false });
    await expect(app.register(requestLog)).rejects.toThrow(/dependency 'problem-handler' of plugin 'request-log'/);
  });

  it('refuses the 405 answers before the routes they cover', async () => {
    const app = Fastify({ logger: false });
    await app.register(routeMethods);
    await expect(app.register(methodNotAllowed)).rejects.toThrow(
      /dependency 'dashboard' of plugin 'method-not-allowed'/,
    );
  });
});
