import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Backlog, type BacklogStore, emptyBacklog, StoreCorrupted, StoreUnavailable } from '../domain/index.js';
import { decodeSnapshot, encodeSnapshot } from './backlog-snapshot.js';
import { createSerialQueue } from './serial-queue.js';

export const SNAPSHOT_FILE = 'backlog.json';

/**
 * The embedded durable store: one snapshot file under `dataDir`, replaced
 * atomically (write a temporary file, fsync, rename, fsync the folder) before a
 * mutation is acknowledged, so a crash at any moment leaves the old or the new
 * backlog. One process owns the folder; updates are serialised inside it.
 */
export async function createFileStore({ dataDir }: { dataDir: string }): Promise<BacklogStore> {
  const folder = path.resolve(dataDir);
  const file = path.join(folder, SNAPSHOT_FILE);
  await mkdir(folder, { recursive: true });
  await removeLeftoverTemporaries(folder);
  let current = await readSnapshot(file);
  const queue = createSerialQueue();

  return {
    async read() {
      return current;
    },
    update(change) {
      return queue.run(async () => {
        const next = change(current);
        if (next === current) return current;
        await writeSnapshot(folder, file, next);
        current = next;
        return current;
      });
    },
    async ping() {},
    async close() {
      await queue.run(() => undefined);
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
    const directory = await open(folder, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw new StoreUnavailable(`Cannot write the data file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

async function removeLeftoverTemporaries(folder: string): Promise<void> {
  for (const name of await readdir(folder)) {
    if (name.startsWith(`${SNAPSHOT_FILE}.`) && name.endsWith('.tmp'))
      await rm(path.join(folder, name), { force: true });
  }
}
