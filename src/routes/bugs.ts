import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { addBug, bugReports, epicsBlockedByBug, removeBug } from '../domain/index.js';
import { answerRead, commitAndAnswer, segment } from '../http/backlog-requests.js';
import {
  BlockedEpicsSchema,
  BugListSchema,
  EpicRefSchema,
  IdSchema,
  MutationHeadersSchema,
} from '../schemas/backlog-schemas.js';
import { mutationResponses, withProblems } from '../schemas/problem-schemas.js';

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
    async (request, reply) =>
      answerRead(app, request, reply, ({ backlog }) => [...bugReports(backlog)].map(([id, epics]) => ({ id, epics }))),
  );

  app.post(
    '/bugs',
    {
      schema: {
        operationId: 'reportBug',
        summary: 'Report a bug in an epic (again with another epic: it is reported there too)',
        tags,
        headers: MutationHeadersSchema,
        body: EpicRefSchema,
        response: mutationResponses(201, [409]),
      },
    },
    async (request, reply) => {
      const { id, epic } = request.body;
      return commitAndAnswer(app, request, reply, (b) => addBug(b, epic, id), {
        created: () => `/v1/bugs/${segment(id)}`,
      });
    },
  );

  app.delete(
    '/bugs/:bugId',
    {
      schema: {
        operationId: 'fixBug',
        summary: 'Mark the bug fixed: remove it from every epic',
        tags,
        headers: MutationHeadersSchema,
        params: bugParams,
        response: mutationResponses(200),
      },
    },
    async (request, reply) => commitAndAnswer(app, request, reply, (b) => removeBug(b, request.params.bugId)),
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
    async (request, reply) =>
      answerRead(app, request, reply, ({ backlog }) => epicsBlockedByBug(backlog, request.params.bugId)),
  );
};
