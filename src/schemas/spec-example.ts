import type { DictionaryEntry } from '../domain/index.js';

/**
 * The document of SPEC section 1, exactly as users send it (note the `""`): the
 * example of the OpenAPI document, and the one copy the tests and benchmarks use.
 */
export const SPEC_EXAMPLE = {
  EpicA: { Tasks: ['TaskA1', 'TaskA2'], Bugs: [], Epics: ['EpicB'] },
  EpicB: { Tasks: ['TaskB1', 'TaskB2'], Bugs: ['BugB1'], Epics: [''] },
  EpicC: { Tasks: [], Bugs: [], Epics: [] },
  EpicD: { Tasks: [], Bugs: [], Epics: ['EpicC'] },
  EpicE: { Tasks: [], Bugs: ['BugE1'], Epics: [] },
} as const satisfies Record<string, DictionaryEntry>;
