import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type BacklogStore, computeStatuses, STATUSES } from '../domain/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Prometheus registry /metrics exposes. */
    metrics: Registry;
  }
}

/** Counts every request answered after it; `app.metrics` is the registry. */
export const metrics = fp(
  async (app) => {
    app.decorate('metrics', registerMetrics(app, app.store));
  },
  { name: 'metrics', dependencies: ['store'] },
);

/** A registry per app, so that several apps in one process (tests, replicas) never share counters. */
function registerMetrics(app: FastifyInstance, store: BacklogStore): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests',
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'backlog_epics',
    help: 'Epics in the backlog, by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = new Map<string, number>(STATUSES.map((status) => [status, 0]));
      try {
        for (const status of computeStatuses(await store.read()).values())
          counts.set(status, (counts.get(status) ?? 0) + 1);
      } catch {
        return; // the store is unreachable: /readyz says so; the other metrics still answer
      }
      for (const [status, count] of counts) this.set({ status }, count);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // Unknown paths share one label so that probes of random URLs cannot grow the series without bound.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
  return registry;
}
