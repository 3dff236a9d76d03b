import fp from 'fastify-plugin';
import type { BacklogStore } from '../domain/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: BacklogStore;
  }
}

/** The backlog store every route reads and commits through (`app.store`). */
export const backlogStore = fp<{ store: BacklogStore }>(
  async (app, { store }) => {
    app.decorate('store', store);
  },
  { name: 'store' },
);
