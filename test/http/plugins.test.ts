import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { methodNotAllowed, routeMethods } from '../../src/http/method-not-allowed.js';
import { apiV1 } from '../../src/routes/api-v1.js';

// buildApp's order is checked by Fastify from each plugin's declared dependencies.
describe('plugin order', () => {
  it('refuses the /v1 API before the plugins it needs', async () => {
    const app = Fastify({ logger: false });
    await expect(app.register(apiV1, { prefix: '/v1' })).rejects.toThrow(/dependency 'store' of plugin 'api-v1'/);
  });

  it('refuses the 405 answers before the routes they cover', async () => {
    const app = Fastify({ logger: false });
    await app.register(routeMethods);
    await expect(app.register(methodNotAllowed)).rejects.toThrow(
      /dependency 'dashboard' of plugin 'method-not-allowed'/,
    );
  });
});
