import { access, constants, open, rm, statfs } from 'node:fs/promises';
import path from 'node:path';
import { StoreUnavailable } from '../domain/index.js';

/** Written and removed by a readiness check after a failed write: can the disk take a write again? */
export const READY_PROBE_FILE = 'backlog.ready-probe';
const PROBE_BYTES = 64 * 1024;

/**
 * Whether the data folder can take a write now, for /readyz: it is writable, it
 * has at least `minFreeBytes` free, and, after a write failed (a full disk, say),
 * a test write succeeds. A successful write or test write clears the failure.
 */
export function createDiskReadiness(folder: string, minFreeBytes: number) {
  let lastFailure: Error | undefined;
  return {
    /** Runs a write, remembering whether it failed. */
    async track<T>(write: () => Promise<T>): Promise<T> {
      try {
        const result = await write();
        lastFailure = undefined;
        return result;
      } catch (error) {
        lastFailure = error as Error;
        throw error;
      }
    },
    async check(): Promise<void> {
      try {
        await access(folder, constants.W_OK);
      } catch (error) {
        throw new StoreUnavailable(`The data folder ${folder} cannot be written: ${(error as Error).message}`);
      }
      const disk = await statfs(folder);
      const free = disk.bavail * disk.bsize;
      if (free < minFreeBytes) {
        throw new StoreUnavailable(
          `The data folder ${folder} has ${mebibytes(free)} free, under DATA_MIN_FREE_BYTES (${mebibytes(minFreeBytes)}): writes may fail`,
        );
      }
      const failure = lastFailure;
      if (!failure) return;
      try {
        await probeWrite(path.join(folder, READY_PROBE_FILE));
        lastFailure = undefined;
      } catch (error) {
        throw new StoreUnavailable(
          `The last write failed (${failure.message}) and a test write fails too: ${(error as Error).message}`,
        );
      }
    },
  };
}

async function probeWrite(file: string): Promise<void> {
  try {
    const handle = await open(file, 'w');
    try {
      await handle.writeFile(Buffer.alloc(PROBE_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } finally {
    await rm(file, { force: true });
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
