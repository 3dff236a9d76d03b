import type { FastifyInstance, HTTPMethods } from 'fastify';
import { HttpProblem } from './http-errors.js';

const ANSWERED_METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

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
      for (const [url, methods] of [...methodsByUrl]) {
        const others = ANSWERED_METHODS.filter((method) => !methods.has(method));
        if (others.length === 0) continue;
        const allow = ANSWERED_METHODS.filter((method) => methods.has(method)).join(', ');
        app.route({
          method: others,
          url,
          schema: { hide: true },
          config: { methodNotAllowed: true },
          handler: async (request) => {
            throw new HttpProblem(
              405,
              'Method not allowed',
              `${request.method} is not allowed on ${url}; use ${allow}`,
              {
                allow,
              },
            );
          },
        });
      }
    },
  };
}
