import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  CommitOutcomeUnknown,
  DomainError,
  type DomainErrorCode,
  EventsPruned,
  RevisionMismatch,
  StoreBusy,
  StoreUnavailable,
} from '../domain/index.js';
import type { Problem } from '../schemas/problem-schemas.js';
import { HttpProblem, type InvalidField, RequestInvalid } from './http-errors.js';
import { problemTypeUri } from './problem-types.js';
import { logRequest, noteFailure } from './request-log.js';

const DOMAIN_STATUS: Record<DomainErrorCode, { status: number; title: string }> = {
  INVALID_ID: { status: 400, title: 'Invalid id' },
  EPIC_NOT_FOUND: { status: 404, title: 'Epic not found' },
  TASK_NOT_FOUND: { status: 404, title: 'Task not found' },
  BUG_NOT_FOUND: { status: 404, title: 'Bug not found' },
  LINK_NOT_FOUND: { status: 404, title: 'Link not found' },
  EPIC_EXISTS: { status: 409, title: 'Epic already exists' },
  TASK_EXISTS: { status: 409, title: 'Task already in an epic' },
  BUG_EXISTS: { status: 409, title: 'Bug already reported in this epic' },
  LINK_EXISTS: { status: 409, title: 'Link already exists' },
  UNKNOWN_EPIC_LINK: { status: 409, title: 'Link to an unknown epic' },
  CYCLE: { status: 409, title: 'Links would form a cycle' },
};

// Fastify's own client errors, by code; anything else with a 4xx statusCode keeps it.
const FASTIFY_TITLES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported media type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Payload too large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Malformed JSON',
};

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Events pruned',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail: string,
  extra: Partial<Problem> = {},
): FastifyReply {
  const problem: Problem = { type: problemTypeUri(title), title, status, detail, ...extra };
  // A 404 or 405 is cacheable by default, and would then outlive the epic created next.
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-cache');
  // A read sets its revision's ETag before it can fail; an error is no representation of that revision.
  reply.removeHeader('etag');
  return reply.code(status).type('application/problem+json').send(problem);
}

/** The single place where an error becomes an HTTP answer: application/problem+json, RFC 9457. */
export const problemHandler = fp(async (app) => registerProblemHandler(app), { name: 'problem-handler' });

function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Logged once, on the request's line (request-log.ts), with the error serialized.
    noteFailure(request, error);
    if (error instanceof RequestInvalid) return invalidRequest(reply, error.errors);
    if (error instanceof DomainError) {
      const { status, title } = DOMAIN_STATUS[error.code];
      return sendProblem(reply, status, title, error.message);
    }
    if (error instanceof RevisionMismatch) {
      return sendProblem(reply, 412, 'Precondition failed', `${error.message}; nothing was written`);
    }
    if (error instanceof EventsPruned) return sendProblem(reply, 410, 'Events pruned', eventsPrunedDetail(error));
    if (error instanceof HttpProblem) {
      reply.headers(error.headers);
      return sendProblem(reply, error.status, error.title, error.message);
    }
    if (error instanceof StoreUnavailable) {
      reply.header('retry-after', '1');
      return sendProblem(reply, 503, STATUS_TITLES[503] as string, storeUnavailableDetail(error));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const title = FASTIFY_TITLES[error.code] ?? STATUS_TITLES[status] ?? 'Bad request';
      const detail = clientErrorDetail(error, request);
      // Every 400 lists what is wrong (SPEC section 4); for a body that is not JSON, that is the body itself.
      const errors = status === 400 ? { errors: [{ in: 'body' as const, path: '/', message: detail }] } : {};
      return sendProblem(reply, status, title, detail, errors);
    }
    return sendProblem(reply, 500, STATUS_TITLES[500] as string, 'The request could not be completed.');
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, 'Not found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}

export function eventsPrunedDetail(error: EventsPruned): string {
  return `Events after seq ${error.after} are no longer all kept: the oldest after still answered is ${error.since}. Read the backlog again and follow the events after its revision`;
}

