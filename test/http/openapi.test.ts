import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, describeRoute, seedSpecExample, send } from '../helpers/api-routes.js';
import { sharedTestApp } from '../helpers/test-app.js';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  responses: Record<string, { content?: Record<string, { schema?: object }>; headers?: Record<string, unknown> }>;
}
interface OpenApiDocument {
  openapi: string;
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

const PROBLEM_STATUSES = ['400', '401', '404', '405', '413', '415', '429', '503'];
const app = sharedTestApp();

let cached: OpenApiDocument | undefined;

async function openApiDocument(): Promise<OpenApiDocument> {
  if (cached) return cached;
  const response = await app().inject({ method: 'GET', url: '/docs/json' });
  expect(response.statusCode).toBe(200);
  cached = response.json() as OpenApiDocument;
  return cached;
}

let ajv: Ajv2020 | undefined;

/** A validator for the document's schemas, `#/components/...` references resolved. */
async function validatorFor(schema: object) {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'openapi.json', components: (await openApiDocument()).components });
  }
  return ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"openapi.json#/components')));
}

function operations(document: OpenApiDocument): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      operation,
    ]),
  );
}

describe('GET /docs/json', () => {
  it('is an OpenAPI 3.1 document', async () => {
    expect((await openApiDocument()).openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('documents exactly the routes of SPEC section 3, plus the probes', async () => {
    const documented = operations(await openApiDocument()).map(([name]) => name);
    expect(documented.filter((name) => name.includes(' /v1/')).sort()).toEqual(API_ROUTES.map(describeRoute).sort());
    expect(documented).toEqual(expect.arrayContaining(['GET /livez', 'GET /readyz', 'GET /metrics']));
  });

  it('gives every operation a unique operationId, a summary and declared tags', async () => {
    const document = await openApiDocument();
    const tags = new Set(document.tags.map((tag) => tag.name));
    const ids = new Set<string>();
    for (const [name, operation] of operations(document)) {
      expect(operation.operationId, name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(operation.operationId as string), name).toBe(false);
      ids.add(operation.operationId as string);
      expect(operation.summary?.length, name).toBeGreaterThan(0);
      expect(operation.tags?.length, name).toBeGreaterThan(0);
      for (const tag of operation.tags ?? []) expect(tags.has(tag), `${name}: ${tag}`).toBe(true);
    }
  });

  it('declares every problem status as application/problem+json on every /v1 operation, and 409 on writes', async () => {
    for (const [name, operation] of operations(await openApiDocument()).filter(([name]) => name.includes(' /v1/'))) {
      const writes = name.startsWith('POST') || name.startsWith('PUT');
      for (const status of writes ? [...PROBLEM_STATUSES, '409'] : PROBLEM_STATUSES) {
        const schema = operation.responses[status]?.content?.['application/problem+json']?.schema;
        expect(schema, `${name} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      expect(operation.responses['405']?.headers, name).toHaveProperty('Allow');
      expect(operation.responses['429']?.headers, name).toHaveProperty('Retry-After');
    }
  });

  it('declares only what the probes can answer, and 304 on every /v1 read', async () => {
    const document = await openApiDocument();
    const statuses = (path: string) => Object.keys(document.paths[path]?.get?.responses ?? {}).sort();
    expect(statuses('/livez')).toEqual(['200']);
    expect(statuses('/readyz')).toEqual(['200', '503']);
    expect(statuses('/metrics')).toEqual(['200', '401']);
    for (const [name, operation] of operations(document).filter(([name]) => name.startsWith('GET /v1/'))) {
      expect(operation.responses['304'], name).toBeDefined();
    }
  });

  it.each(API_ROUTES.map((route) => [describeRoute(route), route] as const))(
    '%s answers what its documented success schema says',
    async (_name, route) => {
      const document = await openApiDocument();
      await seedSpecExample(app());
      const response = await send(app(), route);
      const documented = document.paths[route.path]?.[route.method.toLowerCase()];
      const schema = documented?.responses[String(route.success)]?.content?.['application/json']?.schema;
      expect(schema).toBeDefined();
      const validate = await validatorFor(schema as object);
      expect(validate(response.json()), JSON.stringify(validate.errors)).toBe(true);
    },
  );
});

describe('GET /docs', () => {
  it('serves Swagger UI', async () => {
    const response = await app().inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
  });
});
