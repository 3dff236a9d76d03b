declare module 'fastify' {
  interface FastifyContextConfig {
    /** Probes and the metrics scrape: exempt from query string checks and load shedding. */
    probe?: boolean;
  }
}

export {};
