import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Backlog, Change, Commit, Committed, EventCause } from '../domain/index.js';
import { etagOf, ifNoneMatchMatches, revisionsOfIfMatch } from './etag.js';
import './store.js';

/**
 * Answers a read of /v1: sets the ETag of the current revision and, when the
 * request's If-None-Match names it, answers 304 before any view is built;
 * otherwise answers what `answer` makes of the backlog. `answer` runs on the
 * committed backlog before any other commit can change it (BacklogStore.read).
 */
export function answerRead<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  answer: (committed: Committed) => T,
): Promise<T | FastifyReply> {
  return app.store.read((committed) => {
    const etag = etagOf(committed.revision);
    reply.header('etag', etag);
    if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return answer(committed);
  });
}

/**
 * Answers the whole BacklogView of a committed revision, shared and compressed once
 * per revision. Its backlog is read synchronously, before the returned promise.
 */
export function sendBacklogView(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  committed: Committed,
): Promise<FastifyReply> {
  return app.backlogBodies.answer(committed, request.headers['accept-encoding']).then(({ body, encoding }) => {
    reply.header('vary', 'accept-encoding');
    if (encoding) reply.header('content-encoding', encoding);
    return reply.type('application/json; charset=utf-8').send(body);
  });
}

export interface CommitOptions {
  /** 201 for a creation (with `location`), else 200. */
  readonly created?: (commit: Commit) => string;
}

/**
 * Every mutation of /v1: commits the change (only if the backlog is still at a
 * revision named by If-Match, when sent), then answers with the new ETag and the
 * whole BacklogView, or 204 and no body when the client asked `Prefer: return=minimal`.
 */
export async function commitAndAnswer(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  plan: (backlog: Backlog) => Change,
  options: CommitOptions = {},
): Promise<FastifyReply> {
  const ifRevision = revisionsOfIfMatch(request.headers['if-match']);
  return app.store.update(plan, { ifRevision, cause: causeOf(request) }, (commit) => {
    if (commit.event) app.eventMetrics.written.inc();
    reply.header('etag', etagOf(commit.revision));
    if (options.created) reply.header('location', options.created(commit)).code(201);
    if (!prefersMinimal(request.headers.prefer)) return sendBacklogView(app, request, reply, commit);
    return reply.header('preference-applied', 'return=minimal').code(204).send();
  });
}

/**
 * Who made a mutation and how, as its event records it (SPEC section 8): the key's
 * name, the method, the route as documented (`/v1/tasks/{taskId}`), and the ids it
 * names: its path parameters in path order, then the `id` and `epic` of a body that
 * adds one item (so that "who added TaskX" has an answer). An import's epics are
 * in its changes, not listed here.
 */
export function causeOf(request: FastifyRequest): EventCause {
  const pattern = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
  const params = (request.params ?? {}) as Record<string, string>;
  const names = [...pattern.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
  const body = (request.body ?? {}) as { id?: unknown; epic?: unknown };
  const bodyIds = [body.id, body.epic].filter((id): id is string => typeof id === 'string');
  return {
    actor: request.actor ?? null,
    operation: {
      method: request.method,
      route: pattern.replace(/:(\w+)/g, '{$1}'),
      ids: [...names.map((name) => params[name] ?? ''), ...bodyIds],
    },
  };
}

/** RFC 7240: `Prefer: return=minimal`, possibly among other preferences. */
function prefersMinimal(header: string | string[] | undefined): boolean {
  const values = Array.isArray(header) ? header.join(',') : (header ?? '');
  return values.split(',').some((preference) => /^\s*return\s*=\s*"?minimal"?\s*(?:;|$)/i.test(preference));
}

/** A path segment of a Location header. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
