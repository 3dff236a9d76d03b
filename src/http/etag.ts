import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);

/** A strong entity tag for a representation: the SHA-256 of its bytes, base64url. */
export function strongEtag(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url')}"`;
}

/**
 * Whether an If-None-Match header matches the tag. RFC 9110 section 13.1.2:
 * `*` matches any current representation, and the comparison is weak (a `W/`
 * prefix on either side is ignored).
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => opaque(tag) === wanted);
}

/**
 * Conditional reads: every 200 answer to a GET (or HEAD) of the routes of the
 * plugin that registers this hook (the /v1 API) carries a strong ETag, and a request
 * whose If-None-Match names it gets a 304 with no body. The dashboard polls GET
 * /v1/backlog this way.
 */
export function registerEtag(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || !CACHEABLE_METHODS.has(request.method)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const etag = strongEtag(payload);
    reply.header('etag', etag);
    if (!ifNoneMatchMatches(request.headers['if-none-match'], etag)) return payload;
    reply.code(304);
    reply.removeHeader('content-type');
    // HEAD: Fastify's own HEAD hook drops the payload after sizing it; GET: nothing to send.
    return request.method === 'HEAD' ? payload : null;
  });
}
