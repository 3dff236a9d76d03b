import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKey } from '../config.js';
import { addOpenApiExamples } from './openapi-examples.js';
import { addOpenApiLinks } from './openapi-links.js';
import { withoutDuplicateInputSchemas } from './openapi-schemas.js';
import { DOCS_CSP } from './security-headers.js';

const DESCRIPTIONS: Record<string, string> = {
  200: 'OK',
  201: 'Created; the whole recomputed backlog (Location names what was created)',
  204: 'Committed (Prefer: return=minimal): no body; the ETag names the new revision',
  304: 'Not modified: the If-None-Match entity tag still matches (no body)',
  400: 'Malformed JSON, wrong types, bad ids, unknown keys or query parameters, missing fields',
  401: 'API keys are configured and the request has no valid key',
  404: 'The epic, task or bug named does not exist',
  409: 'The request breaks a rule of the backlog; nothing was written',
  410: 'Events after `after` are no longer all kept (EVENTS_RETENTION_DAYS): read the backlog again',
  412: 'If-Match names a revision that is no longer current; nothing was written',
  413: 'Body over the configured limit (BODY_LIMIT)',
  415: 'Body that is not application/json',
  429: 'Rate limit exceeded (see the Retry-After header)',
  503: 'The store is unreachable; nothing was written, retry shortly',
};

// Each header as a JSON schema: @fastify/swagger wraps it in `{ schema, description }` itself.
const PROBLEM_HEADERS: Record<string, Record<string, { description: string; type: 'string' }>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer', type: 'string' } },
  429: { 'Retry-After': { description: 'Seconds to wait', type: 'string' } },
  503: { 'Retry-After': { description: 'Seconds to wait', type: 'string' } },
};

/** Operations that answer 404 for an item named in their body or query string, not their path. */
const NOT_FOUND_OUTSIDE_PATH = new Set(['createTask', 'reportBug', 'listBlockedEpics']);

type RouteInput = Parameters<typeof jsonSchemaTransform>[0];

/**
 * Whether the route can answer this problem status at all: the document lists only
 * those (every route declares the shared problems; Fastify answers 400, 413 and 415
 * on its own, so they must be declared where they can happen).
 */
function canAnswer(status: number, { schema, route }: RouteInput, options: OpenApiOptions): boolean {
  switch (status) {
    case 400:
      return !route.config?.probe;
    case 401:
      return ((schema as { security?: unknown[] } | undefined)?.security?.length ?? 0) > 0;
    case 404:
      return schema?.params !== undefined || NOT_FOUND_OUTSIDE_PATH.has(String(schema?.operationId));
    case 405: // answered for the methods a path does not take, never by one of its operations
      return false;
    case 413:
    case 415:
      return schema?.body !== undefined;
    case 429:
      return options.rateLimited && route.config?.rateLimit !== false;
    default:
      return true;
  }
}

// Each header as a JSON schema, like PROBLEM_HEADERS.
const REVISION_HEADERS = {
  ETag: { description: 'The revision of the backlog this answer was built from (SPEC section 7)', type: 'string' },
};

/** zod's document for each route: the statuses it can answer, problems as application/problem+json. */
const transformFor =
  (options: OpenApiOptions): typeof jsonSchemaTransform =>
  (input) => {
    const { schema, url } = jsonSchemaTransform(input);
    const response = (schema as { response?: Record<string, Record<string, unknown>> } | undefined)?.response;
    if (!response) return { schema, url };
    const described: Record<string, unknown> = {};
    for (const [status, body] of Object.entries(response)) {
      if (!canAnswer(Number(status), input, options)) continue;
      const description = DESCRIPTIONS[status] ?? 'Response';
      described[status] =
        Number(status) >= 400
          ? {
              description,
              content: { 'application/problem+json': { schema: body } },
              headers: PROBLEM_HEADERS[status],
            }
          : { description, ...body, ...(input.route.config?.etag ? { headers: REVISION_HEADERS } : {}) };
    }
    // Every read of /v1 answers 304 when If-None-Match names the current revision
    // (http/backlog-requests.ts); `type: 'null'` gives the response no content.
    if ([input.route.method].flat().includes('GET') && input.route.config?.etag) {
      described['304'] = { description: DESCRIPTIONS[304], type: 'null' };
    }
    return { schema: { ...schema, response: described }, url };
  };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the /v1 routes, which answer with the revision's ETag, so that the document lists their 304. */
    etag?: boolean;
  }
}

export interface OpenApiOptions {
  /** The service's version (package.json), for `info.version`. */
  version: string;
  apiKeys: readonly ApiKey[];
  /** RATE_LIMIT_MAX > 0: the routes the limit covers list 429. */
  rateLimited: boolean;
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
        { name: 'events', description: 'History and live updates: every commit as an event' },
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
    transform: transformFor(options),
    transformObject: (input) =>
      addOpenApiExamples(addOpenApiLinks(withoutDuplicateInputSchemas(jsonSchemaTransformObject(input)))),
  });
  // Every /docs answer carries a CSP under which Swagger UI works (checked in Chromium).
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
}
