import type { NumberedLinks } from './status.js';

/**
 * The first cycle met by a depth-first walk from each root in turn, as a path that
 * starts and ends on the same epic, or undefined when none is reachable from the
 * roots. It costs what the roots reach: a cycle that a change can have made passes
 * through an epic it changed, so the changed epics are the only roots needed.
 * `childrenOf` answers undefined for an epic that does not exist (its links are ignored).
 */
export function findCycle(
  roots: Iterable<string>,
  childrenOf: (epicId: string) => readonly string[] | undefined,
): string[] | undefined {
  const done = new Set<string>();
  const onPath = new Map<string, number>();
  for (const root of roots) {
    if (done.has(root) || childrenOf(root) === undefined) continue;
    // Each frame is an epic on the current path and the index of its next child to visit.
    const path: string[] = [root];
    const next: number[] = [0];
    onPath.set(root, 0);
    while (path.length > 0) {
      const top = path.length - 1;
      const id = path[top] as string;
      const children = childrenOf(id) ?? [];
      const childIndex = next[top] as number;
      if (childIndex >= children.length) {
        path.pop();
        next.pop();
        onPath.delete(id);
        done.add(id);
        continue;
      }
      next[top] = childIndex + 1;
      const child = children[childIndex] as string;
      const start = onPath.get(child);
      if (start !== undefined) return [...path.slice(start), child];
      if (done.has(child) || childrenOf(child) === undefined) continue;
      onPath.set(child, path.length);
      path.push(child);
      next.push(0);
    }
  }
  return undefined;
}

/**
 * The first cycle of numbered links (status.ts) met by a depth-first walk from
 * each epic in turn, as epic numbers starting and ending on the same epic, or
 * undefined for a DAG. The whole-backlog check of start-up and replace, on arrays only.
 */
export function findNumberedCycle({ childStart, childIndex }: NumberedLinks): number[] | undefined {
  const count = childStart.length - 1;
  // 0: not visited; 1: on the current path; 2: done.
  const state = new Uint8Array(count);
  const next = new Int32Array(count);
  const path: number[] = [];
  for (let root = 0; root < count; root++) {
    if (state[root] !== 0) continue;
    path.push(root);
    state[root] = 1;
    next[root] = childStart[root] as number;
    while (path.length > 0) {
      const epic = path[path.length - 1] as number;
      const position = next[epic] as number;
      if (position === childStart[epic + 1]) {
        state[epic] = 2;
        path.pop();
        continue;
      }
      next[epic] = position + 1;
      const child = childIndex[position] as number;
      if (state[child] === 1) return [...path.slice(path.indexOf(child)), child];
      if (state[child] === 2) continue;
      state[child] = 1;
      next[child] = childStart[child] as number;
      path.push(child);
    }
  }
  return undefined;
}

/**
 * A path of links from `from` to `to` (both included), or undefined when `to` is
 * not reachable from `from`: a new link `to -> from` would close exactly this
 * cycle. Costs what `from` reaches.
 */
export function pathBetween(
  from: string,
  to: string,
  childrenOf: (epicId: string) => readonly string[],
): string[] | undefined {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const stack = [from];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (id === to) {
      const path: string[] = [];
      for (let at: string | null | undefined = id; at != null; at = cameFrom.get(at)) path.push(at);
      return path.reverse();
    }
    const children = childrenOf(id);
    // Pushed in reverse so the walk visits children in list order.
    for (let c = children.length - 1; c >= 0; c--) {
      const child = children[c] as string;
      if (!cameFrom.has(child)) {
        cameFrom.set(child, id);
        stack.push(child);
      }
    }
  }
  return undefined;
}
