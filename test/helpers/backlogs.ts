import { type Backlog, backlogFromDictionary, type DictionaryEntry, toDictionary } from '../../src/domain/index.js';

/** The document of SPEC section 1, exactly as users send it (note the `""`). */
export const SPEC_EXAMPLE = {
  EpicA: { Tasks: ['TaskA1', 'TaskA2'], Bugs: [], Epics: ['EpicB'] },
  EpicB: { Tasks: ['TaskB1', 'TaskB2'], Bugs: ['BugB1'], Epics: [''] },
  EpicC: { Tasks: [], Bugs: [], Epics: [] },
  EpicD: { Tasks: [], Bugs: [], Epics: ['EpicC'] },
  EpicE: { Tasks: [], Bugs: ['BugE1'], Epics: [] },
} as const satisfies Record<string, DictionaryEntry>;

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