/** What a 503 promises: only an unconfirmed commit may have been written. Internals (paths, hosts) stay in the log. */
function storeUnavailableDetail(error: StoreUnavailable): string {
  if (error instanceof CommitOutcomeUnknown) {
    return 'The backlog store did not confirm the commit: the outcome is unknown, and the change may have been written. Read the backlog before retrying.';
  }
  if (error instanceof StoreBusy) {
    return `The service is busy: the request ${error.message}. Retry shortly.`;
  }
  return 'The backlog store cannot be reached; nothing was written. Retry shortly.';
}

/**
 * Fastify's `frameworkErrors`: what goes wrong before routing, such as a path that
 * is not valid percent-encoding, is answered as a problem too.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
  // Fastify runs no onResponse hook for these: the request's one line is written here.
  noteFailure(request, error);
  logRequest(request, status, 0);
  // Refused before routing, so before helmet's hook: its essential headers, set here.
  reply.headers(BASELINE_SECURITY_HEADERS);
  if (error.code === 'FST_ERR_BAD_URL') invalidRequest(reply, undecodableSegments(request.url));
  else if (status === 400) invalidRequest(reply, [{ in: 'params', path: '/', message: error.message }]);
  else sendProblem(reply, status, STATUS_TITLES[status] ?? 'Bad request', error.message);
}

const BASELINE_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** Names each path segment that is not percent-encoded UTF-8, e.g. a lone surrogate `t%ED%A0%80`. */
function undecodableSegments(url: string): InvalidField[] {
  const segments = (url.split('?')[0] ?? '').split('/').filter((segment) => {
    try {
      decodeURIComponent(segment);
      return false;
    } catch {
      return true;
    }
  });
  return (segments.length > 0 ? segments : [url]).map((segment) => ({
    in: 'params',
    path: '/',
    message: `id ${JSON.stringify(segment)} is not percent-encoded UTF-8: an id must be well-formed Unicode`,
  }));
}

// A body of many invalid items would otherwise get an answer many times its own size.
const MAX_LISTED_ERRORS = 100;

function invalidRequest(reply: FastifyReply, errors: readonly InvalidField[]): FastifyReply {
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const more = errors.length > listed.length ? `; and ${errors.length - listed.length} more` : '';
  const detail = listed
    .map((error) => `${error.in}${error.path === '/' ? '' : error.path}: ${error.message}`)
    .join('; ');
  return sendProblem(reply, 400, 'Invalid request', detail + more, { errors: listed });
}

/** Fastify's own messages, completed with what the client should send instead. */
function clientErrorDetail(error: FastifyError, request: FastifyRequest): string {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const sent = request.headers['content-type'];
    return `${sent ? `Content-Type ${JSON.stringify(sent)} is not supported` : 'The body has no Content-Type'}: send the body as application/json`;
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return `The body is over the limit of ${request.routeOptions.bodyLimit} bytes`;
  }
  return error.message;
}

const CLIENT_ERRORS: Record<string, { status: number; title: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    title: 'Request header fields too large',
    detail: 'The request head is over 16 KiB',
  },
  // Node's headers or request timeout (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS).
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request timeout',
    detail: 'The request was not fully received in time; the connection is closed',
  },
};

/**
 * Fastify's `clientErrorHandler`: a request Node cannot even parse (a malformed
 * request line or header, a head over 16 KiB, a client too slow to send it) still
 * gets a problem, then the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, title, detail } = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    title: 'Malformed request',
    detail: `The request could not be parsed (${error.code ?? 'client error'})`,
  };
  const body = JSON.stringify({ type: problemTypeUri(title), title, status, detail });
  const rawHeaders = Object.entries({ ...BASELINE_SECURITY_HEADERS, 'cache-control': 'no-store' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${rawHeaders}Connection: close\r\n\r\n${body}`,
  );
}
