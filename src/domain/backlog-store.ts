import type { Backlog } from './backlog.js';
import type { Change } from './change.js';
import type { BacklogEvent, EventCause, EventPage, HistoryEntry } from './events.js';

/** A committed backlog and its revision: a number that grows with every commit. */
export interface Committed {
  readonly backlog: Backlog;
  readonly revision: number;
}

/** The outcome of an update: the committed backlog, and the change it made (empty when nothing was written). */
export interface Commit extends Committed {
  readonly change: Change;
  /** The event written with the commit; absent when nothing was written. */
  readonly event?: BacklogEvent;
}

export interface UpdateOptions {
  /** Commit only if the current revision is one of these (If-Match); otherwise RevisionMismatch, nothing written. */
  readonly ifRevision?: readonly number[];
  /** Who committed and through which request: written, atomically with the commit, as its event. */
  readonly cause?: EventCause;
}

/**
 * Where the backlog lives. Every implementation passes the contract suite in
 * test/repo/backlog-store.contract.ts.
 */
export interface BacklogStore {
  /**
   * The latest committed backlog and its revision. A later commit retires that
   * backlog (it is changed in place), so a caller that reads it after an await of
   * its own passes `use`: it runs synchronously on the committed backlog before any
   * other commit can apply, and read() resolves to what it returns.
   */
  read(): Promise<Committed>;
  read<T>(use: (committed: Committed) => T): Promise<T>;
  /**
   * Plans a change on the latest committed backlog and commits it atomically:
   * concurrent updates never lose one another, and when `plan` throws (a
   * DomainError) or the commit fails, nothing is written and the error is
   * rethrown. `plan` may run more than once (optimistic retries), so it must be
   * pure. A change that changes nothing commits nothing and keeps the revision.
   * `use`, as for read(), runs synchronously on the commit before the next one applies.
   */
  update(plan: (backlog: Backlog) => Change, options?: UpdateOptions): Promise<Commit>;
  update<T>(plan: (backlog: Backlog) => Change, options: UpdateOptions, use: (commit: Commit) => T): Promise<T>;
  /**
   * The kept events after `after` (by default, from the oldest kept), at most
   * `limit`, in `seq` order. Rejects with EventsPruned when events after `after`
   * are no longer all kept.
   */
  events(after: number | undefined, limit: number): Promise<EventPage>;
  /** The status timeline of an epic over the kept events, oldest first (empty when it has none). */
  history(epicId: string): Promise<HistoryEntry[]>;
  /**
   * Calls `listener` with the new revision after every commit this store learns
   * of: its own at once, another replica's within a bounded delay. Returns the
   * function that stops it.
   */
  watch(listener: (revision: number) => void): () => void;
  /** Resolves when the store can serve requests; rejects with StoreUnavailable otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The request named a revision (If-Match) that is no longer the current one; nothing was written. */
export class RevisionMismatch extends Error {
  constructor(readonly current: number) {
    super(`The backlog has moved on to revision ${current}; read it again and retry`);
    this.name = 'RevisionMismatch';
  }
}

/** What a store hands to its caller: `use` applied at once when given (see BacklogStore.read), else the value itself. */
export function handOver<V, T>(value: V, use: ((value: V) => T) | undefined): T | V {
  return use ? use(value) : value;
}

/** Throws RevisionMismatch unless the options accept the current revision. */
export function checkRevision(current: number, options: UpdateOptions | undefined): void {
  if (options?.ifRevision && !options.ifRevision.includes(current)) throw new RevisionMismatch(current);
}

/** The store cannot be reached now; the request can be retried and nothing was half-written. */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

/** The stored data cannot be read back as a backlog; the service must not start on it. */
export class StoreCorrupted extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreCorrupted';
  }
}

/** Too many requests ahead: this one waited past its bound for its turn, and nothing was written. */
export class StoreBusy extends StoreUnavailable {
  constructor(message: string) {
    super(message);
    this.name = 'StoreBusy';
  }
}

/** A commit was sent but never confirmed: it may or may not have been written (never "nothing was written"). */
export class CommitOutcomeUnknown extends StoreUnavailable {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommitOutcomeUnknown';
  }
}
