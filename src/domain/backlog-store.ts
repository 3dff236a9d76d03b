import type { Backlog } from './backlog.js';

/**
 * Where the backlog lives. Every implementation passes the contract suite in
 * test/repo/backlog-store.contract.ts.
 */
export interface BacklogStore {
  /** The latest committed backlog. */
  read(): Promise<Backlog>;
  /**
   * Applies `change` to the latest committed backlog and commits the result
   * atomically: concurrent updates never lose one another, and when `change`
   * throws (a DomainError) or the commit fails, nothing is written and the error
   * is rethrown. `change` may run more than once (optimistic retries), so it
   * must be pure. Resolves to the committed backlog.
   */
  update(change: (backlog: Backlog) => Backlog): Promise<Backlog>;
  /** Resolves when the store can serve requests; rejects with StoreUnavailable otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
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
