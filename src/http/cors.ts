import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * CORS for browser apps served from other origins (`CORS_ORIGINS`); off when the list is
 * empty, and then no answer carries an Access-Control-* header. Registered before the
 * 405 routes: the plugin answers a preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) in its own onRequest hook, before any route's hook,
 * so a preflight gets 204 and never the 405 or the 401 of the route it asks about.
 * Any other OPTIONS request is answered as without CORS (405 with Allow on a known
 * path): the plugin alone would answer it a text/plain 400.
 */
export const cors = fp<{ origins: readonly string[] }>(async (app, { origins }) => registerCors(app, origins), {
  name: 'cors',
});

async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const options: FastifyCorsOptions = {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    // What a script may read of an answer beyond the CORS-safelisted headers.
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'Allow', 'X-Request-Id', 'WWW-Authenticate'],
    maxAge: 600,
  };
  await app.register(fastifyCors, {
    delegator: (request, callback) => callback(null, { ...options, preflight: isPreflight(request) }),
  });
}

function isPreflight(request: FastifyRequest): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.origin !== undefined &&
    request.headers['access-control-request-method'] !== undefined
  );
}
