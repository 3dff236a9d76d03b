import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BuildInfo } from '../build-info.js';
import { type BacklogStore, STATUSES, type Status } from '../domain/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Prometheus registry /metrics exposes. */
    metrics: Registry;
    /** History and live updates (SPEC section 8): events written, stream clients and drops. */
    eventMetrics: EventMetrics;
  }
}

export interface EventMetrics {
  /** Incremented for each commit that wrote an event. */
  readonly written: Counter;
  /** Open event streams. */
  readonly streamClients: Gauge;
  /** Streams closed because their client could not keep up. */
  readonly streamDrops: Counter;
}

/** Counts every request answered after it; `app.metrics` is the registry. */
export const metrics = fp<{ build: BuildInfo }>(
  async (app, { build }) => {
    const registry = registerMetrics(app, app.store, build);
    app.decorate('metrics', registry);
    app.decorate('eventMetrics', {
      written: new Counter({
        name: 'backlog_events_written_total',
        help: 'Events written with the commits of this process',
        registers: [registry],
      }),
      streamClients: new Gauge({
        name: 'backlog_event_stream_clients',
        help: 'Open event streams (GET /v1/events/stream)',
        registers: [registry],
      }),
      streamDrops: new Counter({
        name: 'backlog_event_stream_drops_total',
        help: 'Event streams closed because their client could not keep up',
        registers: [registry],
      }),
    } satisfies EventMetrics);
  },
  { name: 'metrics', dependencies: ['store'] },
);

/** A registry per app, so that several apps in one process (tests, replicas) never share counters. */
function registerMetrics(app: FastifyInstance, store: BacklogStore, build: BuildInfo): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'backlog_build_info',
    help: 'The running version of the service and of Node.js (always 1)',
    labelNames: ['version', 'node'],
    registers: [registry],
  }).set({ version: build.version, node: build.node }, 1);
  // Requests are counted by the histogram's _count: no separate counter.
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'backlog_epics',
    help: 'Epics in the backlog, by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      let counts: ReadonlyMap<Status, number>;
      try {
        // Kept by the backlog as it changes: a scrape costs nothing however large the backlog.
        counts = await store.read(({ backlog }) => new Map(backlog.statusCounts));
      } catch {
        return; // the store is unreachable: /readyz says so; the other metrics still answer
      }
      for (const status of STATUSES) this.set({ status }, counts.get(status) ?? 0);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // Unknown paths share one label so that probes of random URLs cannot grow the series without bound.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    duration.observe(labels, reply.elapsedTime / 1000);
  });
  return registry;
}
