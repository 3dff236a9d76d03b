import { type Backlog, backlogFromDictionary, type DictionaryEntry, toDictionary } from '../../src/domain/index.js';
import { SPEC_EXAMPLE } from '../../src/schemas/spec-example.js';

export { SPEC_EXAMPLE };

/** A backlog from a literal dictionary; key order is creation order. */
export function backlog(dictionary: Record<string, DictionaryEntry>): Backlog {
  return backlogFromDictionary(Object.entries(dictionary));
}

export function specBacklog(): Backlog {
  return backlog(SPEC_EXAMPLE);
}

/** A backlog as a plain, comparable value. */
export function plain(b: Backlog): ReturnType<typeof toDictionary> {
  return toDictionary(b);
}
