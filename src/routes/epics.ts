import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import {
  addBug,
  addTask,
  bugsOfEpic,
  createEpic,
  deleteEpic,
  EpicNotFound,
  epicDetail,
  epicsBlockedByBug,
  epicsWithBlockedStatus,
  linkEpics,
  unlinkEpics,
} from '../domain/index.js';
import { answerRead, commitAndAnswer, segment } from '../http/backlog-requests.js';
import {
  BlockedEpicsSchema,
  BugListSchema,
  ChildLinkSchema,
  EpicDetailSchema,
  EpicIdSchema,
  EpicItemSchema,
  EpicStatusListSchema,
  IdBodySchema,
  IdSchema,
  MutationHeadersSchema,
  NewEpicSchema,
  StatusSchema,
} from '../schemas/backlog-schemas.js';
import { HistorySchema } from '../schemas/event-schemas.js';
import { mutationResponses, withProblems } from '../schemas/problem-schemas.js';

const tags = ['epics'];
const epicParams = z.object({ epicId: EpicIdSchema });
// The example is a link of the document's example dictionary (EpicD -> EpicC).
const linkParams = z.object({
  epicId: EpicIdSchema.meta({ examples: ['EpicD'] }),
  childId: EpicIdSchema.meta({ examples: ['EpicC'] }),
});

export const epicRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/epics',
    {
      schema: {
        operationId: 'listEpics',
        summary: 'Every epic and its status',
        tags,
        querystring: z.object({ status: StatusSchema.optional() }),
        response: withProblems({ 200: EpicStatusListSchema }),
      },
    },
    async (request, reply) =>
      answerRead(app, request, reply, ({ backlog }) => {
        const statuses = [...backlog.statuses].map(([id, status]) => ({ id, status }));
        const wanted = request.query.status;
        return wanted ? statuses.filter((epic) => epic.status === wanted) : statuses;
      }),
  );

  app.post(
    '/epics',
    {
      schema: {
        operationId: 'createEpic',
        summary: 'Create an epic, with its tasks, bugs and links',
        tags,
        headers: MutationHeadersSchema,
        body: NewEpicSchema,
        response: mutationResponses(201, [409]),
      },
    },
    async (request, reply) =>
      commitAndAnswer(app, request, reply, (b) => createEpic(b, request.body), {
        created: () => `/v1/epics/${segment(request.body.id)}`,
      }),
  );

  app.get(
    '/epics/blocked',
    {
      schema: {
        operationId: 'listBlockedEpics',
        summary: 'Epics blocked by a bug (with bug_id), or every epic whose status is blocked',
        tags,
        querystring: z.object({ bug_id: IdSchema.optional() }),
        response: withProblems({ 200: BlockedEpicsSchema }),
      },
    },
    async (request, reply) =>
      answerRead(app, request, reply, ({ backlog }) => {
        const bugId = request.query.bug_id;
        return bugId === undefined ? epicsWithBlockedStatus(backlog) : epicsBlockedByBug(backlog, bugId);
      }),
  );

  app.get(
    '/epics/:epicId',
    {
      schema: {
        operationId: 'getEpic',
        summary: 'One epic, its status and its parents',
        tags,
        params: epicParams,
        response: withProblems({ 200: EpicDetailSchema }),
      },
    },
    async (request, reply) =>
      answerRead(app, request, reply, ({ backlog }) => epicDetail(backlog, request.params.epicId)),
  );

  app.delete(
    '/epics/:epicId',
    {
      schema: {
        operationId: 'deleteEpic',
        summary: 'Delete the epic, its tasks and bug reports, and every link to it',
        tags,
        headers: MutationHeadersSchema,
        params: epicParams,
        response: mutationResponses(200),
      },
    },
    async (request, reply) => commitAndAnswer(app, request, reply, (b) => deleteEpic(b, request.params.epicId)),
  );

  app.post(
    '/epics/:epicId',
    {
      schema: {
        operationId: 'addItemToEpic',
        summary: 'Add a task or a bug to the epic',
        tags,
        headers: MutationHeadersSchema,
        params: epicParams,
        body: EpicItemSchema,
        response: mutationResponses(201, [409]),
      },
    },
    async (request, reply) => {
      const { epicId } = request.params;
      const { type, id } = request.body;
      return commitAndAnswer(
        app,
        request,
        reply,
        (b) => (type === 'task' ? addTask(b, epicId, id) : addBug(b, epicId, id)),
        {
          created: () => `/v1/${type === 'task' ? 'tasks' : 'bugs'}/${segment(id)}`,
        },
      );
    },
  );

  app.get(
    '/epics/:epicId/history',
    {
      schema: {
        operationId: 'getEpicHistory',
        summary: 'The status timeline of the epic, oldest first (a deleted epic’s too)',
        tags,
        params: epicParams,
        response: withProblems({ 200: HistorySchema }),
      },
    },
    async (request, reply) => {
      const { epicId } = request.params;
      return answerRead(app, request, reply, ({ backlog }) => {
        const exists = backlog.epics.has(epicId);
        return app.store.history(epicId).then((history) => {
          if (!exists && history.length === 0) throw new EpicNotFound(epicId);
          return history;
        });
      });
    },
  );

  app.get(
    '/epics/:epicId/bugs',
    {
      schema: {
        operationId: 'listEpicBugs',
        summary: 'Bugs of the epic and of every epic under it, each once',
        tags,
        params: epicParams,
        response: withProblems({ 200: BugListSchema }),
      },
    },
    async (request, reply) =>
      answerRead(app, request, reply, ({ backlog }) => bugsOfEpic(backlog, request.params.epicId)),
  );

  app.post(
    '/epics/:epicId/bugs',
    {
      schema: {
        operationId: 'addBugToEpic',
        summary: 'Report a bug in the epic',
        tags,
        headers: MutationHeadersSchema,
        params: epicParams,
        body: IdBodySchema,
        response: mutationResponses(201, [409]),
      },
    },
    async (request, reply) =>
      commitAndAnswer(app, request, reply, (b) => addBug(b, request.params.epicId, request.body.id), {
        created: () => `/v1/bugs/${segment(request.body.id)}`,
      }),
  );

  app.post(
    '/epics/:epicId/epics',
    {
      schema: {
        operationId: 'linkEpic',
        summary: 'Link a child epic (refused when it would form a cycle)',
        tags,
        headers: MutationHeadersSchema,
        params: epicParams,
        body: ChildLinkSchema,
        response: mutationResponses(201, [409]),
      },
    },
    async (request, reply) =>
      commitAndAnswer(app, request, reply, (b) => linkEpics(b, request.params.epicId, request.body.id), {
        created: () => `/v1/epics/${segment(request.params.epicId)}/epics/${segment(request.body.id)}`,
      }),
  );

  app.delete(
    '/epics/:epicId/epics/:childId',
    {
      schema: {
        operationId: 'unlinkEpic',
        summary: 'Remove the link to a child epic',
        tags,
        headers: MutationHeadersSchema,
        params: linkParams,
        response: mutationResponses(200),
      },
    },
    async (request, reply) =>
      commitAndAnswer(app, request, reply, (b) => unlinkEpics(b, request.params.epicId, request.params.childId)),
  );
};
