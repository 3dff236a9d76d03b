import { type Backlog, getEpic, parentsOf } from './backlog.js';
import { computeStatuses, type Status } from './status.js';

export interface EpicView {
  readonly id: string;
  readonly status: Status;
  readonly tasks: readonly string[];
  readonly bugs: readonly string[];
  readonly epics: readonly string[];
}

export interface BacklogView {
  readonly epics: readonly EpicView[];
}

export function backlogView(backlog: Backlog): BacklogView {
  const statuses = computeStatuses(backlog);
  return {
    epics: [...backlog.epics.values()].map((epic) => ({
      id: epic.id,
      status: statuses.get(epic.id) as Status,
      tasks: epic.tasks,
      bugs: epic.bugs,
      epics: epic.epics,
    })),
  };
}

export function epicView(backlog: Backlog, epicId: string): EpicView & { readonly parents: readonly string[] } {
  const epic = getEpic(backlog, epicId);
  // The status of one epic depends only on what it reaches, but the whole pass is linear anyway.
  const status = computeStatuses(backlog).get(epicId) as Status;
  return { ...epic, status, parents: parentsOf(backlog, epicId) };
}
