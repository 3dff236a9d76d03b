/**
 * The floor of a status computation: SPEC section 2's bottom-up rule over the
 * same DAG with epics numbered 0..n-1 and children as integer arrays, in one
 * iterative post-order pass. No ids, maps or objects in the pass: what any
 * full status pass could at best approach.
 */

/** Status codes ordered so that "blocked if a child is wip or blocked" is a comparison. */
const COMPLETED = 0;
const PENDING_VALIDATION = 1;
const BLOCKED = 2;
const WIP = 3;
export const STATUS_NAMES = ['completed', 'pending_validation', 'blocked', 'wip'] as const;

/** The DAG as integers: children of epic i are childIndex[childStart[i] .. childStart[i + 1]). */
export interface IndexedDag {
  readonly ids: readonly string[];
  readonly childStart: Int32Array;
  readonly childIndex: Int32Array;
  readonly hasTasks: Uint8Array;
  readonly hasBugs: Uint8Array;
}

/** Numbers the epics of a BacklogView-like list (built once, outside any timing). */
export function indexDag(
  epics: readonly { id: string; tasks: readonly string[]; bugs: readonly string[]; epics: readonly string[] }[],
): IndexedDag {
  const indexOf = new Map(epics.map((epic, i) => [epic.id, i]));
  const childStart = new Int32Array(epics.length + 1);
  const children: number[] = [];
  const hasTasks = new Uint8Array(epics.length);
  const hasBugs = new Uint8Array(epics.length);
  epics.forEach((epic, i) => {
    childStart[i] = children.length;
    for (const child of epic.epics) {
      const index = indexOf.get(child);
      if (index === undefined) throw new Error(`epic ${epic.id} links to ${child}, which is not in the view`);
      children.push(index);
    }
    hasTasks[i] = epic.tasks.length > 0 ? 1 : 0;
    hasBugs[i] = epic.bugs.length > 0 ? 1 : 0;
  });
  childStart[epics.length] = children.length;
  return { ids: epics.map((epic) => epic.id), childStart, childIndex: Int32Array.from(children), hasTasks, hasBugs };
}

/** Every status in one iterative post-order pass (stack-safe on any depth); codes index STATUS_NAMES. */
export function indexedStatuses(dag: IndexedDag): Uint8Array {
  const n = dag.ids.length;
  const status = new Uint8Array(n);
  // 0 = not visited, 1 = on the stack (children being visited), 2 = done.
  const state = new Uint8Array(n);
  const stack = new Int32Array(n);
  const next = new Int32Array(n); // the next child position to visit, per epic on the stack
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    let top = 0;
    stack[0] = root;
    state[root] = 1;
    next[root] = dag.childStart[root] as number;
    while (top >= 0) {
      const epic = stack[top] as number;
      const end = dag.childStart[epic + 1] as number;
      let position = next[epic] as number;
      while (position < end && state[dag.childIndex[position] as number] === 2) position++;
      if (position < end) {
        const child = dag.childIndex[position] as number;
        next[epic] = position + 1;
        if (state[child] === 1) throw new Error(`cycle through ${dag.ids[child]}`);
        state[child] = 1;
        next[child] = dag.childStart[child] as number;
        stack[++top] = child;
        continue;
      }
      let worst = COMPLETED;
      for (let c = dag.childStart[epic] as number; c < end; c++) {
        const childStatus = status[dag.childIndex[c] as number] as number;
        if (childStatus > worst) worst = childStatus;
      }
      status[epic] = dag.hasTasks[epic]
        ? WIP
        : worst >= BLOCKED
          ? BLOCKED
          : dag.hasBugs[epic] || worst === PENDING_VALIDATION
            ? PENDING_VALIDATION
            : COMPLETED;
      state[epic] = 2;
      top--;
    }
  }
  return status;
}
