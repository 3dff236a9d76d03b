import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { OPERATION_EXAMPLES } from '../../src/http/openapi-example-cases.js';
import {
  EXAMPLE_BACKLOG,
  EXAMPLE_FIRST_REVISION,
  type ExampleCase,
  GENERIC_PROBLEM_EXAMPLES,
  queryString,
  requestOf,
} from '../../src/http/openapi-examples.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import {
  type OpenApiDocument,
  type Operation,
  openApiDocumentOf,
  operations,
  schemaValidator,
} from '../helpers/openapi-document.js';
import { buildTestApp, sharedTestApp } from '../helpers/test-app.js';

const app = sharedTestApp();
const GENERIC_NAMES = new Set(Object.values(GENERIC_PROBLEM_EXAMPLES).map((example) => example.name));

let cached: OpenApiDocument | undefined;
async function openApiDocument(): Promise<OpenApiDocument> {
  cached ??= await openApiDocumentOf(app());
  return cached;
}

interface DocumentedRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers?: Record<string, unknown>;
  body?: unknown;
}

const partOf = (parameter: { in: string }) =>
  parameter.in === 'path' ? 'params' : parameter.in === 'header' ? 'headers' : 'query';

/** The request an example name stands for: the parameters and body examples of that name. */
function requestNamed(operation: Operation, name: string): DocumentedRequest {
  const request: DocumentedRequest = { params: {}, query: {} };
  for (const parameter of operation.parameters ?? []) {
    const example = parameter.examples?.[name];
    if (example) {
      request[partOf(parameter)] ??= {};
      (request[partOf(parameter)] as Record<string, unknown>)[parameter.name] = example.value;
    }
  }
  const body = operation.requestBody?.content['application/json']?.examples?.[name];
  if (body) request.body = body.value;
  return request;
}

/** Each response example: [status, media type, name, value, schema]. */
function responseExamples(operation: Operation) {
  return Object.entries(operation.responses).flatMap(([status, response]) =>
    Object.entries(response.content ?? {}).flatMap(([mediaType, media]) =>
      Object.entries(media.examples ?? {}).map(
        ([name, example]) => [Number(status), mediaType, name, example.value, media.schema as object] as const,
      ),
    ),
  );
}

