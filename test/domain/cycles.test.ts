import { describe, expect, it } from 'vitest';
import { type Backlog, backlogOf, findCycle } from '../../src/domain/index.js';

// findCycle also guards backlogs that were never checked, so these are built raw.
function raw(links: Record<string, string[]>): Backlog {
  return backlogOf(Object.entries(links).map(([id, epics]) => ({ id, tasks: [], bugs: [], epics })));
}

describe('findCycle', () => {
  it('finds none in a DAG with diamonds and shared children', () => {
    expect(findCycle(raw({ A: ['B', 'C'], B: ['D'], C: ['D'], D: [], E: ['D', 'B'] }))).toBeUndefined();
  });

  it('names a cycle as a path that ends where it starts', () => {
    expect(findCycle(raw({ EpicA: ['EpicB'], EpicB: ['EpicA'] }))).toEqual(['EpicA', 'EpicB', 'EpicA']);
    expect(findCycle(raw({ R: ['A'], A: ['B'], B: ['C'], C: ['A'] }))).toEqual(['A', 'B', 'C', 'A']);
  });

  it('finds a self-link', () => {
    expect(findCycle(raw({ A: [], B: ['B'] }))).toEqual(['B', 'B']);
  });

  it('starts from the given root', () => {
    expect(findCycle(raw({ A: ['B'], B: ['C'], C: ['A'] }), 'B')).toEqual(['B', 'C', 'A', 'B']);
  });

  it('ignores links to missing epics and a missing root', () => {
    expect(findCycle(raw({ A: ['Ghost'] }), 'Nobody')).toBeUndefined();
  });

  it('walks a 100,000-deep chain without overflowing the stack', () => {
    const links: Record<string, string[]> = {};
    for (let i = 0; i < 100_000; i++) links[`E${i}`] = i + 1 < 100_000 ? [`E${i + 1}`] : ['E0'];
    expect(findCycle(raw(links))?.length).toBe(100_001);
  });
});
