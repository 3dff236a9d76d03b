import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** public/ beside src/ (and beside dist/ in a build: both are one level under the root). */
const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** The dashboard's policy: nothing inline, nothing from elsewhere, never framed. */
const DASHBOARD_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * The status dashboard: the static files of public/ at `/` (index.html, ES modules,
 * CSS), with a strict Content-Security-Policy and helmet's other headers. Registered
 * in a plugin of its own so that helmet's hooks cover the dashboard's files only:
 * Swagger UI at /docs keeps its inline scripts and styles, the API its headers.
 * Each file is a route of its own (no wildcard), hidden from the OpenAPI document.
 */
export const dashboard = fp(registerDashboard, { name: 'dashboard', dependencies: ['rate-limit', 'route-methods'] });

async function registerDashboard(app: FastifyInstance): Promise<void> {
  const root = PUBLIC_DIR;
  if (!existsSync(root)) {
    app.log.warn({ root }, 'dashboard files not found: GET / is not served');
    return;
  }
  await app.register(async (dashboard) => {
    await dashboard.register(fastifyHelmet, {
      // No defaults: their upgrade-insecure-requests would break a service reached over plain HTTP.
      contentSecurityPolicy: { useDefaults: false, directives: DASHBOARD_CSP_DIRECTIVES },
    });
    await dashboard.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      decorateReply: false,
      schemaHide: true,
      index: ['index.html'],
    });
  });
}
