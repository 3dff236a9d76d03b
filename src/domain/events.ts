import type { Change, StatusChange } from './change.js';
import type { Status } from './status.js';

/** What a request did, as its event records it (SPEC section 8). */
export interface EventOperation {
  /** The HTTP method. */
  readonly method: string;
  /** The route's path pattern, e.g. `/v1/tasks/{taskId}`. */
  readonly route: string;
  /** The ids the request named: its path parameters, in path order. */
  readonly ids: readonly string[];
}

/** Who committed and how: given by the caller of BacklogStore.update, written with the commit. */
export interface EventCause {
  /** The name of the API key used; null when auth is off. Never the key itself. */
  readonly actor: string | null;
  readonly operation: EventOperation;
}

/** One commit, as history keeps it: `seq` is the revision it produced. */
export interface BacklogEvent extends EventCause {
  readonly seq: number;
  /** RFC 3339, UTC. */
  readonly at: string;
  /** The status transitions the commit caused, from the incremental status update. */
  readonly changes: readonly StatusChange[];
}

/** A page of events in `seq` order; `next` is the `after` of the following page, null at the end. */
export interface EventPage {
  readonly events: readonly BacklogEvent[];
  readonly next: number | null;
}

/** One step of an epic's status timeline. */
export interface HistoryEntry {
  readonly seq: number;
  readonly at: string;
  readonly from: Status | null;
  readonly to: Status | null;
  readonly actor: string | null;
}

/** The cause of a commit made by no request (a test, a script). */
export const UNATTRIBUTED: EventCause = { actor: null, operation: { method: 'NONE', route: '', ids: [] } };

/** Events a page may hold at most (GET /v1/events?limit). */
export const MAX_EVENTS_PAGE = 1000;

/**
 * The events after `after` are no longer all kept (older than the retention, or
 * before the store kept events): the reader missed some and must read the
 * backlog again. `since` is the lowest `after` still answered.
 */
export class EventsPruned extends Error {
  constructor(
    readonly after: number,
    readonly since: number,
  ) {
    super(`Events after seq ${after} are no longer all kept; the oldest kept follow seq ${since}`);
    this.name = 'EventsPruned';
  }
}

/** The event of the commit that produced revision `seq` with `change`. */
export function eventOf(seq: number, change: Change, cause: EventCause = UNATTRIBUTED, at = new Date()): BacklogEvent {
  return {
    seq,
    at: at.toISOString(),
    actor: cause.actor,
    operation: { method: cause.operation.method, route: cause.operation.route, ids: [...cause.operation.ids] },
    changes: change.statusChanges,
  };
}

/** The steps of `epicId` in events (in `seq` order), oldest first. */
export function historyIn(events: Iterable<BacklogEvent>, epicId: string): HistoryEntry[] {
  const history: HistoryEntry[] = [];
  for (const event of events) {
    for (const change of event.changes) {
      if (change.epic === epicId) {
        history.push({ seq: event.seq, at: event.at, from: change.from, to: change.to, actor: event.actor });
      }
    }
  }
  return history;
}
