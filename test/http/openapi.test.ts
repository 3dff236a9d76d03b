import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, describeRoute, STREAM_ROUTE, seedSpecExample, send } from '../helpers/api-routes.js';
import { type OpenApiDocument, openApiDocumentOf, operations, schemaValidator } from '../helpers/openapi-document.js';
import { buildTestApp, sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp();

let cached: OpenApiDocument | undefined;
async function openApiDocument(): Promise<OpenApiDocument> {
  cached ??= await openApiDocumentOf(app());
  return cached;
}

const statusesOf = (document: OpenApiDocument, path: string, method = 'get') =>
  Object.keys(document.paths[path]?.[method]?.responses ?? {}).sort();

describe('GET /docs/json', () => {
  it('is an OpenAPI 3.1 document', async () => {
    expect((await openApiDocument()).openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('documents exactly the routes of SPEC sections 3 and 8, plus the probes', async () => {
    const documented = operations(await openApiDocument()).map(([name]) => name);
    expect(documented.filter((name) => name.includes(' /v1/')).sort()).toEqual(
      [...API_ROUTES.map(describeRoute), STREAM_ROUTE].sort(),
    );
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

  it('declares on each /v1 operation only the problems it can answer, as application/problem+json', async () => {
    const document = await openApiDocument();
    for (const [name, operation] of operations(document).filter(([name]) => name.includes(' /v1/'))) {
      const hasBody = operation.requestBody !== undefined;
      const namesSomething = (operation.parameters ?? []).some((parameter) => parameter.in === 'path');
      const expected = [
        '400',
        '503',
        ...(hasBody ? ['413', '415'] : []),
        ...(name.startsWith('POST') || name.startsWith('PUT') ? ['409'] : []),
        // Every mutation takes If-Match (SPEC section 7).
        ...(name.startsWith('GET') ? [] : ['412']),
      ];
      const problems = Object.keys(operation.responses).filter((status) => Number(status) >= 400);
      expect(problems, name).toEqual(expect.arrayContaining(expected));
      if (namesSomething) expect(problems, name).toContain('404');
      // No keys, no rate limit: nothing answers 401 or 429; 405 is for the methods a path does not take.
      for (const status of ['401', '405', '429', ...(hasBody ? [] : ['413', '415'])]) {
        expect(problems, `${name} ${status}`).not.toContain(status);
      }
      for (const status of problems) {
        const schema = operation.responses[status]?.content?.['application/problem+json']?.schema;
        expect(schema, `${name} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      expect(operation.responses['503']?.headers, name).toHaveProperty('Retry-After');
      // Every mutation answers 204 to Prefer: return=minimal, with no body and the new ETag.
      if (!name.startsWith('GET')) {
        expect(operation.responses['204']?.content, name).toBeUndefined();
        expect(operation.responses['204']?.headers, name).toHaveProperty('ETag');
      }
    }
    expect(statusesOf(document, '/v1/backlog')).toEqual(['200', '304', '400', '503']);
    expect(statusesOf(document, '/v1/tasks', 'post')).toEqual([
      '201',
      '204',
      '400',
      '404',
      '409',
      '412',
      '413',
      '415',
      '503',
    ]);
  });

  it('declares 401 on what needs a key, and the bearer scheme, only when keys are configured', async () => {
    expect((await openApiDocument()).components.securitySchemes).toBeUndefined();
    const keyed = await openApiDocumentOf(await buildTestApp({ API_KEYS: 'k' }));
    expect(keyed.components.securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ scheme: 'bearer' }) });
    for (const [name, operation] of operations(keyed).filter(([name]) => name.includes(' /v1/'))) {
      const writes = !name.startsWith('GET');
      expect(operation.responses['401'] !== undefined, name).toBe(writes);
      expect(operation.security, name).toEqual(writes ? [{ bearerAuth: [] }] : undefined);
      if (writes) expect(operation.responses['401']?.headers, name).toHaveProperty('WWW-Authenticate');
    }
    const readsToo = await openApiDocumentOf(await buildTestApp({ API_KEYS: 'k', AUTH_READS: 'true' }));
    expect(statusesOf(readsToo, '/v1/backlog')).toContain('401');
    expect(statusesOf(readsToo, '/metrics')).toEqual(['200', '401']);
  });

  it('declares 429 where the rate limit applies, only when it is on', async () => {
    const limited = await openApiDocumentOf(await buildTestApp({ RATE_LIMIT_MAX: '100' }));
    expect(limited.paths['/v1/backlog']?.get?.responses['429']?.headers).toHaveProperty('Retry-After');
    expect(statusesOf(limited, '/livez')).toEqual(['200']);
  });

  it('declares only what the probes can answer, and a 304 without a body on every /v1 read', async () => {
    const document = await openApiDocument();
    expect(statusesOf(document, '/livez')).toEqual(['200']);
    expect(statusesOf(document, '/readyz')).toEqual(['200', '503']);
    expect(statusesOf(document, '/metrics')).toEqual(['200']);
    for (const [name, operation] of operations(document).filter(([name]) => name.startsWith('GET /v1/'))) {
      // An open event stream has no revision to revalidate.
      if (name === STREAM_ROUTE) expect(operation.responses['304'], name).toBeUndefined();
      else expect(operation.responses['304'], name).toEqual({ description: expect.any(String) });
    }
  });

  it('has one schema per shape: no XInput twin of a schema', async () => {
    const names = Object.keys((await openApiDocument()).components.schemas);
    expect(names.filter((name) => name.endsWith('Input'))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['Dictionary', 'BacklogView', 'Problem']));
    const text = JSON.stringify(await openApiDocument());
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) expect(names).toContain(name);
  });

  it('gives the version of package.json', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect((await openApiDocument()).info.version).toBe(version);
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
      const validate = schemaValidator(document)(schema as object);
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
