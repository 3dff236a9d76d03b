import { type FileHandle, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  applyChange,
  type Backlog,
  type BacklogEvent,
  type BacklogStore,
  backlogFromEpics,
  type Change,
  type Commit,
  type Committed,
  checkRevision,
  emptyBacklog,
  eventOf,
  handOver,
  isNoChange,
  StoreCorrupted,
  StoreUnavailable,
  type UpdateOptions,
} from '../domain/index.js';
import { decodeSnapshot, encodeSnapshot } from './backlog-snapshot.js';
import { createDiskReadiness } from './disk-readiness.js';
import { createEventLog, createLocalEvents, type EventLog } from './event-log.js';
import { decodeEventsFile, encodeEventLines, encodeEventsFile } from './events-file.js';
import { takeFolderLock } from './folder-lock.js';
import { decodeJournal, encodeRecord, eventOfRecord, type JournalRecord, replay } from './journal.js';
import { createSerialQueue } from './serial-queue.js';
import { type StoreLogger, silentLogger } from './store-logger.js';

export const SNAPSHOT_FILE = 'backlog.json';
export const JOURNAL_FILE = 'journal.log';
export const EVENTS_FILE = 'events.log';

/** What the events file holds: the `since` of its header, its last event's seq, its size. */
interface EventsFileState {
  readonly since: number;
  readonly lastSeq: number;
  readonly bytes: number;
}

/** The events file's content is not known (putting it back failed): it is written anew, in full, next. */
const UNKNOWN_EVENTS_FILE: EventsFileState = { since: -1, lastSeq: -1, bytes: -1 };
const DEFAULT_MIN_FREE_BYTES = 64 * 2 ** 20;

export { LOCK_FILE } from './folder-lock.js';

export interface FileStoreOptions {
  dataDir: string;
  logger?: StoreLogger;
  /** The journal is folded into a new snapshot once it holds this many bytes, or more than the snapshot. */
  journalLimitBytes?: number;
  /** An update that waits longer than this for its turn is refused (StoreBusy, nothing written). */
  queueWaitMs?: number;
  /** Below this much free space in the folder, /readyz answers 503 (DATA_MIN_FREE_BYTES). */
  minFreeBytes?: number;
  /** Events older than this are dropped (EVENTS_RETENTION_DAYS; 0 keeps all). */
  eventsRetentionMs?: number;
}

/**
 * The embedded durable store. Each commit appends one checksummed record (what it
 * changed) to the journal and syncs it before it is acknowledged. When the journal
 * outgrows its bound, a snapshot of the whole backlog is written (temporary file,
 * fsync, rename, fsync of the folder) and the journal starts again. Start-up reads
 * the snapshot and replays the journal. One process owns the folder; commits are
 * serialised inside it.
 *
 * Each record holds its commit's event, so a commit and its event are one write.
 * Before the journal is cut, its events are appended to the events file (see
 * events-file.ts); a replacement's event is appended there before its snapshot,
 * and start-up drops an event the snapshot never followed.
 */
