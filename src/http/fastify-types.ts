import type { BacklogStore } from '../domain/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: BacklogStore;
  }
  interface FastifyContextConfig {
    /** Set on the routes that answer 405 for a path's other methods. */
    methodNotAllowed?: boolean;
    /** Probes and the metrics scrape: exempt from query string checks and load shedding. */
    probe?: boolean;
  }
}
