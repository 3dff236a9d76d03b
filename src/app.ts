import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fastifyCompress from '@fastify/compress';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { readBuildInfo } from './build-info.js';
import type { Config } from './config.js';
import type { BacklogStore } from './domain/index.js';
import { apiKeyAuth } from './http/auth.js';
import { cors } from './http/cors.js';
import { dashboard } from './http/dashboard.js';
import { eventHub } from './http/event-hub.js';
import { jsonBody } from './http/json-body.js';
import { loadShedding } from './http/load-shedding.js';
import { methodNotAllowed, routeMethods } from './http/method-not-allowed.js';
import { metrics } from './http/metrics.js';
import { openApi } from './http/openapi.js';
import { answerClientError, answerFrameworkError, problemHandler } from './http/problem-handler.js';
import { unknownQueryParameters } from './http/query-parameters.js';
import { rateLimit } from './http/rate-limit.js';
import { requestLog } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { limitConnections, serverTimeouts } from './http/server-limits.js';
import { backlogStore } from './http/store.js';
import { boundedValidatorCompiler } from './http/validation.js';
import { createLogger } from './logger.js';
import { apiV1 } from './routes/api-v1.js';
import { probes } from './routes/health.js';
import { problemRoutes } from './routes/problems.js';

export interface AppOptions {
  config: Config;
  store: BacklogStore;
  logger?: FastifyBaseLogger;
  /** Event streams: a stream whose unsent bytes pass this is dropped (default 1 MiB; tests make it tiny). */
  streamBufferBytes?: number;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the whole service around a store; never listens (src/server.ts does). */
export async function buildApp({
  config,
  store,
  logger = createLogger(config),
  streamBufferBytes,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // An id is up to 200 code points, up to 2400 characters percent-encoded; the router's
    // default limit (100) answered 414 to valid ids. Node refuses a request head over
    // 16 KiB before routing, so this limit never bites: the schema decides (400).
    // `/v1/epics/` is `/v1/epics`, everywhere: a trailing slash never changes the route.
    routerOptions: { maxParamLength: 16 * 1024, ignoreTrailingSlash: true },
    // One line per request instead, when it is answered: src/http/request-log.ts.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // No request may hang: a client too slow to send its request is answered 408 (SPEC section 6).
    ...serverTimeouts(config.server),
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => {
      const offered = request.headers['x-request-id'];
      return typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    },
    // Bodies are only read, never merged into objects, and `__proto__` is an ordinary epic id.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
  }).withTypeProvider<ZodTypeProvider>();

  limitConnections(app, config.server);
  app.setValidatorCompiler(boundedValidatorCompiler);
  // Responses are built from the domain's views; the schemas document them (and the
  // contract tests check them) without re-validating tens of thousands of epics per answer.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // The API takes JSON only (SPEC section 4: any other body is a 415); Fastify would parse text/plain too.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Each plugin names the plugins it needs (its `dependencies`): Fastify refuses to
  // start if one is missing or registered after it.
  await app.register(backlogStore, { store });
  await app.register(problemHandler);
  await app.register(requestLog);
  await app.register(securityHeaders);
  await app.register(loadShedding, { pressure: config.pressure });
  await app.register(jsonBody);
  // gzip or br when the client accepts it; the backlog view comes compressed once per revision (backlog-body.ts).
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'] });
  await app.register(unknownQueryParameters);
  await app.register(rateLimit, { max: config.rateLimitMax });
  const build = readBuildInfo();
  await app.register(metrics, { build });
  await app.register(eventHub, {
    maxClients: config.events.maxClients,
    heartbeatMs: config.events.heartbeatMs,
    maxBufferedBytes: streamBufferBytes,
  });
  await app.register(openApi, {
    version: build.version,
    apiKeys: config.apiKeys,
    rateLimited: config.rateLimitMax > 0,
  });
  await app.register(cors, { origins: config.corsOrigins });
  await app.register(apiKeyAuth, { apiKeys: config.apiKeys, authReads: config.authReads });
  await app.register(routeMethods);

  await app.register(dashboard);
  await app.register(probes);
  await app.register(problemRoutes);
  await app.register(apiV1, { prefix: '/v1' });
  await app.register(methodNotAllowed);
  return app;
}
