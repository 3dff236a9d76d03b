// @ts-check
// The dashboard's only I/O: the public API (SPEC sections 3, 7 and 8). No DOM, no state.

/** @typedef {import('./model.js').BacklogView} BacklogView */
/** @typedef {import('./state.js').Progress} Progress */
/** @typedef {import('./state.js').BlockedAnswer} BlockedAnswer */

/** An answer the page cannot use, told in words for the alert. */
export class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** @param {Response} response */
async function problem(response) {
  let detail = '';
  try {
    const body = await response.json();
    detail = typeof body?.detail === 'string' ? body.detail : (body?.title ?? '');
  } catch {
    // Not a problem document: the status says it.
  }
  const why =
    response.status === 401
      ? 'the service asks for a key to read (AUTH_READS): this page sends none'
      : response.status === 503
        ? 'the service is unavailable'
        : `HTTP ${response.status}`;
  return new ApiError(`${why}${detail ? `: ${detail}` : ''}`, response.status);
}

/** @param {string} path @param {RequestInit} [init] */
async function get(path, init = {}) {
  try {
    return await fetch(path, { cache: 'no-store', ...init });
  } catch {
    throw new ApiError('the service is unreachable', 0);
  }
}

/**
 * GET /v1/backlog, conditional on the ETag held: null when unchanged (304).
 * @param {string | null} etag
 * @returns {Promise<{ view: BacklogView, etag: string | null } | null>}
 */
export async function fetchBacklog(etag) {
  const response = await get('/v1/backlog', { headers: etag ? { 'If-None-Match': etag } : {} });
  if (response.status === 304) return null;
  if (!response.ok) throw await problem(response);
  return { view: await response.json(), etag: response.headers.get('ETag') };
}

/** @param {string} bug @returns {Promise<BlockedAnswer>} */
export async function fetchBlocked(bug) {
  const response = await get(`/v1/bugs/${encodeURIComponent(bug)}/blocked-epics`);
  if (!response.ok) throw await problem(response);
  return response.json();
}

/**
 * An epic's progress (GET /v1/epics/{id}); `undefined` when the server does not give it
 * (before SPEC section 8), null when the epic is gone.
 * @param {string} id
 * @returns {Promise<Progress | null | undefined>}
 */
export async function fetchProgress(id) {
  const response = await get(`/v1/epics/${encodeURIComponent(id)}`);
  if (response.status === 404) return null;
  if (!response.ok) throw await problem(response);
  const body = await response.json();
  return body.progress ?? undefined;
}

/**
 * Since when an epic has had its status: the `at` of the last entry of its history ('' when
 * it has none); `undefined` when the server has no history route, null when the epic is gone.
 * @param {string} id
 * @returns {Promise<string | null | undefined>}
 */
export async function fetchSince(id) {
  const response = await get(`/v1/epics/${encodeURIComponent(id)}/history`);
  if (response.status === 404) {
    const body = await response.json().catch(() => null);
    // An unknown route and an unknown epic are both 404s; only the latter names the epic.
    return /epic-not-found/.test(String(body?.type)) ? null : undefined;
  }
  if (!response.ok) throw await problem(response);
  /** @type {Array<{ at: string }>} */
  const history = await response.json();
  return history.at(-1)?.at ?? '';
}

/**
 * Follows the event stream (GET /v1/events/stream). Calls `onChange` for each event and
 * `onOpen` when connected; when the stream is refused (503, 401, 404) or unavailable,
 * closes it and calls `onRefused` once: the caller polls instead.
 * @param {{ onChange(event: unknown): void, onOpen(): void, onRefused(): void }} handlers
 * @returns {() => void} stops following
 */
export function followEvents(handlers) {
  if (typeof EventSource === 'undefined') {
    handlers.onRefused();
    return () => {};
  }
  const source = new EventSource('/v1/events/stream');
  let refused = false;
  let failures = 0;
  const refuse = () => {
    if (refused) return;
    refused = true;
    source.close();
    handlers.onRefused();
  };
  source.onopen = () => {
    failures = 0;
    handlers.onOpen();
  };
  source.onmessage = (message) => {
    let event = null;
    try {
      event = JSON.parse(message.data);
    } catch {
      // A change without a readable body is still a change.
    }
    handlers.onChange(event);
  };
  source.onerror = () => {
    failures += 1;
    // CLOSED: the answer was not a stream (an error status). Reconnecting again and again: poll.
    if (source.readyState === EventSource.CLOSED || failures >= 3) refuse();
  };
  return () => source.close();
}

/**
 * Runs at most `concurrency` loads at once, each key once while queued or running; the
 * newest requests first (the rows on screen now matter more than those scrolled past).
 * @param {number} concurrency
 */
export function loadQueue(concurrency) {
  /** @type {Array<{ key: string, run: () => Promise<void> }>} */
  const waiting = [];
  const busy = new Set();
  const pump = () => {
    while (busy.size < concurrency && waiting.length > 0) {
      const job = /** @type {{ key: string, run: () => Promise<void> }} */ (waiting.pop());
      busy.add(job.key);
      job.run().finally(() => {
        busy.delete(job.key);
        pump();
      });
    }
  };
  return {
    /** @param {string} key @param {() => Promise<void>} run */
    add(key, run) {
      if (busy.has(key) || waiting.some((job) => job.key === key)) return;
      waiting.push({ key, run });
      pump();
    },
    /** Forgets what has not started. */
    clear() {
      waiting.length = 0;
    },
  };
}
