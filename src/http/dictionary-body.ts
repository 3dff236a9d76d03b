import type { FastifyBodyParser, FastifyRequest } from 'fastify';
import type { Dictionary, DictionaryEntry } from '../domain/index.js';
import { type DictionaryBody, DictionaryEntrySchema } from '../schemas/backlog-schemas.js';
import { RequestInvalid } from './http-errors.js';

/**
 * Dictionary bodies, read in document order. A JavaScript object lists
 * integer-like keys ("10", "3") first, whatever the order of the document, and
 * zod's record parser skips a `__proto__` key, yet both are ordinary epic ids and
 * epics keep the order they are imported in. So the route keeps the body's text
 * and its parsed value, and builds the entries from both.
 */
export function createDictionaryBodies(parseJson: FastifyBodyParser<string>) {
  const texts = new WeakMap<FastifyRequest, string>();
  const parsedBodies = new WeakMap<FastifyRequest, unknown>();
  return {
    parser: ((request, text, done) => {
      texts.set(request, text);
      return parseJson(request, text, done);
    }) satisfies FastifyBodyParser<string>,
    keepParsedBody: async (request: FastifyRequest) => {
      parsedBodies.set(request, request.body);
    },
    /** The validated dictionary as entries in document order, `__proto__` validated and kept in its place. */
    entries(request: FastifyRequest, validated: DictionaryBody): Dictionary {
      const parsed = parsedBodies.get(request) as Record<string, unknown>;
      const text = texts.get(request);
      const ids = text === undefined ? Object.keys(parsed) : topLevelKeys(text);
      return ids.map((id): [string, DictionaryEntry] => {
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

/** Serialises dictionary entries as one JSON object, keys in the entries' order. */
export function dictionaryJson(entries: readonly (readonly [string, unknown])[]): string {
  return `{${entries.map(([id, entry]) => `${JSON.stringify(id)}:${JSON.stringify(entry)}`).join(',')}}`;
}

/** The keys of the top-level object of a valid JSON text, in document order, each once. */
export function topLevelKeys(text: string): string[] {
  const keys = new Set<string>();
  let depth = -1;
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = endOfString(text, i);
      if (depth === 0 && expectingKey) keys.add(JSON.parse(text.slice(i, end + 1)) as string);
      expectingKey = false;
      i = end;
    } else if (char === '{' || char === '[') {
      depth++;
      expectingKey = depth === 0 && char === '{';
    } else if (char === '}' || char === ']') {
      if (depth === 0) break;
      depth--;
    } else if (char === ',' && depth === 0) {
      expectingKey = true;
    }
  }
  return [...keys];
}

function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}
