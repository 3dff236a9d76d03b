import type { FastifyRequest } from 'fastify';
import type { Dictionary, DictionaryEntry } from '../domain/index.js';
import { type DictionaryBody, DictionaryEntrySchema } from '../schemas/backlog-schemas.js';
import { RequestInvalid } from './http-errors.js';

/**
 * Keeps each dictionary body as parsed, before validation: zod rebuilds records
 * on plain objects, where an own `__proto__` key would become the prototype and
 * vanish, yet `__proto__` is an ordinary epic id.
 */
export function createDictionaryBodies() {
  const parsedBodies = new WeakMap<FastifyRequest, unknown>();
  return {
    keepParsedBody: async (request: FastifyRequest) => {
      parsedBodies.set(request, request.body);
    },
    /** The validated dictionary as ordered entries, `__proto__` validated and kept in its place. */
    entries(request: FastifyRequest, validated: DictionaryBody): Dictionary {
      const parsed = parsedBodies.get(request) as Record<string, unknown>;
      return Object.keys(parsed).map((id): [string, DictionaryEntry] => {
        if (id !== '__proto__') return [id, validated[id] as DictionaryEntry];
        const entry = DictionaryEntrySchema.safeParse(parsed[id]);
        if (entry.success) return [id, entry.data];
        throw new RequestInvalid(
          entry.error.issues.map((issue) => ({
            in: 'body',
            path: `/__proto__${issue.path.map((part) => `/${String(part)}`).join('')}`,
            message: issue.message,
          })),
        );
      });
    },
  };
}
