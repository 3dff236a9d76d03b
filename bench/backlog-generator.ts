import { type Backlog, backlogOf, type Epic } from '../src/domain/index.js';

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

/**
 * A DAG of `size` epics: each links to up to three epics created after it, a
 * third have tasks and a tenth report one of a few hundred shared bugs.
 */
export function generateBacklog(size: number, seed = 42): Backlog {
  const random = seededRandom(seed);
  const epics: Epic[] = [];
  for (let i = 0; i < size; i++) {
    const children = new Set<string>();
    const links = Math.floor(random() * 4);
    for (let l = 0; l < links && i + 1 < size; l++) {
      const span = Math.min(size - i - 1, 50);
      children.add(`epic-${i + 1 + Math.floor(random() * span)}`);
    }
    const tasks =
      random() < 0.33 ? Array.from({ length: 1 + Math.floor(random() * 3) }, (_, t) => `task-${i}-${t}`) : [];
    const bugs = random() < 0.1 ? [`bug-${Math.floor(random() * 500)}`] : [];
    epics.push({ id: `epic-${i}`, tasks, bugs, epics: [...children] });
  }
  return backlogOf(epics);
}

/** A single chain: epic-0 -> epic-1 -> ... with one task at the bottom. */
export function generateChain(depth: number): Backlog {
  return backlogOf(
    Array.from({ length: depth }, (_, i) => ({
      id: `chain-${i}`,
      tasks: i === depth - 1 ? ['bottom-task'] : [],
      bugs: [],
      epics: i === depth - 1 ? [] : [`chain-${i + 1}`],
    })),
  );
}

/** Levels of two epics, each linking to both epics of the next level: 2^levels paths from the top. */
export function generateDiamondLadder(levels: number): Backlog {
  const epics: Epic[] = [];
  for (let level = 0; level < levels; level++) {
    const next = level === levels - 1 ? [] : [`rung-${level + 1}-a`, `rung-${level + 1}-b`];
    epics.push({ id: `rung-${level}-a`, tasks: [], bugs: level === levels - 1 ? ['deep-bug'] : [], epics: next });
    epics.push({ id: `rung-${level}-b`, tasks: [], bugs: [], epics: next });
  }
  return backlogOf(epics);
}
