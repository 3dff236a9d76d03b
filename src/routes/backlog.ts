import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { backlogFromDictionary, backlogView, mergeDictionary, toDictionary } from '../domain/index.js';
import { dictionaryJson, dictionaryOf, dictionaryValidatorCompiler } from '../http/dictionary-body.js';
import { BacklogViewSchema, DictionarySchema, ExportSchema } from '../schemas/backlog-schemas.js';
import { withProblems } from '../schemas/problem-schemas.js';

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
    async () => backlogView(await app.store.read()),
  );

  app.post(
    '/backlog',
    {
      schema: {
        operationId: 'importBacklog',
        summary: 'Merge a dictionary into the backlog (importing the same document twice changes nothing)',
        tags,
        body: DictionarySchema,
        response: withProblems({ 200: BacklogViewSchema }, [409]),
      },
      validatorCompiler: dictionaryValidatorCompiler,
    },
    async (request) => {
      const dictionary = dictionaryOf(request);
      return backlogView(await app.store.update((backlog) => mergeDictionary(backlog, dictionary)));
    },
  );

  app.put(
    '/backlog',
    {
      schema: {
        operationId: 'replaceBacklog',
        summary: 'Replace the whole backlog with a dictionary',
        tags,
        body: DictionarySchema,
        response: withProblems({ 200: BacklogViewSchema }, [409]),
      },
      validatorCompiler: dictionaryValidatorCompiler,
    },
    async (request) => {
      const replacement = backlogFromDictionary(dictionaryOf(request));
      return backlogView(await app.store.update(() => replacement));
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
    async (_request, reply) => {
      // Serialised here, in creation order: an object would list integer-like ids first.
      const text = dictionaryJson(toDictionary(await app.store.read()));
      return reply.type('application/json').send(text as never);
    },
  );
};
