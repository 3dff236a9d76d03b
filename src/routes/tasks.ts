import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { addTask, backlogView, removeTask, taskOwners } from '../domain/index.js';
import { BacklogViewSchema, EpicRefSchema, IdSchema, TaskListSchema } from '../schemas/backlog-schemas.js';
import { withProblems } from '../schemas/problem-schemas.js';

const tags = ['tasks'];

export const taskRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/tasks',
    {
      schema: {
        operationId: 'listTasks',
        summary: 'Every task and its epic',
        tags,
        response: withProblems({ 200: TaskListSchema }),
      },
    },
    async () => [...taskOwners(await app.store.read())].map(([id, epic]) => ({ id, epic })),
  );

  app.post(
    '/tasks',
    {
      schema: {
        operationId: 'createTask',
        summary: 'Create a task in an epic',
        tags,
        body: EpicRefSchema,
        response: withProblems({ 201: BacklogViewSchema }, [409]),
      },
    },
    async (request, reply) => {
      const { id, epic } = request.body;
      return reply.code(201).send(backlogView(await app.store.update((b) => addTask(b, epic, id))));
    },
  );

  app.delete(
    '/tasks/:taskId',
    {
      schema: {
        operationId: 'completeTask',
        summary: 'Mark the task done: remove it',
        tags,
        params: z.object({ taskId: IdSchema }),
        response: withProblems({ 200: BacklogViewSchema }),
      },
    },
    async (request) => backlogView(await app.store.update((b) => removeTask(b, request.params.taskId))),
  );
};
