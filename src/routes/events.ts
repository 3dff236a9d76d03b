import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { answerRead } from '../http/backlog-requests.js';
import { HttpProblem } from '../http/http-errors.js';
import { logRequest } from '../http/request-log.js';
import { AfterSchema, EventPageSchema, EventsQuerySchema } from '../schemas/event-schemas.js';
import { withProblems } from '../schemas/problem-schemas.js';

const tags = ['events'];
/** Seconds a client refused for EVENTS_MAX_CLIENTS waits before it tries again. */
const FULL_RETRY_AFTER_S = 5;

const StreamSchema = z.string().meta({
  description:
    'Server-Sent Events: each event as `id: <seq>` and `data: <the event as JSON>`, then a blank line; a comment line (`: heartbeat`) every EVENTS_HEARTBEAT_MS.',
});

export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/events',
    {
      schema: {
        operationId: 'listEvents',
        summary: 'The events (commits) after a seq, oldest first',
        tags,
        querystring: EventsQuerySchema,
        response: withProblems({ 200: EventPageSchema }, [410]),
      },
    },
    async (request, reply) =>
      answerRead(app, request, reply, () => app.store.events(request.query.after, request.query.limit)),
  );

  app.get(
    '/events/stream',
    {
      // An open stream has no revision: no ETag, no 304.
      config: { etag: false },
      schema: {
        operationId: 'streamEvents',
        summary: 'Every event as it commits, on any replica (Server-Sent Events)',
        tags,
        querystring: z.object({ after: AfterSchema.optional() }),
        headers: z.object({
          'last-event-id': z
            .string()
            .regex(/^\d{1,16}$/, 'the seq (id) of the last event received')
            .optional()
            .meta({
              description:
                'The `id` of the last event received, which a reconnecting EventSource sends: resumes after it, and wins over `after`. Left out: `after`, or live from now.',
            }),
        }),
        produces: ['text/event-stream'],
        response: withProblems({ 200: StreamSchema }, [410]),
      },
    },
    async (request, reply) => {
      const hub = app.eventHub;
      if (hub.full) {
        throw new HttpProblem(
          503,
          'Service unavailable',
          `The service streams to as many clients as it takes (EVENTS_MAX_CLIENTS); retry in ${FULL_RETRY_AFTER_S} s.`,
          { 'retry-after': String(FULL_RETRY_AFTER_S) },
        );
      }
      // HEAD (Fastify answers it with this handler): the head of a stream, and no stream held open.
      if (request.method === 'HEAD') return reply.type('text/event-stream; charset=utf-8').send('');
      const lastEventId = request.headers['last-event-id'];
      const after = lastEventId === undefined ? request.query.after : Number(lastEventId);
      const res = reply.raw;
      await hub.open(res, after, () => {
        // From here the stream is written by hand: no serializer, no compression, no onSend hook.
        reply.hijack();
        const headers: OutgoingHttpHeaders = {
          ...(reply.getHeaders() as OutgoingHttpHeaders),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          // nginx and its kin would buffer the stream otherwise.
          'x-accel-buffering': 'no',
          // The connection ends with the stream: nothing waits on it after a shutdown.
          connection: 'close',
        };
        res.writeHead(200, headers);
        res.flushHeaders();
        // A stream ended by its client never finishes: its one log line is written when it closes.
        res.on('close', () => {
          if (!res.writableFinished) logRequest(request, 200, reply.elapsedTime);
        });
      });
      if (!reply.sent) {
        // The client left before the stream opened.
        reply.hijack();
        res.destroy();
      }
      return reply;
    },
  );
};
