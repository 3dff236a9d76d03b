import type { Duplex } from 'node:stream';
import { hasZodFastifySchemaValidationErrors } from '@fastify/type-provider-zod';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, type DomainErrorCode, StoreUnavailable } from '../domain/index.js';
import type { Problem } from '../schemas/problem-schemas.js';
import { HttpProblem, type InvalidField, RequestInvalid } from './http-errors.js';

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
  const problem: Problem = { type: `/problems/${slug(title)}`, title, status, detail, ...extra };
  return reply.code(status).type('application/problem+json').send(problem);
}

/** The single place where an error becomes an HTTP answer: application/problem+json, RFC 9457. */
export const problemHandler = fp(async (app) => registerProblemHandler(app), { name: 'problem-handler' });

function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map(
        (issue): InvalidField => ({
          in: (error.validationContext ?? 'body') as InvalidField['in'],
          path: issue.instancePath || '/',
          message: issue.message ?? 'is invalid',
        }),
      );
      logClientError(request, error, 400);
      return invalidRequest(reply, errors);
    }
    if (error instanceof RequestInvalid) {
      logClientError(request, error, 400);
      return invalidRequest(reply, error.errors);
    }
    if (error instanceof DomainError) {
      const { status, title } = DOMAIN_STATUS[error.code];
      logClientError(request, error, status);
      return sendProblem(reply, status, title, error.message);
    }
    if (error instanceof HttpProblem) {
      logClientError(request, error, error.status);
      reply.headers(error.headers);
      return sendProblem(reply, error.status, error.title, error.message);
    }
    if (error instanceof StoreUnavailable) {
      request.log.warn({ err: error, method: request.method, url: request.url }, 'store unavailable');
      reply.header('retry-after', '1');
      return sendProblem(
        reply,
        503,
        STATUS_TITLES[503] as string,
        'The backlog store cannot be reached; nothing was written. Retry shortly.',
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      logClientError(request, error, status);
      const title = FASTIFY_TITLES[error.code] ?? STATUS_TITLES[status] ?? 'Bad request';
      // Every 400 lists what is wrong (SPEC section 4); for a body that is not JSON, that is the body itself.
      const errors = status === 400 ? { errors: [{ in: 'body' as const, path: '/', message: error.message }] } : {};
      return sendProblem(reply, status, title, error.message, errors);
    }
    request.log.error(
      { err: error, method: request.method, url: request.url, params: request.params },
      'request failed',
    );
    return sendProblem(reply, 500, STATUS_TITLES[500] as string, 'The request could not be completed.');
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, 'Not found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}

/**
 * Fastify's `frameworkErrors`: what goes wrong before routing, such as a path that
 * is not valid percent-encoding, is answered as a problem too.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
  logClientError(request, error, status);
  if (error.code === 'FST_ERR_BAD_URL') invalidRequest(reply, undecodableSegments(request.url));
  else if (status === 400) invalidRequest(reply, [{ in: 'params', path: '/', message: error.message }]);
  else sendProblem(reply, status, STATUS_TITLES[status] ?? 'Bad request', error.message);
}

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

function logClientError(request: FastifyRequest, error: Error, status: number): void {
  request.log.info(
    {
      err: { message: error.message, code: (error as FastifyError).code },
      status,
      method: request.method,
      url: request.url,
      params: request.params,
    },
    'request refused',
  );
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
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
  const body = JSON.stringify({ type: `/problems/${slug(title)}`, title, status, detail });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
