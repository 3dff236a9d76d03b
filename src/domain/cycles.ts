import type { Backlog } from './backlog.js';

/**
 * The first cycle met by a depth-first walk (from `firstRoot`, then every epic in
 * creation order), as a path that starts and ends on the same epic, or undefined
 * when the links form a DAG. Links to missing epics are ignored here.
 */
export function findCycle(backlog: Backlog, firstRoot?: string): string[] | undefined {
  const done = new Set<string>();
  const onPath = new Map<string, number>();
  const roots = firstRoot === undefined ? backlog.epics.keys() : [firstRoot, ...backlog.epics.keys()];
  for (const root of roots) {
    if (done.has(root) || !backlog.epics.has(root)) continue;
    // Each frame is an epic on the current path and the index of its next child to visit.
    const path: string[] = [root];
    const next: number[] = [0];
    onPath.set(root, 0);
    while (path.length > 0) {
      const top = path.length - 1;
      const id = path[top] as string;
      const children = backlog.epics.get(id)?.epics ?? [];
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
      if (done.has(child) || !backlog.epics.has(child)) continue;
      onPath.set(child, path.length);
      path.push(child);
      next.push(0);
    }
  }
  return undefined;
}
