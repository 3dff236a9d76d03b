import type { ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ServerLimits } from '../config.js';

/**
 * Fastify's server options for slow clients. Node checks the request and header
 * timeouts on a timer (every 30 s by default, so a 30 s timeout fired after up to
 * 60 s): checking a few times per timeout answers 408 close to the configured time.
 */
export function serverTimeouts(limits: ServerLimits) {
  const checkEveryMs = Math.min(1000, Math.max(50, Math.floor(limits.headersTimeoutMs / 4)));
  return {
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: checkEveryMs,
    } satisfies ServerOptions,
  };
}

/** Beyond the cap Node refuses new connections at once, so slow clients cannot take every socket. */
export function limitConnections(app: FastifyInstance, limits: ServerLimits): void {
  app.server.maxConnections = limits.maxConnections;
}
