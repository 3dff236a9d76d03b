import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import {
  addBug,
  addTask,
  backlogView,
  bugsOfEpic,
  computeStatuses,
  createEpic,
  deleteEpic,
  epicsBlockedByBug,
  epicsWithBlockedStatus,
  epicView,
  linkEpics,
  unlinkEpics,
} from '../domain/index.js';
import {
  BacklogViewSchema,
  BlockedEpicsSchema,
  BugListSchema,
  ChildLinkSchema,
  EpicDetailSchema,
  EpicIdSchema,
  EpicItemSchema,
  EpicStatusListSchema,
  IdBodySchema,
  IdSchema,
  NewEpicSchema,
  StatusSchema,
} from '../schemas/backlog-schemas.js';
import { withProblems } from '../schemas/problem-schemas.js';

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
    async (request) => {
      const statuses = [...computeStatuses(await app.store.read())].map(([id, status]) => ({ id, status }));
      const wanted = request.query.status;
      return wanted ? statuses.filter((epic) => epic.status === wanted) : statuses;
    },
  );

  app.post(
    '/epics',
    {
      schema: {
        operationId: 'createEpic',
        summary: 'Create an epic, with its tasks, bugs and links',
        tags,
        body: NewEpicSchema,
        response: withProblems({ 201: BacklogViewSchema }, [409]),
      },
    },
    async (request, reply) =>
      reply.code(201).send(backlogView(await app.store.update((b) => createEpic(b, request.body)))),
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
    async (request) => {
      const backlog = await app.store.read();
      const bugId = request.query.bug_id;
      return bugId === undefined ? epicsWithBlockedStatus(backlog) : epicsBlockedByBug(backlog, bugId);
    },
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
    async (request) => epicView(await app.store.read(), request.params.epicId),
  );

  app.delete(
    '/epics/:epicId',
    {
      schema: {
        operationId: 'deleteEpic',
        summary: 'Delete the epic, its tasks and bug reports, and every link to it',
        tags,
        params: epicParams,
        response: withProblems({ 200: BacklogViewSchema }),
      },
    },
    async (request) => backlogView(await app.store.update((b) => deleteEpic(b, request.params.epicId))),
  );

  app.post(
    '/epics/:epicId',
    {
      schema: {
        operationId: 'addItemToEpic',
        summary: 'Add a task or a bug to the epic',
        tags,
        params: epicParams,
        body: EpicItemSchema,
        response: withProblems({ 201: BacklogViewSchema }, [409]),
      },
    },
    async (request, reply) => {
      const { epicId } = request.params;
      const { type, id } = request.body;
      const added = await app.store.update((b) => (type === 'task' ? addTask(b, epicId, id) : addBug(b, epicId, id)));
      return reply.code(201).send(backlogView(added));
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
    async (request) => bugsOfEpic(await app.store.read(), request.params.epicId),
  );

  app.post(
    '/epics/:epicId/bugs',
    {
      schema: {
        operationId: 'addBugToEpic',
        summary: 'Report a bug in the epic',
        tags,
        params: epicParams,
        body: IdBodySchema,
        response: withProblems({ 201: BacklogViewSchema }, [409]),
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(backlogView(await app.store.update((b) => addBug(b, request.params.epicId, request.body.id)))),
  );

  app.post(
    '/epics/:epicId/epics',
    {
      schema: {
        operationId: 'linkEpic',
        summary: 'Link a child epic (refused when it would form a cycle)',
        tags,
        params: epicParams,
        body: ChildLinkSchema,
        response: withProblems({ 201: BacklogViewSchema }, [409]),
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(backlogView(await app.store.update((b) => linkEpics(b, request.params.epicId, request.body.id)))),
  );

  app.delete(
    '/epics/:epicId/epics/:childId',
    {
      schema: {
        operationId: 'unlinkEpic',
        summary: 'Remove the link to a child epic',
        tags,
        params: linkParams,
        response: withProblems({ 200: BacklogViewSchema }),
      },
    },
    async (request) =>
      backlogView(await app.store.update((b) => unlinkEpics(b, request.params.epicId, request.params.childId))),
  );
};
