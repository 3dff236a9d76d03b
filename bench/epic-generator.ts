/**
 * The generated benchmark backlog as plain objects and as the dictionary format,
 * with no dependency on the domain's types: the HTTP benchmark sends it to any
 * checkout of the service, whatever its domain looks like.
 */

/** One epic as plain lists of ids. */
export interface PlainEpic {
  id: string;
  tasks: string[];
  bugs: string[];
  epics: string[];
}

/** A deterministic pseudo-random generator (mulberry32), so every run measures the same backlog. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The widest forward span of a generated link: epic-i links only to epic-(i+1) .. epic-(i+LINK_SPAN). */
export const LINK_SPAN = 50;

/**
 * A DAG of `size` epics: each links to up to three epics created after it
 * (within LINK_SPAN), a third have tasks and a tenth report one of a few
 * hundred shared bugs.
 */
export function generateEpics(size: number, seed = 42): PlainEpic[] {
  const random = seededRandom(seed);
  const epics: PlainEpic[] = [];
  for (let i = 0; i < size; i++) {
    const children = new Set<string>();
    const links = Math.floor(random() * 4);
    for (let l = 0; l < links && i + 1 < size; l++) {
      const span = Math.min(size - i - 1, LINK_SPAN);
      children.add(`epic-${i + 1 + Math.floor(random() * span)}`);
    }
    const tasks =
      random() < 0.33 ? Array.from({ length: 1 + Math.floor(random() * 3) }, (_, t) => `task-${i}-${t}`) : [];
    const bugs = random() < 0.1 ? [`bug-${Math.floor(random() * 500)}`] : [];
    epics.push({ id: `epic-${i}`, tasks, bugs, epics: [...children] });
  }
  return epics;
}

/** The same backlog in the dictionary format of SPEC section 1 (the body of POST /v1/backlog). */
export function generateDictionary(
  size: number,
  seed = 42,
): Record<string, { Tasks: string[]; Bugs: string[]; Epics: string[] }> {
  const dictionary: Record<string, { Tasks: string[]; Bugs: string[]; Epics: string[] }> = {};
  for (const epic of generateEpics(size, seed)) {
    dictionary[epic.id] = { Tasks: epic.tasks, Bugs: epic.bugs, Epics: epic.epics };
  }
  return dictionary;
}
