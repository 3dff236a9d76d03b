import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { addBug, backlogView, bugReports, epicsBlockedByBug, removeBug } from '../domain/index.js';
import {
  BacklogViewSchema,
  BlockedEpicsSchema,
  BugListSchema,
  EpicRefSchema,
  IdSchema,
} from '../schemas/backlog-schemas.js';
import { withProblems } from '../schemas/problem-schemas.js';

const tags = ['bugs'];
const bugParams = z.object({ bugId: IdSchema });

export const bugRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/bugs',
    {
      schema: {
        operationId: 'listBugs',
        summary: 'Every bug and the epics that report it',
        tags,
        response: withProblems({ 200: BugListSchema }),
      },
    },
    async () => [...bugReports(await app.store.read())].map(([id, epics]) => ({ id, epics })),
  );

  app.post(
    '/bugs',
    {
      schema: {
        operationId: 'reportBug',
        summary: 'Report a bug in an epic (again with another epic: it is reported there too)',
        tags,
        body: EpicRefSchema,
        response: withProblems({ 201: BacklogViewSchema }, [409]),
      },
    },
    async (request, reply) => {
      const { id, epic } = request.body;
      return reply.code(201).send(backlogView(await app.store.update((b) => addBug(b, epic, id))));
    },
  );

  app.delete(
    '/bugs/:bugId',
    {
      schema: {
        operationId: 'fixBug',
        summary: 'Mark the bug fixed: remove it from every epic',
        tags,
        params: bugParams,
        response: withProblems({ 200: BacklogViewSchema }),
      },
    },
    async (request) => backlogView(await app.store.update((b) => removeBug(b, request.params.bugId))),
  );

  app.get(
    '/bugs/:bugId/blocked-epics',
    {
      schema: {
        operationId: 'listEpicsBlockedByBug',
        summary: 'The epics blocked by the bug and the highest of them',
        tags,
        params: bugParams,
        response: withProblems({ 200: BlockedEpicsSchema }),
      },
    },
    async (request) => epicsBlockedByBug(await app.store.read(), request.params.bugId),
  );
};
