import fp from 'fastify-plugin';
import type { BacklogStore } from '../domain/index.js';
import { type BacklogBodies, createBacklogBodies } from './backlog-body.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: BacklogStore;
    /** The serialised BacklogView of the latest revision, shared by every answer. */
    backlogBodies: BacklogBodies;
  }
}

/** The backlog store every route reads and commits through (`app.store`), and the answers built from it. */
export const backlogStore = fp<{ store: BacklogStore }>(
  async (app, { store }) => {
    app.decorate('store', store);
    app.decorate('backlogBodies', createBacklogBodies());
  },
  { name: 'store' },
);
