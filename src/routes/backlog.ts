import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import type { FastifyBodyParser } from 'fastify';
import { backlogFromDictionary, backlogView, mergeDictionary, toDictionary } from '../domain/index.js';
import { createDictionaryBodies, dictionaryJson } from '../http/dictionary-body.js';
import { BacklogViewSchema, DictionarySchema, ExportSchema } from '../schemas/backlog-schemas.js';
import { withProblems } from '../schemas/problem-schemas.js';

const tags = ['backlog'];

export const backlogRoutes: FastifyPluginAsyncZod = async (app) => {
  // Fastify's own JSON parser, which reads the body as text first (FastifyBodyParser<string>).
  const parseJson = app.getDefaultJsonParser('ignore', 'ignore') as unknown as FastifyBodyParser<string>;
  const dictionaryBodies = createDictionaryBodies(parseJson);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, dictionaryBodies.parser);

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
      preValidation: dictionaryBodies.keepParsedBody,
    },
    async (request) => {
      const dictionary = dictionaryBodies.entries(request, request.body);
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
      preValidation: dictionaryBodies.keepParsedBody,
    },
    async (request) => {
      const replacement = backlogFromDictionary(dictionaryBodies.entries(request, request.body));
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
