import { type Backlog, backlogFromEpics, type Epic } from '../src/domain/index.js';
import { generateEpics } from './epic-generator.js';

/** The generated benchmark DAG (epic-generator.ts) as a domain backlog. */
export function generateBacklog(size: number, seed = 42): Backlog {
  return backlogFromEpics(generateEpics(size, seed));
}

/** A single chain: chain-0 -> chain-1 -> ... with one task at the bottom. */
export function chainEpics(depth: number): Epic[] {
  return Array.from({ length: depth }, (_, i) => ({
    id: `chain-${i}`,
    tasks: i === depth - 1 ? ['bottom-task'] : [],
    bugs: [],
    epics: i === depth - 1 ? [] : [`chain-${i + 1}`],
  }));
}

/** Levels of two epics, each linking to both epics of the next level: 2^levels paths from the top. */
export function diamondLadderEpics(levels: number): Epic[] {
  const epics: Epic[] = [];
  for (let level = 0; level < levels; level++) {
    const next = level === levels - 1 ? [] : [`rung-${level + 1}-a`, `rung-${level + 1}-b`];
    epics.push({ id: `rung-${level}-a`, tasks: [], bugs: level === levels - 1 ? ['deep-bug'] : [], epics: next });
    epics.push({ id: `rung-${level}-b`, tasks: [], bugs: [], epics: next });
  }
  return epics;
}
