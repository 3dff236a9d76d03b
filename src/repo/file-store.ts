import { type FileHandle, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  applyChange,
  type Backlog,
  type BacklogStore,
  backlogFromEpics,
  type Change,
  type Commit,
  type Committed,
  checkRevision,
  emptyBacklog,
  handOver,
  isNoChange,
  StoreCorrupted,
  StoreUnavailable,
  type UpdateOptions,
} from '../domain/index.js';
import { decodeSnapshot, encodeSnapshot } from './backlog-snapshot.js';
import { createDiskReadiness } from './disk-readiness.js';
import { takeFolderLock } from './folder-lock.js';
import { decodeJournal, encodeRecord, replay } from './journal.js';
import { createSerialQueue } from './serial-queue.js';
import { type StoreLogger, silentLogger } from './store-logger.js';

export const SNAPSHOT_FILE = 'backlog.json';
export const JOURNAL_FILE = 'journal.log';
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
}

/**
 * The embedded durable store. Each commit appends one checksummed record (what it
 * changed) to the journal and syncs it before it is acknowledged. When the journal
 * outgrows its bound, a snapshot of the whole backlog is written (temporary file,
 * fsync, rename, fsync of the folder) and the journal starts again. Start-up reads
 * the snapshot and replays the journal. One process owns the folder; commits are
 * serialised inside it.
 */
export async function createFileStore(options: FileStoreOptions): Promise<BacklogStore> {
  const { logger = silentLogger, journalLimitBytes = 4 * 1024 * 1024 } = options;
  const folder = path.resolve(options.dataDir);
  const files = { snapshot: path.join(folder, SNAPSHOT_FILE), journal: path.join(folder, JOURNAL_FILE) };
  await mkdir(folder, { recursive: true });
  const lock = await takeFolderLock(folder);
  let current: Committed;
  let journal: FileHandle;
  let journalBytes: number;
  let snapshotBytes: number;
  try {
    await removeLeftoverTemporaries(folder);
    const loaded = await load(files, logger);
    current = loaded.committed;
    journalBytes = loaded.journalBytes;
    snapshotBytes = loaded.snapshotBytes;
    journal = await open(files.journal, 'a');
  } catch (error) {
    await lock.release();
    throw error;
  }
  const queue = createSerialQueue({ maxWaitMs: options.queueWaitMs });
  const readiness = createDiskReadiness(folder, options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES);

  async function append(change: Change, revision: number): Promise<void> {
    const line = encodeRecord(change, revision);
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

  /** Writes the whole backlog as the new snapshot, then starts an empty journal. */
  async function snapshot(committed: Committed): Promise<void> {
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
    events: () => Promise.reject(new Error('events: not yet in this store')),
    history: () => Promise.reject(new Error('history: not yet in this store')),
    watch: () => () => undefined,
    ping: () => readiness.check(),
    async close() {
      await queue.drain();
      await journal.close().catch(() => undefined);
      await lock.release();
    },
  };

  /** One commit, inside the queue: checked, written and synced, then applied. */
  async function commit(plan: (backlog: Backlog) => Change, updateOptions?: UpdateOptions): Promise<Commit> {
    checkRevision(current.revision, updateOptions);
    const change = plan(current.backlog);
    if (isNoChange(change)) return { ...current, change };
    const revision = current.revision + 1;
    await readiness.track(async () => {
      if (!change.replacement) return append(change, revision);
      // The whole backlog changes: a snapshot is the record of it.
      await snapshot({ backlog: change.replacement, revision }).catch((error) => {
        throw new StoreUnavailable(`Cannot write the data file ${files.snapshot}: ${(error as Error).message}`, {
          cause: error,
        });
      });
    });
    current = { backlog: applyChange(change), revision };
    compactLater();
    return { ...current, change };
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
    if (records.length === 0) {
      return {
        committed: { backlog: base.backlog, revision },
        journalBytes: contents.validBytes,
        snapshotBytes: Buffer.byteLength(text),
      };
    }
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
    return {
      committed: { backlog, revision },
      journalBytes: contents.validBytes,
      snapshotBytes: Buffer.byteLength(text),
    };
  } catch (error) {
    if (error instanceof StoreCorrupted) throw error;
    throw new StoreCorrupted(
      `The journal ${files.journal} is damaged: ${(error as Error).message}. Restore the data folder from a backup.`,
      { cause: error },
    );
  }
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
    if (name.startsWith(`${SNAPSHOT_FILE}.`) && name.endsWith('.tmp'))
      await rm(path.join(folder, name), { force: true });
  }
}
