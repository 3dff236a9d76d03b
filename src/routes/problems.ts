import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { sendProblem } from '../http/problem-handler.js';
import { PROBLEM_TYPES, type ProblemType } from '../http/problem-types.js';
import { withProblems } from '../schemas/problem-schemas.js';

const ProblemTypeSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), description: z.string() })
  .meta({
    id: 'ProblemType',
    description: 'What a problem `type` means.',
    examples: [
      {
        type: '/problems/epic-not-found',
        title: 'Epic not found',
        status: 404,
        description: PROBLEM_TYPES.get('epic-not-found')?.description,
      },
    ],
  });

const HTML = 'text/html; charset=utf-8';
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`).replace(/`([^`]+)`/g, '<code>$1</code>');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main>${body}<p><a href="/problems">Every problem type</a> · <a href="/docs">API documentation</a></p></main></body></html>
`;
}

const describe = (slug: string, type: ProblemType) => ({ type: `/problems/${slug}`, ...type });

/** Whether the client asked for JSON rather than a page (a browser's Accept names text/html). */
const wantsJson = (accept: string | undefined) =>
  /application\/(problem\+)?json/.test(accept ?? '') && !/text\/html/.test(accept ?? '');

/**
 * The problem types, where their `type` URIs point: an HTML page for a person who follows
 * the link, or JSON for `Accept: application/json`. Outside /v1, open to every client.
 */
export const problemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/problems',
    {
      schema: {
        operationId: 'listProblemTypes',
        summary: 'Every problem type the API answers with',
        tags: ['problems'],
        produces: ['text/html', 'application/json'],
        response: withProblems({ 200: z.array(ProblemTypeSchema) }, [], []),
      },
    },
    async (request, reply) => {
      const types = [...PROBLEM_TYPES].map(([slug, type]) => describe(slug, type));
      if (wantsJson(request.headers.accept)) return types;
      const items = types.map(
        (type) => `<li><a href="${type.type}">${escapeHtml(type.title)}</a> (${type.status})</li>`,
      );
      return reply.type(HTML).send(page('Problem types', `<h1>Problem types</h1><ul>${items.join('')}</ul>`) as never);
    },
  );

  app.get(
    '/problems/:slug',
    {
      schema: {
        operationId: 'getProblemType',
        summary: 'What a problem type means (the page its `type` URI points to)',
        tags: ['problems'],
        params: z.object({
          slug: z.string().meta({ description: 'The last part of a problem `type`.', examples: ['epic-not-found'] }),
        }),
        produces: ['text/html', 'application/json'],
        response: withProblems({ 200: ProblemTypeSchema }, [404], []),
      },
    },
    async (request, reply) => {
      const type = PROBLEM_TYPES.get(request.params.slug);
      if (!type) {
        return sendProblem(reply, 404, 'Not found', `No problem type ${JSON.stringify(request.params.slug)}`);
      }
      const described = describe(request.params.slug, type);
      if (wantsJson(request.headers.accept)) return described;
      const body = `<h1>${escapeHtml(type.title)}</h1><p>HTTP status ${type.status}</p><p>${escapeHtml(type.description)}</p>`;
      return reply.type(HTML).send(page(type.title, body) as never);
    },
  );
};
