import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from './http-errors.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

export interface AuthOptions {
  apiKeys: readonly string[];
  authReads: boolean;
}

/** Whether a route needs a key: every /v1 mutation when keys are configured, and /v1 reads too with AUTH_READS. */
export function routeNeedsKey(options: AuthOptions, method: string, url: string): boolean {
  if (options.apiKeys.length === 0 || !url.startsWith('/v1/')) return false;
  return options.authReads || !READ_METHODS.has(method);
}

/** Bearer API keys (SPEC section 6), compared in constant time. */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  if (options.apiKeys.length === 0) return;
  const digests = options.apiKeys.map(digest);
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (methods.some((method) => routeNeedsKey(options, method, route.url)) && route.schema) {
      route.schema = { ...route.schema, security: [{ bearerAuth: [] }] };
    }
  });
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (!url || request.routeOptions.config.methodNotAllowed) return;
    if (!routeNeedsKey(options, request.method, url)) return;
    if (!hasValidKey(request, digests)) {
      throw new HttpProblem(401, 'Unauthorized', 'A valid API key is required: Authorization: Bearer <key>', {
        'www-authenticate': 'Bearer',
      });
    }
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
