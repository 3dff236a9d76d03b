import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Backlog, type BacklogStore, emptyBacklog, StoreCorrupted, StoreUnavailable } from '../domain/index.js';
import { decodeSnapshot, encodeSnapshot } from './backlog-snapshot.js';
import { createDiskReadiness } from './disk-readiness.js';
import { createSerialQueue } from './serial-queue.js';

export const SNAPSHOT_FILE = 'backlog.json';
export const LOCK_FILE = 'backlog.lock';
export const DEFAULT_MIN_FREE_BYTES = 64 * 2 ** 20;

/**
 * The embedded durable store: one snapshot file under `dataDir`, replaced
 * atomically (write a temporary file, fsync, rename, fsync the folder) before a
 * mutation is acknowledged, so a crash at any moment leaves the old or the new
 * backlog. One process owns the folder; updates are serialised inside it.
 */
export async function createFileStore({
  dataDir,
  queueWaitMs,
  minFreeBytes = DEFAULT_MIN_FREE_BYTES,
}: {
  dataDir: string;
  queueWaitMs?: number;
  /** Below this much free space in the folder, /readyz answers 503 (DATA_MIN_FREE_BYTES). */
  minFreeBytes?: number;
}): Promise<BacklogStore> {
  const folder = path.resolve(dataDir);
  const file = path.join(folder, SNAPSHOT_FILE);
  await mkdir(folder, { recursive: true });
  const lock = await takeLock(folder);
  await removeLeftoverTemporaries(folder);
  let current = await readSnapshot(file).catch(async (error) => {
    await lock.release();
    throw error;
  });
  const queue = createSerialQueue({ maxWaitMs: queueWaitMs });
  const readiness = createDiskReadiness(folder, minFreeBytes);

  return {
    async read() {
      return current;
    },
    update(change) {
      return queue.run(async () => {
        const next = change(current);
        if (next === current) return current;
        await readiness.track(() => writeSnapshot(folder, file, next));
        current = next;
        return current;
      });
    },
    ping: () => readiness.check(),
    async close() {
      await queue.drain();
      await lock.release();
    },
  };
}

async function readSnapshot(file: string): Promise<Backlog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyBacklog;
    throw new StoreCorrupted(`Cannot read the data file ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return decodeSnapshot(text);
  } catch (error) {
    throw new StoreCorrupted(
      `The data file ${file} is damaged: ${(error as Error).message}. Restore it from a backup, or move it away to start with an empty backlog.`,
      { cause: error },
    );
  }
}

async function writeSnapshot(folder: string, file: string, backlog: Backlog): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(encodeSnapshot(backlog));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new StoreUnavailable(`Cannot write the data file ${file}: ${(error as Error).message}`, { cause: error });
  }
  // Once renamed, the new snapshot is what a restart reads: it counts as committed even
  // if syncing the folder fails, or the process would answer from a backlog the disk no longer has.
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

/**
 * One process owns a data folder: a second one would overwrite the first one's
 * snapshots. The lock names its owner's pid; a lock whose owner is gone (a crash) is taken over.
 */
async function takeLock(folder: string): Promise<{ release: () => Promise<void> }> {
  const lockFile = path.join(folder, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => rm(lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
      throw new Error(
        `The data folder ${folder} is in use by process ${owner} (${lockFile}); one process owns a data folder. Stop it, or remove the lock file if that process is not this service.`,
      );
    }
    await rm(lockFile, { force: true });
  }
  throw new Error(`Cannot take the lock ${lockFile}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function removeLeftoverTemporaries(folder: string): Promise<void> {
  for (const name of await readdir(folder)) {
    if (name.startsWith(`${SNAPSHOT_FILE}.`) && name.endsWith('.tmp'))
      await rm(path.join(folder, name), { force: true });
  }
}
