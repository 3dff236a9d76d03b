import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { addTask, removeTask } from '../domain/index.js';
import { answerRead, commitAndAnswer, segment } from '../http/backlog-requests.js';
import { EpicRefSchema, IdSchema, MutationHeadersSchema, TaskListSchema } from '../schemas/backlog-schemas.js';
import { mutationResponses, withProblems } from '../schemas/problem-schemas.js';

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
    async (request, reply) =>
      answerRead(app, request, reply, ({ backlog }) => [...backlog.taskOwners].map(([id, epic]) => ({ id, epic }))),
  );

  app.post(
    '/tasks',
    {
      schema: {
        operationId: 'createTask',
        summary: 'Create a task in an epic',
        tags,
        headers: MutationHeadersSchema,
        body: EpicRefSchema,
        response: mutationResponses(201, [409]),
      },
    },
    async (request, reply) => {
      const { id, epic } = request.body;
      return commitAndAnswer(app, request, reply, (b) => addTask(b, epic, id), {
        created: () => `/v1/tasks/${segment(id)}`,
      });
    },
  );

  app.delete(
    '/tasks/:taskId',
    {
      schema: {
        operationId: 'completeTask',
        summary: 'Mark the task done: remove it',
        tags,
        headers: MutationHeadersSchema,
        params: z.object({ taskId: IdSchema }),
        response: mutationResponses(200),
      },
    },
    async (request, reply) => commitAndAnswer(app, request, reply, (b) => removeTask(b, request.params.taskId)),
  );
};
