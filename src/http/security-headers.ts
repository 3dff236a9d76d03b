import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The API answers JSON and never loads anything: a browser that renders one of its
 * answers (an error echoing an id, say) may run nothing from it, and no answer may be framed.
 */
export const API_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Swagger UI at /docs: its scripts and styles come from /docs/static (no inline
 * script); it inserts style elements (so styles may be inline), draws data: images
 * and calls the API itself.
 */
export const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

/**
 * helmet's headers (nosniff, frame denial, a CSP, no referrer...) on every answer,
 * errors included. The dashboard (dashboard.ts) and /docs (openapi.ts) replace the
 * CSP with their own. No upgrade-insecure-requests: it would break a service
 * reached over plain HTTP.
 */
async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
  });
}

export const securityHeaders = fp(registerSecurityHeaders, { name: 'security-headers' });
