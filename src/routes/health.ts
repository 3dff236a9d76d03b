import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { BacklogStore } from '../domain/index.js';
import { HttpProblem } from '../http/http-errors.js';
import { withProblems } from '../schemas/problem-schemas.js';

// Kubernetes gives the probe 2 s: a store that does not answer within 1 s is not ready.
const READY_TIMEOUT_MS = 1000;

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
        summary:
          'Writes can succeed: the store answers, the disk has room, the last write did not fail (503 otherwise)',
        tags: ['operations'],
        response: withProblems({ 200: HealthSchema }, [503], []),
      },
    },
    async () => {
      await storeIsReady(app.store);
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

/** Resolves when the store can take a write now; otherwise a 503 problem saying why. */
async function storeIsReady(store: BacklogStore): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the store did not answer within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([store.ping(), late]);
  } catch (error) {
    throw new HttpProblem(503, 'Service unavailable', `Not ready: ${(error as Error).message}`, { 'retry-after': '1' });
  } finally {
    clearTimeout(timer);
  }
}
