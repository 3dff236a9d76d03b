import { describe, expect, it } from 'vitest';
import { findCycle, findNumberedCycle, pathBetween } from '../../src/domain/index.js';

// The walks take links as a function, so these graphs are plain records, never checked backlogs.
function childrenIn(links: Record<string, string[]>): (epicId: string) => string[] | undefined {
  const map = new Map(Object.entries(links));
  return (epicId) => map.get(epicId);
}

/** Links for pathBetween, which is only asked about epics that exist. */
function linksIn(links: Record<string, string[]>): (epicId: string) => string[] {
  const children = childrenIn(links);
  return (epicId) => children(epicId) ?? [];
}

function cycleIn(links: Record<string, string[]>): string[] | undefined {
  return findCycle(Object.keys(links), childrenIn(links));
}

function chain(length: number, last: string[]): Record<string, string[]> {
  const links: Record<string, string[]> = {};
  for (let i = 0; i < length; i++) links[`E${i}`] = i + 1 < length ? [`E${i + 1}`] : last;
  return links;
}

describe('findCycle', () => {
  it('finds none in a DAG with diamonds and shared children', () => {
    expect(cycleIn({ A: ['B', 'C'], B: ['D'], C: ['D'], D: [], E: ['D', 'B'] })).toBeUndefined();
  });

  it('names a cycle as a path that ends where it starts', () => {
    expect(cycleIn({ EpicA: ['EpicB'], EpicB: ['EpicA'] })).toEqual(['EpicA', 'EpicB', 'EpicA']);
    expect(cycleIn({ R: ['A'], A: ['B'], B: ['C'], C: ['A'] })).toEqual(['A', 'B', 'C', 'A']);
  });

  it('finds a self-link', () => {
    expect(cycleIn({ A: [], B: ['B'] })).toEqual(['B', 'B']);
  });

  it('starts from the given roots, in order', () => {
    const links = { A: ['B'], B: ['C'], C: ['A'] };
    expect(findCycle(['B'], childrenIn(links))).toEqual(['B', 'C', 'A', 'B']);
    expect(findCycle(['C', 'A'], childrenIn(links))).toEqual(['C', 'A', 'B', 'C']);
  });

  it('finds only cycles the roots reach', () => {
    const links = { A: ['B'], B: [], X: ['Y'], Y: ['X'] };
    expect(findCycle(['A', 'B'], childrenIn(links))).toBeUndefined();
    expect(findCycle(['A', 'Y'], childrenIn(links))).toEqual(['Y', 'X', 'Y']);
  });

  it('ignores links to missing epics and a missing root', () => {
    expect(findCycle(['Nobody'], childrenIn({ A: ['Ghost'] }))).toBeUndefined();
    expect(cycleIn({ A: ['Ghost'] })).toBeUndefined();
  });

  it('walks a 100,000-deep chain without overflowing the stack', () => {
    expect(cycleIn(chain(100_000, ['E0']))?.length).toBe(100_001);
  });
});

describe('pathBetween', () => {
  it('gives a path of links from one epic to another, both included', () => {
    const links = { A: ['B'], B: ['C'], C: [] };
    expect(pathBetween('A', 'C', linksIn(links))).toEqual(['A', 'B', 'C']);
    expect(pathBetween('B', 'C', linksIn(links))).toEqual(['B', 'C']);
  });

  it('is the epic alone from itself, and undefined when the target is not reachable', () => {
    const links = { A: ['B'], B: [], C: ['A'] };
    expect(pathBetween('A', 'A', linksIn(links))).toEqual(['A']);
    expect(pathBetween('A', 'C', linksIn(links))).toBeUndefined();
  });

  it('follows only links that exist, visiting no epic twice, when several paths lead there', () => {
    const links = { A: ['B', 'C'], B: ['C', 'D'], C: ['D'], D: ['T'], T: [] };
    const path = pathBetween('A', 'T', linksIn(links)) as string[];
    expect(path[0]).toBe('A');
    expect(path.at(-1)).toBe('T');
    for (let i = 0; i + 1 < path.length; i++) expect(links[path[i] as keyof typeof links]).toContain(path[i + 1]);
    expect(new Set(path).size).toBe(path.length);
  });

  it('walks a 100,000-deep chain without overflowing the stack', () => {
    const links = chain(100_000, []);
    const path = pathBetween('E0', 'E99999', linksIn(links));
    expect(path).toHaveLength(100_000);
    expect(path?.[1]).toBe('E1');
  });
});

describe('findNumberedCycle', () => {
  const links = (children: number[][]) => {
    const childStart = new Int32Array(children.length + 1);
    const flat: number[] = [];
    children.forEach((own, i) => {
      childStart[i] = flat.length;
      flat.push(...own);
    });
    childStart[children.length] = flat.length;
    return { childStart, childIndex: Int32Array.from(flat) };
  };

  it('finds none in a DAG with shared children', () => {
    expect(findNumberedCycle(links([[1, 2], [2], [], [0, 2]]))).toBeUndefined();
  });

  it('names a cycle as the path that closes it, a self link included', () => {
    expect(findNumberedCycle(links([[1], [2], [0]]))).toEqual([0, 1, 2, 0]);
    expect(findNumberedCycle(links([[], [1]]))).toEqual([1, 1]);
    expect(findNumberedCycle(links([[1], [2], [3], [1]]))).toEqual([1, 2, 3, 1]);
  });

  it('walks a chain 100,000 deep without recursion', () => {
    const chain = Array.from({ length: 100_000 }, (_, i) => (i < 99_999 ? [i + 1] : [0]));
    expect(findNumberedCycle(links(chain))?.length).toBe(100_001);
  });
});
