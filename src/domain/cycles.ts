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
