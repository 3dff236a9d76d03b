import { SPEC_EXAMPLE } from '../schemas/spec-example.js';
import { EXAMPLE_FIRST_REVISION, OPERATION_EXAMPLES } from './openapi-example-cases.js';
import { problemTypeUri } from './problem-types.js';

/**
 * The examples of the OpenAPI document, on the example backlog of the import
 * examples (SPEC section 1): each one a request and the answer it gets there, so that
 * "Try it out" on a service holding that backlog answers what the example shows.
 * test/http/openapi-examples.test.ts replays every request on that backlog and
 * compares each answer with its example.
 *
 * Keyed by operationId, then by example name; the same name labels the example's
 * parameters, body and answer in the document (the status says which response).
 */
export interface ExampleCase {
  summary: string;
  params?: Record<string, string>;
  /** Numbers where the parameter is an integer: the document's examples fit its schema. */
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * The answer holds revisions and commit times: it is replayed on a new store whose
   * revisions start at EXAMPLE_FIRST_REVISION, and each `at` is compared by its form.
   */
  committed?: true;
  status: number;
  /** The answer's body (none for a 304). */
  response?: unknown;
}

export type OperationExamples = Readonly<Record<string, Readonly<Record<string, ExampleCase>>>>;

/** The backlog every example runs on: the dictionary of SPEC section 1. */
export const EXAMPLE_BACKLOG = SPEC_EXAMPLE;

export { EXAMPLE_FIRST_REVISION };

/** What each parameter means, and what leaving an optional one out does. */
export const PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  epicId: 'The epic’s id, percent-encoded (any id but the reserved `blocked`).',
  childId: 'The id of the linked (child) epic, percent-encoded.',
  taskId: 'The task’s id, percent-encoded.',
  bugId: 'The bug’s id, percent-encoded.',
  status: 'Only the epics with this status. Left out: every epic.',
  bug_id:
    'The bug whose blocked epics to list (404 when no epic reports it). Left out: every epic whose status is `blocked`, with `"bug": null`.',
  slug: 'The last part of a problem `type` URI.',
  after:
    'A seq (a revision, the ETag of a backlog read): the events after it. Left out: from the oldest kept (the stream: live from now).',
  limit: 'Events in the page, 1 to 1000. Left out: 100.',
};

const problem = (title: string, status: number, detail: string, errors?: unknown) => ({
  type: problemTypeUri(title),
  title,
  status,
  detail,
  ...(errors === undefined ? {} : { errors }),
});

/**
 * For the statuses an example request cannot show on the example backlog (keys, limits,
 * an unreachable store), keyed by status, then named; never replayed.
 */
export const GENERIC_PROBLEM_EXAMPLES: Readonly<Record<number, { name: string; summary: string; value: unknown }>> = {
  400: {
    name: 'unknownQueryParameter',
    summary: 'A query parameter the route does not take',
    value: problem('Invalid request', 400, 'querystring: unknown query parameter "sort"; this route takes none', [
      { in: 'querystring', path: '/', message: 'unknown query parameter "sort"; this route takes none' },
    ]),
  },
  401: {
    name: 'unauthorized',
    summary: 'No valid API key',
    value: problem('Unauthorized', 401, 'A valid API key is required: Authorization: Bearer <key>'),
  },
  412: {
    name: 'revisionMoved',
    summary: 'If-Match names a revision the backlog has moved on from',
    value: problem(
      'Precondition failed',
      412,
      'The backlog has moved on to revision 1764505000124; read it again and retry; nothing was written',
    ),
  },
  413: {
    name: 'tooLarge',
    summary: 'A body over BODY_LIMIT',
    value: problem('Payload too large', 413, 'The body is over the limit of 10485760 bytes'),
  },
  415: {
    name: 'notJson',
    summary: 'A body that is not JSON',
    value: problem(
      'Unsupported media type',
      415,
      'Content-Type "text/plain" is not supported: send the body as application/json',
    ),
  },
  429: {
    name: 'rateLimited',
    summary: 'Over RATE_LIMIT_MAX requests in a minute',
    value: problem('Too many requests', 429, 'Rate limit of 1000 requests per minute exceeded; retry in 42 s'),
  },
  503: {
    name: 'storeUnreachable',
    summary: 'The store is unreachable',
    value: problem(
      'Service unavailable',
      503,
      'The backlog store cannot be reached; nothing was written. Retry shortly.',
    ),
  },
};

