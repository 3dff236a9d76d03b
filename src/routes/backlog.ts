import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { backlogFromDictionary, mergeDictionary, replaceChange, toDictionary } from '../domain/index.js';
import { answerRead, commitAndAnswer, sendBacklogView } from '../http/backlog-requests.js';
import { dictionaryJson, dictionaryOf, dictionaryValidatorCompiler } from '../http/dictionary-body.js';
import {
  BacklogViewSchema,
  DictionarySchema,
  ExportSchema,
  MutationHeadersSchema,
} from '../schemas/backlog-schemas.js';
import { mutationResponses, withProblems } from '../schemas/problem-schemas.js';

const tags = ['backlog'];

export const backlogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/backlog',
    {
      schema: {
        operationId: 'getBacklog',
        summary: 'The backlog with every status',
        tags,
        response: withProblems({ 200: BacklogViewSchema }),
      },
    },
    async (request, reply) =>
      answerRead(app, request, reply, (committed) => sendBacklogView(app, request, reply, committed)),
  );

  app.post(
    '/backlog',
    {
      schema: {
        operationId: 'importBacklog',
        summary: 'Merge a dictionary into the backlog (importing the same document twice changes nothing)',
        tags,
        headers: MutationHeadersSchema,
        body: DictionarySchema,
        response: mutationResponses(200, [409]),
      },
      validatorCompiler: dictionaryValidatorCompiler,
    },
    async (request, reply) => {
      const dictionary = dictionaryOf(request);
      return commitAndAnswer(app, request, reply, (backlog) => mergeDictionary(backlog, dictionary));
    },
  );

  app.put(
    '/backlog',
    {
      schema: {
        operationId: 'replaceBacklog',
        summary: 'Replace the whole backlog with a dictionary',
        tags,
        headers: MutationHeadersSchema,
        body: DictionarySchema,
        response: mutationResponses(200, [409]),
      },
      validatorCompiler: dictionaryValidatorCompiler,
    },
    async (request, reply) => {
      const dictionary = dictionaryOf(request);
      // Built on every try: a store may plan again after a conflict, and a commit takes ownership of the replacement.
      return commitAndAnswer(app, request, reply, (backlog) =>
        replaceChange(backlog, backlogFromDictionary(dictionary)),
      );
    },
  );

  app.get(
    '/export',
    {
      schema: {
        operationId: 'exportBacklog',
        summary: 'The backlog in the dictionary format',
        tags,
        response: withProblems({ 200: ExportSchema }),
      },
    },
    async (request, reply) =>
      answerRead(app, request, reply, ({ backlog }) => {
        // Serialised here, in creation order: an object would list integer-like ids first.
        return reply.type('application/json').send(dictionaryJson(toDictionary(backlog)) as never);
      }),
  );
};