describe('the examples of the OpenAPI document', () => {
  it('give every status of every operation an example that fits it (304: no body)', async () => {
    for (const [name, operation] of operations(await openApiDocument())) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status === '304' || status === '204' || name === 'GET /metrics') continue;
        const examples = Object.entries(response.content ?? {}).filter(([type]) => type !== 'text/html');
        expect(examples.length, `${name} ${status}`).toBeGreaterThan(0);
        for (const [type, media] of examples) {
          const values = Object.values(media.examples ?? {});
          expect(values.length, `${name} ${status} ${type}`).toBeGreaterThan(0);
          for (const { value } of values) {
            if (Number(status) >= 400)
              expect((value as { status: number }).status, `${name} ${status}`).toBe(Number(status));
          }
        }
      }
    }
  });

  it('each fit their own schema: every answer, and every request but those answered 400', async () => {
    const document = await openApiDocument();
    const compile = schemaValidator(document);
    for (const [name, operation] of operations(document)) {
      for (const [status, type, example, value, schema] of responseExamples(operation)) {
        const validate = compile(schema);
        expect(validate(value), `${name} ${status} ${type} ${example}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      for (const [example, request] of Object.entries(OPERATION_EXAMPLES[operation.operationId ?? ''] ?? {})) {
        const parts = (operation.parameters ?? []).flatMap((parameter) => {
          const value = request[partOf(parameter)]?.[parameter.name];
          return value === undefined ? [] : [compile(parameter.schema)(value) === true];
        });
        const body = operation.requestBody?.content['application/json']?.schema;
        if (body && request.body !== undefined) parts.push(compile(body)(request.body) === true);
        expect(parts.every(Boolean), `${name} ${example}`).toBe(request.status !== 400);
      }
      for (const parameter of operation.parameters ?? []) {
        expect(parameter.example, `${name} ${parameter.name}`).toBeUndefined();
        expect(parameter.description, `${name} ${parameter.name}`).toMatch(/\w{3}/);
      }
    }
  });

  it('give every parameter real examples and say what leaving an optional one out does', async () => {
    const document = await openApiDocument();
    for (const [name, operation] of operations(document)) {
      for (const parameter of operation.parameters ?? []) {
        if (name === 'GET /problems/{slug}' || name.startsWith('GET /v1/')) {
          // A header (Last-Event-ID) has its own example, beside the `ok` of the query string.
          if (parameter.in === 'header') expect(Object.keys(parameter.examples ?? {}).length).toBeGreaterThan(0);
          else expect(Object.keys(parameter.examples ?? {}), `${name} ${parameter.name}`).toContain('ok');
        }
        if (!parameter.required) expect(parameter.description, `${name} ${parameter.name}`).toMatch(/Left out: /);
      }
    }
    const bugId = document.paths['/v1/epics/blocked']?.get?.parameters?.find(
      (parameter) => parameter.name === 'bug_id',
    );
    const bugs = Object.values(EXAMPLE_BACKLOG).flatMap((epic) => epic.Bugs);
    expect(bugs).toContain(bugId?.examples?.ok?.value);
  });

  it('are replayed: each documented request gets, on the example backlog, the documented answer', async () => {
    let replayed = 0;
    for (const [name, operation, path, method] of operations(await openApiDocument())) {
      const cases = OPERATION_EXAMPLES[operation.operationId ?? ''] ?? {};
      const documented = responseExamples(operation).filter(([, , example]) => !GENERIC_NAMES.has(example));
      expect(documented.map(([, , example]) => example).sort(), name).toEqual(Object.keys(cases).sort());
      for (const [status, , example, value] of documented) {
        const request = cases[example] as ExampleCase;
        expect(request.status, `${name} ${example}`).toBe(status);
        // What the document shows of the request: the accepted ones as parameter and body examples,
        // every one in the description of its answer.
        const content = operation.responses[String(status)]?.content;
        const shown =
          content?.['application/json'] ?? content?.['application/problem+json'] ?? content?.['text/event-stream'];
        expect(shown?.examples?.[example]?.description, `${name} ${example}`).toBe(requestOf(method, path, request));
        if (status < 400)
          expect(requestNamed(operation, example), `${name} ${example}`).toEqual({
            params: request.params ?? {},
            query: request.query ?? {},
            ...(request.headers === undefined ? {} : { headers: request.headers }),
            ...(request.body === undefined ? {} : { body: request.body }),
          });
        // A stream never ends: test/http/event-stream.test.ts compares its example with a real stream.
        if (content?.['text/event-stream']) continue;

        const target = request.committed ? await committedExampleApp() : app();
        const put = await target.inject({ method: 'PUT', url: '/v1/backlog', payload: EXAMPLE_BACKLOG });
        expect(put.statusCode).toBe(200);
        const query = queryString(request.query);
        const url = path.replace(/\{(\w+)\}/g, (_, param: string) => encodeURIComponent(request.params?.[param] ?? ''));
        const response = await target.inject({
          method: method as 'GET',
          url: query ? `${url}?${query}` : url,
          headers: { accept: 'application/json', ...request.headers },
          ...(request.body === undefined ? {} : { payload: request.body as object }),
        });
        expect(response.statusCode, `${name} ${example}: ${response.body}`).toBe(status);
        const answer = request.committed ? timesAsShown(response.json(), value) : response.json();
        expect(answer, `${name} ${example}`).toEqual(value);
        replayed++;
      }
    }
    expect(replayed).toBeGreaterThan(60);
  });
});

/** A service on a new store whose revisions start where the examples of events say. */
function committedExampleApp(): Promise<FastifyInstance> {
  return buildTestApp({}, createMemoryStore(undefined, { now: EXAMPLE_FIRST_REVISION }));
}

/** `actual` with each commit time (`at`, RFC 3339 in UTC) replaced by the one `documented` shows. */
function timesAsShown(actual: unknown, documented: unknown): unknown {
  if (Array.isArray(actual)) return actual.map((item, index) => timesAsShown(item, (documented as unknown[])?.[index]));
  if (actual === null || typeof actual !== 'object') return actual;
  return Object.fromEntries(
    Object.entries(actual).map(([key, value]) => {
      const shown = (documented as Record<string, unknown> | undefined)?.[key];
      if (key === 'at' && typeof value === 'string') {
        expect(value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        return [key, shown];
      }
      return [key, timesAsShown(value, shown)];
    }),
  );
}
