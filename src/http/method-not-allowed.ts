import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './http-errors.js';

/**
 * Records the methods of every route registered from now on; `answerOtherMethods`
 * then gives each of those paths a route that answers every other method with
 * 405 and an Allow header (Fastify alone would answer 404).
 */
export function trackRouteMethods(app: FastifyInstance) {
  const methodsByUrl = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsByUrl.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    methodsByUrl.set(route.url, methods);
  });
  return {
    answerOtherMethods(): void {
      // Every method Fastify routes (TRACE and QUERY included), not only the common ones.
      const answered = app.supportedMethods;
      for (const [url, methods] of [...methodsByUrl]) {
        const others = answered.filter((method) => !methods.has(method));
        if (others.length === 0) continue;
        const allow = answered.filter((method) => methods.has(method)).join(', ');
        app.route({
          method: others,
          url,
          schema: { hide: true },
          config: { methodNotAllowed: true },
          // Refused before the body is read: a QUERY without Content-Type, or any body at all,
          // must still get 405, not the 400/415 of body parsing.
          onRequest: async (request) => {
            throw new HttpProblem(
              405,
              'Method not allowed',
              `${request.method} is not allowed on ${url}; use ${allow}`,
              {
                allow,
              },
            );
          },
          handler: async () => undefined,
        });
      }
    },
  };
}
