/**
 * Every problem type the service answers with (RFC 9457 `type`), keyed by title. The
 * `type` of a problem is `/problems/<slug of its title>`, and GET on that URI, on the
 * service itself, explains the problem (src/routes/problems.ts). A title missing here
 * gets the type `about:blank` (RFC 9457 section 4.2.1): never a URI that leads nowhere.
 */
export interface ProblemType {
  readonly title: string;
  readonly status: number;
  /** What went wrong and what to do about it, for the person reading the page. */
  readonly description: string;
}

const TYPES: readonly ProblemType[] = [
  {
    title: 'Invalid request',
    status: 400,
    description:
      'The request does not fit its schema: a wrong type, a missing (required) field, an unknown key, a bad id or an unknown query parameter. `errors` lists each invalid field with a JSON Pointer to it; nothing was written.',
  },
  {
    title: 'Invalid id',
    status: 400,
    description:
      'An id breaks the id rule: 1 to 200 characters, no control characters, no leading or trailing white space, well-formed Unicode, and not `blocked` for an epic. The detail names the id and the rule.',
  },
  {
    title: 'Malformed JSON',
    status: 400,
    description: 'The body is not valid JSON (or not UTF-8). Fix the document; nothing was written.',
  },
  {
    title: 'Malformed request',
    status: 400,
    description: 'The HTTP request itself could not be parsed (request line or headers). The connection is closed.',
  },
  {
    title: 'Bad request',
    status: 400,
    description: 'The request was refused before it reached the API; the detail says why.',
  },
  {
    title: 'Unauthorized',
    status: 401,
    description:
      'API keys are configured and this request needs one: send `Authorization: Bearer <key>` with one of the keys of `API_KEYS`.',
  },
  {
    title: 'Epic not found',
    status: 404,
    description:
      'No epic has the id named in the path (or the single epic a body names). List them with GET /v1/epics.',
  },
  {
    title: 'Task not found',
    status: 404,
    description: 'No epic holds the task named in the path. List them with GET /v1/tasks.',
  },
  {
    title: 'Bug not found',
    status: 404,
    description: 'No epic reports the bug named in the path. List them with GET /v1/bugs.',
  },
  {
    title: 'Link not found',
    status: 404,
    description: 'The parent epic does not link to that child epic. GET /v1/epics/{epicId} lists its links.',
  },
  {
    title: 'Not found',
    status: 404,
    description: 'No route has this path. The routes are listed at /docs.',
  },
  {
    title: 'Request timeout',
    status: 408,
    description:
      'The request (head and body) was not fully received in time (`HEADERS_TIMEOUT_MS`, `REQUEST_TIMEOUT_MS`). The connection is closed; nothing was written.',
  },
  {
    title: 'Method not allowed',
    status: 405,
    description: 'The path exists but does not take this method; the `Allow` header lists the methods it takes.',
  },
  {
    title: 'Epic already exists',
    status: 409,
    description: 'An epic with this id exists already. Epic ids are unique; nothing was written.',
  },
  {
    title: 'Task already in an epic',
    status: 409,
    description:
      'A task belongs to exactly one epic, and this one is in another epic already (or in two epics of one import). Nothing was written.',
  },
  {
    title: 'Bug already reported in this epic',
    status: 409,
    description:
      'This epic reports the bug already. A bug may be reported in several epics, once in each; nothing was written.',
  },
  {
    title: 'Link already exists',
    status: 409,
    description: 'The parent already links to this child epic; nothing was written.',
  },
  {
    title: 'Link to an unknown epic',
    status: 409,
    description:
      'The request links to an epic that exists neither in the request nor in the backlog. Create it first; nothing was written.',
  },
  {
    title: 'Links would form a cycle',
    status: 409,
    description:
      'Links must form a DAG: this link would make an epic reachable from itself. The detail names the cycle, e.g. `EpicA -> EpicB -> EpicA`; nothing was written.',
  },
  {
    title: 'Conflict',
    status: 409,
    description: 'The request breaks a rule of the backlog; nothing was written.',
  },
  {
    title: 'Payload too large',
    status: 413,
    description: 'The body is over the configured limit (`BODY_LIMIT`, in bytes); the detail states the limit.',
  },
  {
    title: 'Unsupported media type',
    status: 415,
    description: 'The API takes JSON only: send the body with `Content-Type: application/json`.',
  },
  {
    title: 'Too many requests',
    status: 429,
    description:
      'This client sent more requests than the rate limit allows (`RATE_LIMIT_MAX` per minute); retry after the seconds of the `Retry-After` header.',
  },
  {
    title: 'Events pruned',
    status: 410,
    description:
      'Some events after the `after` asked for are no longer kept (older than `EVENTS_RETENTION_DAYS`, or written before the store kept events); the detail names the oldest `after` still answered. Events were missed: read the backlog again (GET /v1/backlog), then follow the events after its ETag (its revision).',
  },
  {
    title: 'Precondition failed',
    status: 412,
    description:
      'The request sent `If-Match` with an ETag (a revision) that is no longer the current one: someone else changed the backlog first. Nothing was written. Read it again (its ETag is the current revision) and retry with that one.',
  },
  {
    title: 'Request header fields too large',
    status: 431,
    description: 'The request head is over 16 KiB. The connection is closed.',
  },
  {
    title: 'Internal server error',
    status: 500,
    description:
      'An unexpected error; it is logged with the request id (`X-Request-Id`). Nothing of the request is guaranteed to have been written: read the backlog again.',
  },
  {
    title: 'Service unavailable',
    status: 503,
    description:
      'The backlog store cannot be reached, or the service is overloaded (the detail says which); nothing was written. Retry after the seconds of the `Retry-After` header. One exception, which the detail states: a MongoDB commit that was sent but never confirmed has an unknown outcome, so read the backlog before retrying.',
  },
];

export function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** By status, as /problems lists them. */
export const PROBLEM_TYPES: ReadonlyMap<string, ProblemType> = new Map(
  [...TYPES].sort((a, b) => a.status - b.status).map((type) => [slugOf(type.title), type]),
);

/** The `type` URI of a problem with this title. */
export function problemTypeUri(title: string): string {
  const slug = slugOf(title);
  return PROBLEM_TYPES.has(slug) ? `/problems/${slug}` : 'about:blank';
}
