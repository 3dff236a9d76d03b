import { describe, expect, it } from 'vitest';
import { EXAMPLE_BACKLOG, GENERIC_PROBLEM_EXAMPLES } from '../../src/http/openapi-examples.js';
import {
  type OpenApiDocument,
  type Operation,
  openApiDocumentOf,
  operations,
  schemaValidator,
} from '../helpers/openapi-document.js';
import { sharedTestApp } from '../helpers/test-app.js';

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
  body?: unknown;
}

/** The request an example name stands for: the parameters and body examples of that name. */
function requestNamed(operation: Operation, name: string): DocumentedRequest {
  const request: DocumentedRequest = { params: {}, query: {} };
  for (const parameter of operation.parameters ?? []) {
    const example = parameter.examples?.[name];
    if (example) request[parameter.in === 'path' ? 'params' : 'query'][parameter.name] = example.value;
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
        if (status === '304' || name === 'GET /metrics') continue;
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

  it('each fit their own schema: answers always, requests unless they stand for a 400', async () => {
    const document = await openApiDocument();
    const compile = schemaValidator(document);
    for (const [name, operation] of operations(document)) {
      for (const [status, type, example, value, schema] of responseExamples(operation)) {
        const validate = compile(schema);
        expect(validate(value), `${name} ${status} ${type} ${example}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      const refused = new Set(
        Object.keys(operation.responses['400']?.content?.['application/problem+json']?.examples ?? {}),
      );
      for (const parameter of operation.parameters ?? []) {
        const validate = compile(parameter.schema);
        expect(parameter.example, `${name} ${parameter.name}`).toBeUndefined();
        expect(parameter.description, `${name} ${parameter.name}`).toMatch(/\w{3}/);
        for (const [example, { value }] of Object.entries(parameter.examples ?? {})) {
          if (refused.has(example)) continue;
          expect(validate(value), `${name} ${parameter.name} ${example}`).toBe(true);
        }
      }
      const body = operation.requestBody?.content['application/json'];
      for (const [example, { value }] of Object.entries(body?.examples ?? {})) {
        const fits = compile(body?.schema as object)(value);
        expect(fits, `${name} body ${example}`).toBe(!refused.has(example) || !paramsFit(operation, example, compile));
      }
    }
  });

  it('give every parameter real examples and say what leaving an optional one out does', async () => {
    const document = await openApiDocument();
    for (const [name, operation] of operations(document)) {
      for (const parameter of operation.parameters ?? []) {
        if (name === 'GET /problems/{slug}' || name.startsWith('GET /v1/')) {
          expect(Object.keys(parameter.examples ?? {}), `${name} ${parameter.name}`).toContain('ok');
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

  const cases = async () =>
    operations(await openApiDocument()).flatMap(([name, operation, path, method]) =>
      responseExamples(operation)
        .filter(([, , example]) => !GENERIC_NAMES.has(example))
        .map(([status, , example, value]) => ({ name, operation, path, method, status, example, value })),
    );

  it('are replayed: each documented request gets, on the example backlog, the documented answer', async () => {
    const replayed = await cases();
    expect(replayed.length).toBeGreaterThan(60);
    for (const { name, operation, path, method, status, example, value } of replayed) {
      const request = requestNamed(operation, example);
      const missing = (operation.parameters ?? []).filter(
        (parameter) => parameter.required && !(parameter.name in request.params),
      );
      expect(missing, `${name} ${example}: a required parameter has no example of that name`).toEqual([]);
      const put = await app().inject({ method: 'PUT', url: '/v1/backlog', payload: EXAMPLE_BACKLOG });
      expect(put.statusCode).toBe(200);
      const query = new URLSearchParams(request.query as Record<string, string>).toString();
      const url = path.replace(/\{(\w+)\}/g, (_, param: string) => encodeURIComponent(String(request.params[param])));
      const response = await app().inject({
        method: method as 'GET',
        url: query ? `${url}?${query}` : url,
        headers: { accept: 'application/json' },
        ...(request.body === undefined ? {} : { payload: request.body as object }),
      });
      expect(response.statusCode, `${name} ${example}: ${response.body}`).toBe(status);
      expect(response.json(), `${name} ${example}`).toEqual(value);
    }
  });
});

/** Whether the path and query examples of that name fit their schemas (then the body is what is refused). */
function paramsFit(operation: Operation, example: string, compile: ReturnType<typeof schemaValidator>): boolean {
  return (operation.parameters ?? []).every((parameter) => {
    const named = parameter.examples?.[example];
    return named === undefined || compile(parameter.schema)(named.value) === true;
  });
}
