import { type Backlog, type Epic, parentsOf } from './backlog.js';
import { type Progress, progressOf } from './queries.js';
import type { Status } from './status.js';

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

/** One epic as every answer shows it. */
export function epicViewOf(epic: Epic, status: Status): EpicView {
  return { id: epic.id, status, tasks: epic.tasks, bugs: epic.bugs, epics: epic.epics };
}

export function backlogView(backlog: Backlog): BacklogView {
  return { epics: [...backlog.epics.values()].map((epic) => epicViewOf(epic, backlog.status(epic.id))) };
}

/** One epic with its parents: costs what it touches, not the backlog's size. */
export function epicView(backlog: Backlog, epicId: string): EpicView & { readonly parents: readonly string[] } {
  return { ...epicViewOf(backlog.epic(epicId), backlog.status(epicId)), parents: parentsOf(backlog, epicId) };
}

export interface EpicDetail extends EpicView {
  readonly parents: readonly string[];
  /** Over the epic and every epic it reaches (SPEC section 8). */
  readonly progress: Progress;
}

/** GET /v1/epics/{epicId}: the epic with its parents and its progress; costs what the epic reaches. */
export function epicDetail(backlog: Backlog, epicId: string): EpicDetail {
  return { ...epicView(backlog, epicId), progress: progressOf(backlog, epicId) };
}