interface Example {
  summary: string;
  description?: string;
  value: unknown;
}
interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, Example>;
}
interface Parameter {
  name: string;
  in: string;
  description?: string;
  example?: unknown;
  examples?: Record<string, Example>;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}

const named = (cases: [string, ExampleCase][], value: (example: ExampleCase) => unknown) =>
  Object.fromEntries(
    cases.flatMap(([name, example]) =>
      value(example) === undefined ? [] : [[name, { summary: example.summary, value: value(example) }]],
    ),
  );

/**
 * Puts the examples on the document: each parameter and body the examples of accepted
 * requests, each response those of its status with their request (or a generic one),
 * and HTML answers a string schema.
 * Fails loudly on an example of an operation or a status the document does not have.
 */
export function addOpenApiExamples<T>(document: T, examples: OperationExamples = OPERATION_EXAMPLES): T {
  const operations = new Map<string, Operation>();
  const paths = (document as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (operation.operationId) operations.set(operation.operationId, operation);
      const cases = Object.entries(examples[operation.operationId ?? ''] ?? {});
      describeOperation(operation, cases, (example) => requestOf(method, path, example));
    }
  }
  for (const [operationId, cases] of Object.entries(examples)) {
    const operation = operations.get(operationId);
    if (!operation) throw new Error(`OpenAPI examples: no operation ${operationId}`);
    for (const [name, example] of Object.entries(cases)) {
      if (!operation.responses?.[example.status]) {
        throw new Error(`OpenAPI examples: ${operationId} has no ${example.status} response for ${name}`);
      }
    }
  }
  return document;
}

/** The request of an example, as a line of Markdown (and its body). */
export function requestOf(method: string, path: string, example: ExampleCase): string {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(example.params?.[name] ?? ''));
  const query = queryString(example.query);
  const body = example.body === undefined ? '' : ` with the body \`${JSON.stringify(example.body)}\``;
  const headers = Object.entries(example.headers ?? {})
    .map(([name, value]) => ` with the header \`${name}: ${value}\``)
    .join('');
  return `Request: \`${method.toUpperCase()} ${url}${query ? `?${query}` : ''}\`${headers}${body}`;
}

/** The query string of an example, e.g. `after=1764505000122&limit=10`. */
export function queryString(query: ExampleCase['query']): string {
  return new URLSearchParams(
    Object.entries(query ?? {}).map(([name, value]) => [name, String(value)] as [string, string]),
  ).toString();
}

/**
 * Parameters and bodies carry the examples of successful requests only: tools that send
 * examples (schemathesis, Try it out) take them as requests to be accepted. The request
 * of every other answer is in its example's description.
 */
function describeOperation(
  operation: Operation,
  cases: [string, ExampleCase][],
  request: (example: ExampleCase) => string,
): void {
  const accepted = cases.filter(([, example]) => example.status < 400);
  for (const parameter of operation.parameters ?? []) {
    parameter.description = PARAMETER_DESCRIPTIONS[parameter.name] ?? parameter.description;
    const where = parameter.in === 'path' ? 'params' : parameter.in === 'header' ? 'headers' : 'query';
    const values = named(accepted, (example) => example[where]?.[parameter.name]);
    // `example` (hoisted from the schema) and `examples` are mutually exclusive.
    delete parameter.example;
    if (Object.keys(values).length > 0) parameter.examples = values;
  }
  const body = operation.requestBody?.content?.['application/json'];
  if (body) {
    delete body.example;
    const values = named(accepted, (example) => example.body);
    if (Object.keys(values).length > 0) body.examples = values;
  }
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      if (mediaType === 'text/html') {
        media.schema = { type: 'string', description: 'An HTML page' };
        continue;
      }
      const values = Object.fromEntries(
        cases
          .filter(([, example]) => example.status === Number(status) && example.response !== undefined)
          .map(([name, example]) => [
            name,
            { summary: example.summary, description: request(example), value: example.response },
          ]),
      );
      const generic = GENERIC_PROBLEM_EXAMPLES[Number(status)];
      if (Object.keys(values).length > 0) media.examples = values;
      else if (generic && mediaType === 'application/problem+json') {
        media.examples = { [generic.name]: { summary: generic.summary, value: generic.value } };
      }
    }
  }
}
