import { generateEpics } from '../../bench/epic-generator.js';
import type { BacklogView, EpicView, Status } from '../../public/model.js';
import { DAG } from '../helpers/dag-example.js';

type Dictionary = Record<string, { Tasks: string[]; Bugs: string[]; Epics: string[] }>;

/** The SPEC example (its blank link left out) and the DAG of the browser tests, in creation order. */
export const EXAMPLE: Dictionary = {
  EpicA: { Tasks: ['TaskA1', 'TaskA2'], Bugs: [], Epics: ['EpicB'] },
  EpicB: { Tasks: ['TaskB1', 'TaskB2'], Bugs: ['BugB1'], Epics: [] },
  EpicC: { Tasks: [], Bugs: [], Epics: [] },
  EpicD: { Tasks: [], Bugs: [], Epics: ['EpicC'] },
  EpicE: { Tasks: [], Bugs: ['BugE1'], Epics: [] },
  ...DAG,
};

/**
 * A BacklogView as the server answers it, statuses by SPEC section 2 read bottom-up
 * (the test's own oracle: the dashboard never computes a status).
 */
export function view(dictionary: Dictionary): BacklogView {
  const status = new Map<string, Status>();
  const statusOf = (id: string): Status => {
    const known = status.get(id);
    if (known) return known;
    const epic = dictionary[id];
    if (!epic) throw new Error(`no ${id}`);
    const children = epic.Epics.map(statusOf);
    const result: Status =
      epic.Tasks.length > 0
        ? 'wip'
        : children.some((s) => s === 'wip' || s === 'blocked')
          ? 'blocked'
          : epic.Bugs.length > 0 || children.includes('pending_validation')
            ? 'pending_validation'
            : 'completed';
    status.set(id, result);
    return result;
  };
  const epics: EpicView[] = Object.entries(dictionary).map(([id, epic]) => ({
    id,
    status: statusOf(id),
    tasks: epic.Tasks,
    bugs: epic.Bugs,
    epics: epic.Epics,
  }));
  return { epics };
}

/** The generated benchmark DAG (bench/epic-generator.ts) as a BacklogView. */
export function generatedView(size: number): BacklogView {
  const dictionary: Dictionary = {};
  for (const epic of generateEpics(size))
    dictionary[epic.id] = { Tasks: epic.tasks, Bugs: epic.bugs, Epics: epic.epics };
  return view(dictionary);
}
