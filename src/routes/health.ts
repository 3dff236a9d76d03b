import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { withProblems } from '../schemas/problem-schemas.js';

const HealthSchema = z.object({ status: z.enum(['ok']) }).meta({ examples: [{ status: 'ok' }] });

/** Probes for orchestrators and the Prometheus scrape, outside /v1. */
// Orchestrators probe these every few seconds from one address; a rate limit must not turn a probe into a 429.
// They also take any query string (a cache-busting `?t=` must not fail a probe).
const probeConfig = { rateLimit: false, probe: true } as const;

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/livez',
    {
      config: probeConfig,
      schema: {
        operationId: 'getLiveness',
        summary: 'The process is up',
        tags: ['operations'],
        response: withProblems({ 200: HealthSchema }, [], []),
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: probeConfig,
      schema: {
        operationId: 'getReadiness',
        summary: 'The store is reachable (503 otherwise)',
        tags: ['operations'],
        response: withProblems({ 200: HealthSchema }, [503], []),
      },
    },
    async () => {
      await app.store.ping();
      return { status: 'ok' as const };
    },
  );

  app.get(
    '/metrics',
    {
      // The metrics count epics by status: a read of the backlog for the key policy (auth.ts).
      config: { ...probeConfig, access: 'read' },
      schema: {
        operationId: 'getMetrics',
        summary: 'Prometheus metrics: requests and latencies per route, epics by status',
        tags: ['operations'],
        produces: ['text/plain'],
        response: withProblems(
          { 200: z.string().meta({ description: 'Prometheus text exposition format' }) },
          [401],
          [],
        ),
      },
    },
    async (_request, reply) => {
      const text = await app.metrics.metrics();
      return reply.type(app.metrics.contentType).send(text);
    },
  );
};

export const probes = fp(healthRoutes, {
  name: 'probes',
  encapsulate: true,
  dependencies: ['store', 'metrics', 'rate-limit', 'openapi', 'api-key-auth', 'route-methods'],
});
