import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import {
  type BacklogEvent,
  type BacklogStore,
  type EventPage,
  EventsPruned,
  MAX_EVENTS_PAGE,
} from '../domain/index.js';
import { HttpProblem } from './http-errors.js';
import type { EventMetrics } from './metrics.js';

export interface EventHubOptions {
  readonly store: BacklogStore;
  readonly metrics: EventMetrics;
  readonly log: FastifyBaseLogger;
  /** Open streams at most (EVENTS_MAX_CLIENTS). */
  readonly maxClients: number;
  /** A comment line on every stream this often (EVENTS_HEARTBEAT_MS). */
  readonly heartbeatMs: number;
  /** A stream whose unsent bytes pass this is dropped: its client cannot keep up. */
  readonly maxBufferedBytes?: number;
  /** Live events held for a stream while it catches up, at most; past it, dropped likewise. */
  readonly maxPendingEvents?: number;
  /** After a failed read of the events, the hub tries again this much later. */
  readonly retryMs?: number;
}

/** The bound on a stream's unsent bytes by default: 1 MiB. */
export const MAX_BUFFERED_BYTES = 2 ** 20;
/** A stream still stalled (its socket asking to drain) after this many heartbeats is dropped. */
const STALLED_HEARTBEATS = 4;

/** One SSE message: the event's seq as its id, the event as its data (the default event type). */
export function sseMessage(event: BacklogEvent): string {
  return `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

export const SSE_HEARTBEAT = ': heartbeat\n\n';

interface Stream {
  readonly res: ServerResponse;
  /** The seq of the last event written: every event up to it was sent, none is sent twice. */
  lastSent: number;
  /** Live events that arrived while the stream caught up; undefined once it is live. */
  pending: BacklogEvent[] | undefined;
  stalledHeartbeats: number;
}

export type EventHub = ReturnType<typeof createEventHub>;

/**
 * The live side of GET /v1/events/stream, one per app: it watches the store and,
 * on each commit it learns of (this replica's or another's), reads the new events
 * once and writes them to every open stream. A stream resumed from a seq reads the
 * kept events after it first (registered before that read, holding the live events
 * meanwhile), so that no event is missed and none sent twice. A stream whose client
 * cannot keep up is dropped, never buffered without bound.
 */
export function createEventHub(options: EventHubOptions) {
  const { store, metrics, log, maxClients, heartbeatMs } = options;
  const maxBufferedBytes = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  const maxPendingEvents = options.maxPendingEvents ?? 10 * MAX_EVENTS_PAGE;
  const retryMs = options.retryMs ?? 1000;
  const streams = new Set<Stream>();
  /** Every event up to this seq has been handed to the streams open then. */
  let lastSeq: number | undefined;
  /** The latest revision the store announced. */
  let announced = 0;
  let pumping = false;
  let closed = false;
  let unwatch: (() => void) | undefined;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  function onCommit(revision: number): void {
    announced = Math.max(announced, revision);
    if (lastSeq === undefined || closed) return;
    // Nobody listens: nothing to read, the next stream starts from here.
    if (streams.size === 0 && !pumping) {
      lastSeq = Math.max(lastSeq, revision);
      return;
    }
    void pump();
  }

  /** Reads the events after lastSeq, page by page, and hands each to every stream; one pump at a time. */
  async function pump(): Promise<void> {
    if (pumping || closed) return;
    pumping = true;
    try {
      while (!closed && lastSeq !== undefined && announced > lastSeq) {
        if (streams.size === 0) {
          lastSeq = announced;
          break;
        }
        const page: EventPage = await store.events(lastSeq, MAX_EVENTS_PAGE);
        if (page.events.length === 0) break;
        for (const event of page.events) {
          // Serialised once, written to every stream.
          const message = sseMessage(event);
          for (const stream of streams) deliver(stream, event, message);
          lastSeq = event.seq;
        }
      }
    } catch (error) {
      if (error instanceof EventsPruned) {
        // The hub fell behind the retention: its streams missed events; they resume and get the 410.
        log.warn({ err: error }, 'event streams fell behind the kept events: closing them');
        for (const stream of [...streams]) end(stream);
        lastSeq = announced;
      } else if (!closed) {
        log.warn({ err: error }, `could not read the new events: trying again in ${retryMs} ms`);
        retry ??= setTimeout(() => {
          retry = undefined;
          void pump();
        }, retryMs);
      }
    } finally {
      pumping = false;
    }
  }

  function deliver(stream: Stream, event: BacklogEvent, message: string): void {
    if (stream.pending) {
      stream.pending.push(event);
      if (stream.pending.length > maxPendingEvents) drop(stream, 'too many live events while catching up');
      return;
    }
    write(stream, event, message);
  }

  /**
   * Writes the event unless the stream had it. The bound applies to what was
   * unsent before it: one event larger than the bound (a big import) still goes.
   */
  function write(stream: Stream, event: BacklogEvent, message = sseMessage(event)): void {
    if (event.seq <= stream.lastSent) return;
    if (stream.res.writableLength > maxBufferedBytes) {
      drop(stream, 'its unsent bytes passed the bound');
      return;
    }
    stream.res.write(message);
    stream.lastSent = event.seq;
  }

  function remove(stream: Stream): boolean {
    if (!streams.delete(stream)) return false;
    metrics.streamClients.set(streams.size);
    if (streams.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
    return true;
  }

  /** Ends the stream; a client whose socket is full would never take the end: it is cut. */
  function end(stream: Stream): void {
    if (!remove(stream)) return;
    stream.res.end();
    if (stream.res.writableNeedDrain) stream.res.destroy();
  }

  function drop(stream: Stream, why: string): void {
    if (!remove(stream)) return;
    metrics.streamDrops.inc();
    log.info({ lastSent: stream.lastSent, why }, 'event stream dropped: its client cannot keep up');
    stream.res.destroy();
  }

  function beat(): void {
    for (const stream of [...streams]) {
      // A client that stopped reading fills its socket slowly with heartbeats alone.
      stream.stalledHeartbeats = stream.res.writableNeedDrain ? stream.stalledHeartbeats + 1 : 0;
      if (stream.stalledHeartbeats >= STALLED_HEARTBEATS) {
        drop(stream, 'its socket stayed full');
        continue;
      }
      if (stream.res.writableLength > maxBufferedBytes) drop(stream, 'its unsent bytes passed the bound');
      else stream.res.write(SSE_HEARTBEAT);
    }
  }

  /** Writes what a resuming stream missed, page by page, waiting for its socket to drain. */
  async function catchUp(stream: Stream, first: EventPage): Promise<void> {
    let page = first;
    for (;;) {
      for (const event of page.events) {
        // Paced by the socket: at most one event beyond its high-water mark is unsent.
        if (stream.res.writableNeedDrain) await drained(stream.res);
        if (!streams.has(stream)) return;
        write(stream, event);
      }
      if (page.next === null) break;
      page = await store.events(page.next, MAX_EVENTS_PAGE);
    }
    goLive(stream);
  }

  /** Live from here: what arrived while the stream caught up, then each event as the hub hands it over. */
  function goLive(stream: Stream): void {
    const pending = stream.pending ?? [];
    stream.pending = undefined;
    for (const event of pending) {
      if (!streams.has(stream)) return;
      write(stream, event);
    }
  }

  let starting: Promise<void> | undefined;
  /** Reads the revision the hub starts from, once; a failed read is tried again by the next stream. */
  function ensureStarted(): Promise<void> {
    if (lastSeq !== undefined) return Promise.resolve();
    starting ??= store
      .read(({ revision }) => revision)
      .then((revision) => {
        lastSeq ??= Math.max(revision, announced);
        announced = Math.max(announced, lastSeq);
      })
      .finally(() => {
        starting = undefined;
      });
    return starting;
  }

  /**
   * The service is closing: a stream asked for now is answered 503, as one past the cap
   * is, and its connection closed, so that the server's close does not wait for it.
   */
  function shuttingDown(): HttpProblem {
    return new HttpProblem(503, 'Service unavailable', 'The service is shutting down; retry in a moment.', {
      'retry-after': '1',
    });
  }

  /** Whether the client of `res` has left already. */
  function isGone(res: ServerResponse): boolean {
    return res.destroyed || res.socket === null || res.socket.destroyed;
  }

  function drained(res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }

  return {
    /**
     * Starts watching the store, from its current revision. Never waits for the store:
     * an unreachable one is /readyz's to report, and the first stream reads the revision then.
     */
    start(): void {
      unwatch = store.watch(onCommit);
      ensureStarted().catch(() => {});
    },

    get size(): number {
      return streams.size;
    },

    /** Whether one more stream may open (EVENTS_MAX_CLIENTS). */
    get full(): boolean {
      return streams.size >= maxClients;
    },

    /**
     * Opens a stream on `res` (its head not yet written): after `after` when given,
     * else from the latest event the hub handed over. `open` writes the head once the
     * first page is read, so that a pruned `after` (EventsPruned) can still be answered
     * 410 by the caller: the promise rejects with it before anything is written.
     */
    async open(res: ServerResponse, after: number | undefined, open: () => void): Promise<void> {
      if (closed) throw shuttingDown();
      await ensureStarted();
      // Either may have happened while the revision was read: nothing to hold open then.
      if (closed) {
        res.shouldKeepAlive = false;
        throw shuttingDown();
      }
      if (isGone(res)) return;
      const stream: Stream = { res, lastSent: after ?? lastSeq ?? 0, pending: [], stalledHeartbeats: 0 };
      streams.add(stream);
      metrics.streamClients.set(streams.size);
      res.on('close', () => remove(stream));
      let first: EventPage | undefined;
      try {
        if (after !== undefined) first = await store.events(after, MAX_EVENTS_PAGE);
      } catch (error) {
        remove(stream);
        throw error;
      }
      if (!streams.has(stream)) return;
      open();
      heartbeat ??= setInterval(beat, heartbeatMs).unref();
      if (first) {
        // A later page may fail (the store unreachable, or events pruned meanwhile): the stream
        // ends, and its client reconnects with Last-Event-ID to what it missed, or a 410.
        await catchUp(stream, first).catch((error: unknown) => {
          log.warn({ err: error, lastSent: stream.lastSent }, 'event stream ended: its catch-up read failed');
          end(stream);
        });
      } else {
        goLive(stream);
      }
    },

    /** Ends every stream and stops watching: the server can then close. */
    close(): void {
      closed = true;
      unwatch?.();
      if (retry) clearTimeout(retry);
      for (const stream of [...streams]) end(stream);
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The open event streams of this app (GET /v1/events/stream). */
    eventHub: EventHub;
  }
}

export interface EventStreamOptions {
  readonly maxClients: number;
  readonly heartbeatMs: number;
  /** See EventHubOptions (tests make it tiny). */
  readonly maxBufferedBytes?: number;
}

/**
 * The app's event hub: watching the store once the app is ready, and ending every
 * stream before the server closes, so that app.close() never waits for a stream.
 */
export const eventHub = fp<EventStreamOptions>(
  async (app, options) => {
    const hub = createEventHub({ ...options, store: app.store, metrics: app.eventMetrics, log: app.log });
    app.decorate('eventHub', hub);
    app.addHook('onReady', async () => hub.start());
    app.addHook('preClose', async () => hub.close());
  },
  { name: 'event-hub', dependencies: ['store', 'metrics'] },
);
