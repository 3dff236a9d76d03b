import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './http-errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The methods of every route registered since `routeMethods`, by path. */
    routeMethodsByUrl: Map<string, Set<string>>;
  }
}

/**
 * Records the methods of every route registered after it, for `methodNotAllowed`.
 * Fastify answers 404 for a known path with another method; the contract asks 405.
 */
export const routeMethods = fp(
  async (app: FastifyInstance) => {
    const methodsByUrl = new Map<string, Set<string>>();
    app.decorate('routeMethodsByUrl', methodsByUrl);
    app.addHook('onRoute', (route) => {
      const methods = methodsByUrl.get(route.url) ?? new Set<string>();
      for (const method of [route.method].flat()) methods.add(method);
      methodsByUrl.set(route.url, methods);
    });
  },
  { name: 'route-methods' },
);

/**
 * Gives each path recorded by `routeMethods` a route that answers every other method
 * with 405 and an Allow header. Its dependencies name the plugins whose routes it
 * covers, so that Fastify refuses to start if it is registered before them.
 */
export const methodNotAllowed = fp(
  async (app: FastifyInstance) => {
    // Every method Fastify routes (TRACE and QUERY included), not only the common ones.
    const answered = app.supportedMethods;
    for (const [url, methods] of [...app.routeMethodsByUrl]) {
      const others = answered.filter((method) => !methods.has(method));
      if (others.length === 0) continue;
      const allow = answered.filter((method) => methods.has(method)).join(', ');
      app.route({
        method: others,
        url,
        schema: { hide: true },
        // Refused before the body is read: a QUERY without Content-Type, or any body at all,
        // must still get 405, not the 400/415 of body parsing.
        onRequest: async (request) => {
          throw new HttpProblem(405, 'Method not allowed', `${request.method} is not allowed on ${url}; use ${allow}`, {
            allow,
          });
        },
        handler: async () => undefined,
      });
    }
  },
  { name: 'method-not-allowed', dependencies: ['route-methods', 'dashboard', 'probes', 'api-v1'] },
);
