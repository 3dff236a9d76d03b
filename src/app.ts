import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fastifyRateLimit from '@fastify/rate-limit';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { BacklogStore } from './domain/index.js';
import { registerAuth } from './http/auth.js';
import { registerDashboard } from './http/dashboard.js';
import { registerEtag } from './http/etag.js';
import { HttpProblem } from './http/http-errors.js';
import { trackRouteMethods } from './http/method-not-allowed.js';
import { registerMetrics } from './http/metrics.js';
import { registerOpenApi } from './http/openapi.js';
import { answerClientError, answerFrameworkError, registerProblemHandler } from './http/problem-handler.js';
import { refuseUnknownQueryParameters } from './http/query-parameters.js';
import { boundedValidatorCompiler } from './http/validation.js';
import './http/fastify-types.js';
import { createLogger } from './logger.js';
import { backlogRoutes } from './routes/backlog.js';
import { bugRoutes } from './routes/bugs.js';
import { epicRoutes } from './routes/epics.js';
import { healthRoutes } from './routes/health.js';
import { taskRoutes } from './routes/tasks.js';

export interface AppOptions {
  config: Config;
  store: BacklogStore;
  logger?: FastifyBaseLogger;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the whole service around a store; never listens (src/server.ts does). */
export async function buildApp({ config, store, logger = createLogger(config) }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // An id is up to 200 code points, up to 2400 characters percent-encoded; the router's
    // default limit (100) answered 414 to valid ids. Node refuses a request head over
    // 16 KiB before routing, so this limit never bites: the schema decides (400).
    routerOptions: { maxParamLength: 16 * 1024 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // No request may hang: a client that stops sending its body is cut off (Node answers 408).
    requestTimeout: 30_000,
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => {
      const offered = request.headers['x-request-id'];
      return typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    },
    // Bodies are only read, never merged into objects, and `__proto__` is an ordinary epic id.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(boundedValidatorCompiler);
  // Responses are built from the domain's views; the schemas document them (and the
  // contract tests check them) without re-validating tens of thousands of epics per answer.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // The API takes JSON only (SPEC section 4: any other body is a 415); Fastify would parse text/plain too.
  app.removeContentTypeParser('text/plain');
  app.decorate('store', store);
  registerProblemHandler(app);
  refuseUnknownQueryParameters(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  if (config.rateLimitMax > 0) {
    await app.register(fastifyRateLimit, {
      max: config.rateLimitMax,
      timeWindow: '1 minute',
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(
          429,
          'Too many requests',
          `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
        ),
    });
  }
  const metrics = registerMetrics(app, store);
  await registerOpenApi(app);
  registerAuth(app, { apiKeys: config.apiKeys, authReads: config.authReads });
  const routeMethods = trackRouteMethods(app);
  registerEtag(app);
  await registerDashboard(app);

  await app.register(healthRoutes, { metrics });
  await app.register(backlogRoutes, { prefix: '/v1' });
  await app.register(epicRoutes, { prefix: '/v1' });
  await app.register(taskRoutes, { prefix: '/v1' });
  await app.register(bugRoutes, { prefix: '/v1' });
  routeMethods.answerOtherMethods();
  return app;
}
