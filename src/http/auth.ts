import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { HttpProblem } from './http-errors.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

export interface AuthOptions {
  apiKeys: readonly string[];
  authReads: boolean;
}

/**
 * Whether a route needs a key: every /v1 mutation when keys are configured; with
 * AUTH_READS, /v1 reads and the metrics (which count epics by status) too.
 */
export function routeNeedsKey(options: AuthOptions, method: string, url: string): boolean {
  if (options.apiKeys.length === 0) return false;
  if (url === '/metrics') return options.authReads;
  if (!url.startsWith('/v1/')) return false;
  return options.authReads || !READ_METHODS.has(method);
}

/**
 * Bearer API keys (SPEC section 6), compared in constant time. The check is a
 * route hook added after the rate limit's, so that guessing keys is rate limited too.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  if (options.apiKeys.length === 0) return;
  const digests = options.apiKeys.map(digest);
  const requireKey: onRequestHookHandler = async (request) => {
    if (!routeNeedsKey(options, request.method, request.routeOptions.url ?? '')) return;
    if (!hasValidKey(request, digests)) {
      throw new HttpProblem(401, 'Unauthorized', 'A valid API key is required: Authorization: Bearer <key>', {
        'www-authenticate': 'Bearer',
      });
    }
  };
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (route.config?.methodNotAllowed || !methods.some((method) => routeNeedsKey(options, method, route.url))) return;
    route.onRequest = [...[route.onRequest ?? []].flat(), requireKey];
    if (route.schema) route.schema = { ...route.schema, security: [{ bearerAuth: [] }] };
  });
}

function hasValidKey(request: FastifyRequest, digests: readonly Buffer[]): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) return false;
  const offered = digest(match[1] as string);
  return digests.some((known) => timingSafeEqual(known, offered));
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
