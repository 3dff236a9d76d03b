import { type Backlog, backlogOf, type Epic } from '../src/domain/index.js';
import { generateEpics } from './epic-generator.js';

/**
 * A DAG of `size` epics: each links to up to three epics created after it, a
 * third have tasks and a tenth report one of a few hundred shared bugs.
 */
export function generateBacklog(size: number, seed = 42): Backlog {
  return backlogOf(generateEpics(size, seed));
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