export async function createFileStore(options: FileStoreOptions): Promise<BacklogStore> {
  const { logger = silentLogger, journalLimitBytes = 4 * 1024 * 1024, eventsRetentionMs = 0 } = options;
  const folder = path.resolve(options.dataDir);
  const files = {
    snapshot: path.join(folder, SNAPSHOT_FILE),
    journal: path.join(folder, JOURNAL_FILE),
    events: path.join(folder, EVENTS_FILE),
  };
  await mkdir(folder, { recursive: true });
  const lock = await takeFolderLock(folder);
  let current: Committed;
  let journal: FileHandle;
  let journalBytes: number;
  let snapshotBytes: number;
  let log: EventLog;
  let eventsFile: EventsFileState;
  let eventsHandle: FileHandle;
  try {
    await removeLeftoverTemporaries(folder);
    const loaded = await load(files, logger);
    current = loaded.committed;
    journalBytes = loaded.journalBytes;
    snapshotBytes = loaded.snapshotBytes;
    ({ log, eventsFile } = await loadEvents(files, loaded, logger));
    log.prune(eventsRetentionMs);
    journal = await open(files.journal, 'a');
    eventsHandle = await open(files.events, 'a');
  } catch (error) {
    await lock.release();
    throw error;
  }
  const events = createLocalEvents(log, eventsRetentionMs);
  const queue = createSerialQueue({ maxWaitMs: options.queueWaitMs });
  const readiness = createDiskReadiness(folder, options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES);

  async function append(change: Change, event: BacklogEvent): Promise<void> {
    const line = encodeRecord(change, event);
    try {
      await journal.write(line);
      await journal.datasync();
    } catch (error) {
      // A record that was partly written is a torn tail: the next start drops it, and the
      // next append must not follow it, so the journal is cut back to its last whole record.
      await journal.truncate(journalBytes).catch(() => undefined);
      throw new StoreUnavailable(`Cannot write the journal ${files.journal}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    journalBytes += Buffer.byteLength(line);
  }

  /**
   * Appends to the events file every kept event it lacks, and `extra` after them
   * (synced); the whole file is written anew when events were dropped from the
   * head of the log since it was written (retention), or when it could not be put
   * back after a failure. Returns what the file held before, for restoreEvents.
   */
  async function flushEvents(extra: readonly BacklogEvent[] = []): Promise<EventsFileState> {
    const previous = eventsFile;
    if (log.since > eventsFile.since) {
      await rewriteEvents([...log.events, ...extra]);
      return previous;
    }
    const pending = log.events.slice(Math.max(eventsFile.lastSeq - log.since, 0));
    const text = encodeEventLines([...pending, ...extra]);
    if (text.length === 0) return previous;
    try {
      await eventsHandle.write(text);
      await eventsHandle.datasync();
    } catch (error) {
      await restoreEvents(previous);
      throw error;
    }
    eventsFile = {
      ...eventsFile,
      lastSeq: (extra.at(-1) ?? pending.at(-1) ?? { seq: eventsFile.lastSeq }).seq,
      bytes: previous.bytes + Buffer.byteLength(text),
    };
    return previous;
  }

  /** Writes the events file anew: the log's `since`, then `events`. */
  async function rewriteEvents(events: readonly BacklogEvent[]): Promise<void> {
    const text = encodeEventsFile(log.since, events);
    await eventsHandle.close().catch(() => undefined);
    try {
      await writeAtomically(folder, files.events, text);
    } finally {
      eventsHandle = await open(files.events, 'a');
    }
    eventsFile = { since: log.since, lastSeq: events.at(-1)?.seq ?? log.since, bytes: Buffer.byteLength(text) };
  }

  /**
   * Puts the events file back as it was before flushEvents (an append that failed,
   * or a replacement whose snapshot did): cut back to its size, or written anew
   * without the failed event when flushEvents had written it anew. If even that
   * fails, the file is written anew, in full, before anything else is appended.
   */
  async function restoreEvents(previous: EventsFileState): Promise<void> {
    try {
      if (previous.since === eventsFile.since) {
        await eventsHandle.truncate(previous.bytes);
        eventsFile = previous;
      } else {
        await rewriteEvents(log.events);
      }
    } catch (error) {
      logger.warn({ err: error, file: files.events }, 'cannot put the events file back; it is written anew next time');
      eventsFile = UNKNOWN_EVENTS_FILE;
    }
  }

  /** Writes the whole backlog as the new snapshot, then starts an empty journal. */
  async function snapshot(committed: Committed): Promise<void> {
    // The journal's events go to the events file before the journal is cut.
    await flushEvents();
    const text = encodeSnapshot(committed.backlog, committed.revision);
    await writeAtomically(folder, files.snapshot, text);
    snapshotBytes = Buffer.byteLength(text);
    // The snapshot is committed once renamed. Records up to its revision are skipped at
    // start-up, so a crash (or a failure) before this truncation loses nothing and replays nothing twice.
    try {
      await journal.truncate(0);
      await journal.datasync();
      journalBytes = 0;
    } catch (error) {
      logger.warn(
        { err: error, file: files.journal },
        'cannot restart the journal after a snapshot; it is skipped at start-up',
      );
    }
  }

  const journalIsLong = () => journalBytes >= Math.max(journalLimitBytes, snapshotBytes);

  /** Folds the journal into a snapshot after the commit that outgrew it has been answered. */
  function compactLater(): void {
    if (!journalIsLong()) return;
    queue
      .run(() => (journalIsLong() ? snapshot(current) : undefined))
      .catch((error) => logger.error({ err: error, folder }, 'cannot fold the journal into a new snapshot'));
  }

  return {
    async read<T>(use?: (committed: Committed) => T) {
      return handOver(current, use);
    },
    async update<T>(plan: (backlog: Backlog) => Change, updateOptions?: UpdateOptions, use?: (commit: Commit) => T) {
      // Wrapped so that the queue does not wait for what `use` returns (a compression, say).
      const { handed } = await queue.run(async () => ({ handed: handOver(await commit(plan, updateOptions), use) }));
      return handed;
    },
    ...events.reads,
    ping: () => readiness.check(),
    async close() {
      await queue.drain();
      await journal.close().catch(() => undefined);
      await eventsHandle.close().catch(() => undefined);
      await lock.release();
    },
  };

  /** One commit, inside the queue: checked, written and synced, then applied. */
  async function commit(plan: (backlog: Backlog) => Change, updateOptions?: UpdateOptions): Promise<Commit> {
    checkRevision(current.revision, updateOptions);
    const change = plan(current.backlog);
    if (isNoChange(change)) return { ...current, change };
    const revision = current.revision + 1;
    const event = eventOf(revision, change, updateOptions?.cause);
    await readiness.track(async () => {
      if (!change.replacement) return append(change, event);
      // The whole backlog changes: a snapshot is the record of it, and its event goes first to the events file.
      const eventsBefore = await flushEvents([event]).catch((error) => {
        throw new StoreUnavailable(`Cannot write the events file ${files.events}: ${(error as Error).message}`, {
          cause: error,
        });
      });
      await snapshot({ backlog: change.replacement, revision }).catch(async (error) => {
        await restoreEvents(eventsBefore);
        throw new StoreUnavailable(`Cannot write the data file ${files.snapshot}: ${(error as Error).message}`, {
          cause: error,
        });
      });
    });
    current = { backlog: applyChange(change), revision };
    events.record(event);
    compactLater();
    return { ...current, change, event };
  }
}

async function load(files: { snapshot: string; journal: string }, logger: StoreLogger) {
  let text = await readText(files.snapshot);
  const journalText = (await readText(files.journal)) ?? '';
  if (text === undefined) {
    if (journalText.length > 0) {
      throw new StoreCorrupted(
        `The data file ${files.snapshot} is missing but the journal ${files.journal} is not: restore the data folder from a backup.`,
      );
    }
    // A new folder: its first snapshot fixes where revisions start (the clock's milliseconds, so
    // that a folder made anew never repeats a revision a client may still hold).
    text = encodeSnapshot(emptyBacklog(), Date.now());
    await writeAtomically(path.dirname(files.snapshot), files.snapshot, text);
  }
  let base: { backlog: Backlog; revision: number };
  try {
    base = decodeSnapshot(text);
  } catch (error) {
    throw new StoreCorrupted(
      `The data file ${files.snapshot} is damaged: ${(error as Error).message}. Restore it from a backup, or move it away to start with an empty backlog.`,
      { cause: error },
    );
  }
  let revision = base.revision;
  try {
    const contents = decodeJournal(journalText);
    if (contents.tornTail !== undefined) {
      logger.warn(
        { file: files.journal, bytes: Buffer.byteLength(contents.tornTail) },
        'dropped a torn last journal record: a crash cut its append short, so it was never acknowledged',
      );
      await cutJournal(files.journal, contents.validBytes);
    }
    // Records up to the snapshot's revision are already in it (a crash between a snapshot and the truncation).
    const records = contents.records.filter((record) => record.revision > base.revision);
    const loaded = {
      snapshotRevision: base.revision,
      records: contents.records,
      journalBytes: contents.validBytes,
      snapshotBytes: Buffer.byteLength(text),
    };
    if (records.length === 0) return { ...loaded, committed: { backlog: base.backlog, revision } };
    const epics = new Map(base.backlog.epics);
    for (const record of records) {
      if (record.revision !== revision + 1) {
        throw new Error(
          `record ${contents.records.indexOf(record) + 1} has revision ${record.revision} where ${revision + 1} was expected`,
        );
      }
      replay(epics, record);
      revision = record.revision;
    }
    let backlog: Backlog;
    try {
      backlog = backlogFromEpics(epics.values());
    } catch (error) {
      throw new Error(`replaying it breaks a rule of the backlog: ${(error as Error).message}`);
    }
    return { ...loaded, committed: { backlog, revision } };
  } catch (error) {
    if (error instanceof StoreCorrupted) throw error;
    throw new StoreCorrupted(
      `The journal ${files.journal} is damaged: ${(error as Error).message}. Restore the data folder from a backup.`,
      { cause: error },
    );
  }
}

/**
 * The kept events: the events file's, then the journal's it lacks. An events file
 * ahead of the data (a replacement that crashed before its snapshot) loses the
 * events the data never reached; where a commit has no event (data written
 * before events were kept), the log starts after it.
 */
async function loadEvents(
  files: { events: string },
  loaded: { committed: Committed; snapshotRevision: number; records: readonly JournalRecord[] },
  logger: StoreLogger,
): Promise<{ log: EventLog; eventsFile: EventsFileState }> {
  const text = await readText(files.events);
  let since = loaded.snapshotRevision;
  let events: BacklogEvent[] = [];
  let rewrite = text === undefined;
  if (text !== undefined) {
    try {
      const contents = decodeEventsFile(text);
      since = contents.since;
      events = contents.events;
      if (contents.tornTail !== undefined) {
        logger.warn({ file: files.events }, 'dropped a torn last event: a crash cut its append short');
        rewrite = true;
      }
    } catch (error) {
      throw new StoreCorrupted(
        `The events file ${files.events} is damaged: ${(error as Error).message}. Restore the data folder from a backup, or move the file away to start the history anew.`,
        { cause: error },
      );
    }
    const ahead = events.findIndex((event) => event.seq > loaded.committed.revision);
    if (ahead >= 0) {
      logger.warn({ file: files.events }, 'dropped events of a replacement that crashed before its snapshot');
      events = events.slice(0, ahead);
      rewrite = true;
    }
  }
  let log = createEventLog(since, events);
  const lastSeq = () => log.since + log.events.length;
  for (const record of loaded.records) {
    if (record.revision <= lastSeq()) continue;
    const event = eventOfRecord(record);
    if (event && event.seq === lastSeq() + 1) log.append(event);
    else log = createEventLog(record.revision, []); // no event for this commit: the history starts after it
  }
  if (lastSeq() !== loaded.committed.revision) {
    logger.warn({ file: files.events }, 'the history starts at the current revision: earlier commits have no events');
    log = createEventLog(loaded.committed.revision, []);
  }
  const fileText = rewrite ? encodeEventsFile(since, events) : (text as string);
  if (rewrite) await writeAtomically(path.dirname(files.events), files.events, fileText);
  const fileLastSeq = events.at(-1)?.seq ?? since;
  return { log, eventsFile: { since, lastSeq: fileLastSeq, bytes: Buffer.byteLength(fileText) } };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreCorrupted(`Cannot read the data file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

async function cutJournal(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.truncate(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAtomically(folder: string, file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  // Once renamed, the new snapshot is what a restart reads: it counts as written even if
  // syncing the folder fails, or the process would answer from a backlog the disk no longer has.
  await syncFolder(folder).catch(() => undefined);
}

async function syncFolder(folder: string): Promise<void> {
  const directory = await open(folder, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

async function removeLeftoverTemporaries(folder: string): Promise<void> {
  for (const name of await readdir(folder)) {
    const temporary = name.startsWith(`${SNAPSHOT_FILE}.`) || name.startsWith(`${EVENTS_FILE}.`);
    if (temporary && name.endsWith('.tmp')) await rm(path.join(folder, name), { force: true });
  }
}
