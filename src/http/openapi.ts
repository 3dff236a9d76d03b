import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { addOpenApiLinks } from './openapi-links.js';
import { DOCS_CSP } from './security-headers.js';

const DESCRIPTIONS: Record<string, string> = {
  200: 'OK',
  201: 'Created; the whole recomputed backlog',
  400: 'Malformed JSON, wrong types, bad ids, unknown keys or missing fields',
  401: 'Auth is configured and the request has no valid key',
  404: 'The epic, task or bug named does not exist, or no such route',
  405: 'Known path, unsupported method (see the Allow header)',
  409: 'The request breaks a rule of the backlog; nothing was written',
  413: 'Body over the configured limit',
  415: 'Body that is not JSON',
  429: 'Rate limit exceeded (see the Retry-After header)',
  503: 'The store is unreachable; nothing was written, retry shortly',
};

// Each header as a JSON schema: @fastify/swagger wraps it in `{ schema, description }` itself.
const PROBLEM_HEADERS: Record<string, Record<string, { description: string; type: 'string' }>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer', type: 'string' } },
  405: { Allow: { description: 'The methods the path supports', type: 'string' } },
  429: { 'Retry-After': { description: 'Seconds to wait', type: 'string' } },
  503: { 'Retry-After': { description: 'Seconds to wait', type: 'string' } },
};

/** zod's document for each route, with problems served as application/problem+json. */
const transform: typeof jsonSchemaTransform = (input) => {
  const { schema, url } = jsonSchemaTransform(input);
  const response = (schema as { response?: Record<string, Record<string, unknown>> } | undefined)?.response;
  if (!response) return { schema, url };
  const described: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(response)) {
    const description = DESCRIPTIONS[status] ?? 'Response';
    described[status] =
      Number(status) >= 400
        ? { description, content: { 'application/problem+json': { schema: body } }, headers: PROBLEM_HEADERS[status] }
        : { description, ...body };
  }
  // The ETag hook (etag.ts) answers the GETs of the routes it covers with 304 when If-None-Match matches.
  if ([input.route.method].flat().includes('GET') && input.route.config?.etag) {
    described['304'] = { description: 'Not modified: the If-None-Match entity tag still matches' };
  }
  return { schema: { ...schema, response: described }, url };
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the routes the ETag hook covers, so that the document lists their 304. */
    etag?: boolean;
  }
}

export interface OpenApiOptions {
  /** The service's version (package.json), for `info.version`. */
  version: string;
  apiKeys: readonly string[];
}

/** The OpenAPI document of every route registered after it, and Swagger UI at /docs. */
export const openApi = fp<OpenApiOptions>(registerOpenApi, { name: 'openapi' });

async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Backlog status service',
        version: options.version,
        description:
          'Keeps a backlog of epics, tasks and bugs and rolls up the status of every epic over its linked epics: `wip`, `blocked`, `pending_validation` or `completed`. Every error is application/problem+json (RFC 9457).',
      },
      tags: [
        { name: 'backlog', description: 'The whole backlog: import, replace, export' },
        { name: 'epics', description: 'Epics, their items and links' },
        { name: 'tasks', description: 'Tasks' },
        { name: 'bugs', description: 'Bugs and what they block' },
        { name: 'operations', description: 'Probes and metrics' },
        { name: 'problems', description: 'What each problem `type` of an error answer means' },
      ],
      // Swagger UI's Authorize button, only where a key is of any use.
      ...(options.apiKeys.length > 0
        ? {
            components: {
              securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'One of the API_KEYS' } },
            },
          }
        : {}),
    },
    transform,
    transformObject: (input) => addOpenApiLinks(jsonSchemaTransformObject(input)),
  });
  // Every /docs answer carries a CSP under which Swagger UI works (checked in Chromium).
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
}
