import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { stdSerializers } from 'pino';

/** Routes scraped every few seconds by machines: their lines would drown the others at info. */
const QUIET_ROUTES = new Set(['/livez', '/readyz', '/metrics']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request: a stable, non-secret label of the API key used; unset without auth. */
    actor?: string;
    /** The error the request was answered with, logged once on its request line. */
    failure?: Error;
  }
}

/** Keeps the error a request was answered with, for its one log line (see logRequest). */
export function noteFailure(request: FastifyRequest, error: Error): void {
  request.failure = error;
}

function levelOf(request: FastifyRequest, status: number): 'error' | 'warn' | 'info' | 'debug' {
  if (status >= 500) return status === 503 ? 'warn' : 'error';
  // 304s are the dashboard's polls of an unchanged backlog.
  if (QUIET_ROUTES.has(request.routeOptions.url ?? '') || status === 304) return 'debug';
  return 'info';
}

/** pino's own error serialization, without what says nothing about a refused request. */
function serializeRefusal(error: Error): Record<string, unknown> {
  const { stack: _stack, aggregateErrors: _listed, ...kept } = stdSerializers.err(error) as Record<string, unknown>;
  return kept;
}

/**
 * A request's one log line: method, url, route, status, duration, actor, and the error it
 * was answered with (pino's `err` serializer: type, message, code; the stack on 5xx only).
 * The request id comes from the request's child logger (`reqId`).
 */
export function logRequest(request: FastifyRequest, status: number, durationMs: number): void {
  const failure = request.failure;
  const log = failure && status < 500 ? request.log.child({}, { serializers: { err: serializeRefusal } }) : request.log;
  log[levelOf(request, status)](
    {
      method: request.method,
      url: request.url,
      route: request.routeOptions.url ?? null,
      status,
      durationMs: Math.round(durationMs * 10) / 10,
      actor: request.actor ?? null,
      ...(failure ? { err: failure } : {}),
    },
    'request completed',
  );
}

/**
 * One log line per request, written when the answer is sent; Fastify's own two lines
 * are turned off (`disableRequestLogging`).
 */
function registerRequestLog(app: FastifyInstance): void {
  // Where a hang is being chased, the arrival of each request (before its body is read).
  app.addHook('onRequest', async (request) => {
    request.log.trace({ method: request.method, url: request.url }, 'request received');
  });
  app.addHook('onResponse', async (request, reply) => logRequest(request, reply.statusCode, reply.elapsedTime));
}

/** One line per request; the failure it was answered with comes from the problem handler. */
export const requestLog = fp(async (app) => registerRequestLog(app), {
  name: 'request-log',
  dependencies: ['problem-handler'],
});
