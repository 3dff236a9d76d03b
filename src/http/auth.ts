import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, preParsingHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKey } from '../config.js';
import { HttpProblem } from './http-errors.js';

/** What a route does with the backlog; the key policy decides which of them need a key. */
export type Access = 'read' | 'write';

export interface AuthOptions {
  apiKeys: readonly ApiKey[];
  authReads: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Asks a key on the route if the policy wants one for this access, and documents it. */
    requireApiKey(route: RouteOptions, access: Access): void;
  }
  interface FastifyContextConfig {
    /** Declares the route's access, so that the key policy covers it wherever it is registered. */
    access?: Access;
  }
}

/**
 * Bearer API keys (SPEC section 6), compared in constant time: with keys configured,
 * every write needs one, and with AUTH_READS every read too. Routes opt in by their
 * access: declared in their config (the metrics, which count epics by status), or given
 * by the plugin that owns them (the /v1 API, from each route's method).
 * The check is a preParsing hook: it runs after every onRequest hook, the rate limit's
 * included (guessing keys is rate limited), and before the body is read.
 */
export const apiKeyAuth = fp<AuthOptions>(
  async (app, options) => {
    const digests = options.apiKeys.map(({ key }) => digest(key));
    const checkKey: preParsingHookHandler = async (request, _reply, payload) => {
      const key = matchingKey(request, digests);
      if (key < 0) {
        throw new HttpProblem(401, 'Unauthorized', 'A valid API key is required: Authorization: Bearer <key>', {
          'www-authenticate': 'Bearer',
        });
      }
      // The key's name (SPEC section 8: `name:key`, or `key-<position>` for a bare key), never the key itself.
      request.actor = (options.apiKeys[key] as ApiKey).name;
      return payload;
    };
    const needsKey = (access: Access) => digests.length > 0 && (access === 'write' || options.authReads);

    app.decorate('requireApiKey', (route: RouteOptions, access: Access) => {
      if (!needsKey(access)) return;
      route.preParsing = [...[route.preParsing ?? []].flat(), checkKey];
      if (route.schema) route.schema = { ...route.schema, security: [{ bearerAuth: [] }] };
    });
    app.addHook('onRoute', (route) => {
      if (route.config?.access) app.requireApiKey(route, route.config.access);
    });
  },
  { name: 'api-key-auth' },
);

/** The index of the configured key the request carries, or -1. */
function matchingKey(request: FastifyRequest, digests: readonly Buffer[]): number {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) return -1;
  const offered = digest(match[1] as string);
  return digests.findIndex((known) => timingSafeEqual(known, offered));
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
