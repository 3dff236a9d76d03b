import {
  type BacklogEvent,
  type BacklogStore,
  type EventPage,
  EventsPruned,
  type HistoryEntry,
  historyIn,
  MAX_EVENTS_PAGE,
} from '../domain/index.js';

/** The kept events of a store that holds them in this process (memory, file). */
export interface EventLog {
  /** Every commit after this revision has its event kept. */
  readonly since: number;
  readonly events: readonly BacklogEvent[];
  append(event: BacklogEvent): void;
  /** Drops the events older than `keepMs` (0 keeps all); returns how many were dropped. */
  prune(keepMs: number, now?: number): number;
  page(after: number | undefined, limit: number): EventPage;
  history(epicId: string): HistoryEntry[];
}

/**
 * Events kept in order of `seq`, which is contiguous (every revision has its
 * event), so a page starts by index. An epic's history is found through an index
 * of the events that name it.
 */
export function createEventLog(since: number, events: readonly BacklogEvent[] = []): EventLog {
  const kept: BacklogEvent[] = [];
  const byEpic = new Map<string, BacklogEvent[]>();
  let first = since;

  function index(event: BacklogEvent): void {
    for (const { epic } of event.changes) {
      const named = byEpic.get(epic);
      if (!named) byEpic.set(epic, [event]);
      else if (named.at(-1) !== event) named.push(event);
    }
  }

  const log: EventLog = {
    get since() {
      return first;
    },
    get events() {
      return kept;
    },
    append(event) {
      const expected = first + kept.length + 1;
      if (event.seq !== expected) throw new Error(`event ${event.seq} out of sequence: ${expected} was expected`);
      kept.push(event);
      index(event);
    },
    prune(keepMs, now = Date.now()) {
      if (keepMs <= 0) return 0;
      const cutoff = new Date(now - keepMs).toISOString();
      let count = 0;
      while (count < kept.length && (kept[count] as BacklogEvent).at < cutoff) count++;
      if (count === 0) return 0;
      const dropped = kept.splice(0, count);
      first = (dropped.at(-1) as BacklogEvent).seq;
      for (const event of dropped) {
        for (const { epic } of event.changes) {
          const named = byEpic.get(epic);
          if (!named) continue;
          while (named.length > 0 && (named[0] as BacklogEvent).seq <= first) named.shift();
          if (named.length === 0) byEpic.delete(epic);
        }
      }
      return count;
    },
    page(after, limit) {
      const from = after ?? first;
      if (from < first) throw new EventsPruned(from, first);
      const size = Math.min(Math.max(limit, 1), MAX_EVENTS_PAGE);
      const start = Math.min(from - first, kept.length);
      const events = kept.slice(start, start + size);
      const next = start + size < kept.length ? (events.at(-1) as BacklogEvent).seq : null;
      return { events, next };
    },
    history(epicId) {
      return historyIn(byEpic.get(epicId) ?? [], epicId);
    },
  };
  for (const event of events) log.append(event);
  return log;
}

/**
 * The events side of a store that keeps its events in this process (memory, file):
 * `record` keeps a committed event (dropping those past the retention, `retentionMs`,
 * 0 keeps all) and tells the watchers; `reads` are the store's events, history and watch.
 */
export function createLocalEvents(log: EventLog, retentionMs: number) {
  const watchers = createWatchers();
  const reads: Pick<BacklogStore, 'events' | 'history' | 'watch'> = {
    events: async (after, limit) => log.page(after, limit),
    history: async (epicId) => log.history(epicId),
    watch: watchers.watch,
  };
  return {
    record(event: BacklogEvent): void {
      log.append(event);
      log.prune(retentionMs);
      watchers.notify(event.seq);
    },
    reads,
  };
}

/** The listeners of BacklogStore.watch: a failing listener never fails a commit. */
export function createWatchers() {
  const listeners = new Set<(revision: number) => void>();
  return {
    get size() {
      return listeners.size;
    },
    watch(listener: (revision: number) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    notify(revision: number): void {
      for (const listener of listeners) {
        try {
          listener(revision);
        } catch {
          // A listener's failure is its own (a closed stream): the commit stands.
        }
      }
    },
  };
}
