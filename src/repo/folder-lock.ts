import { randomUUID } from 'node:crypto';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'backlog.lock';
/** The owner touches its lock this often; a lock untouched for STALE_AFTER_MS has no owner. */
const LOCK_HEARTBEAT_MS = 2_000;
const LOCK_STALE_AFTER_MS = 10_000;

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

/**
 * One process owns a data folder: a second one would overwrite the first one's
 * journal. A pid alone identifies nothing across containers that share a volume
 * (each is pid 1), so the lock names its host and a random token, and its owner
 * touches it every LOCK_HEARTBEAT_MS. A lock is taken over when its owner is a
 * process of this host that is gone (a crash), or when nobody has touched it for
 * LOCK_STALE_AFTER_MS (an owner on another host or container that died).
 */
export async function takeFolderLock(folder: string): Promise<{ release: () => Promise<void> }> {
  const lockFile = path.join(folder, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), token: randomUUID() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      const heartbeat = setInterval(() => {
        const now = new Date();
        utimes(lockFile, now, now).catch(() => undefined);
      }, LOCK_HEARTBEAT_MS);
      heartbeat.unref();
      return {
        release: async () => {
          clearInterval(heartbeat);
          const owner = await readOwner(lockFile);
          if (owner?.token === me.token) await rm(lockFile, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(lockFile);
    const age = await stat(lockFile).then(
      (info) => Date.now() - info.mtimeMs,
      () => Number.POSITIVE_INFINITY,
    );
    if (owner && !isStale(owner, me, age)) {
      const where = owner.host === me.host ? `process ${owner.pid}` : `process ${owner.pid} on host ${owner.host}`;
      throw new Error(
        `The data folder ${folder} is in use by ${where} (${lockFile}); one process owns a data folder. Stop it, or remove the lock file if that process is not this service.`,
      );
    }
    await rm(lockFile, { force: true });
  }
  throw new Error(`Cannot take the lock ${lockFile}`);
}

function isStale(owner: LockOwner, me: LockOwner, ageMs: number): boolean {
  // On one host two live processes never share a pid: a lock naming ours is from an earlier run (a
  // restarted container is pid 1 again), and one naming a process that is gone was left by a crash.
  if (owner.host === me.host && (owner.pid === me.pid || !isRunning(owner.pid))) return true;
  return ageMs > LOCK_STALE_AFTER_MS;
}

async function readOwner(lockFile: string): Promise<LockOwner | undefined> {
  const text = await readFile(lockFile, 'utf8').catch(() => '');
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.token === 'string') {
      return owner as LockOwner;
    }
  } catch {
    // A lock from an earlier version holds only a pid: read it as a lock of this host.
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) ? { pid, host: hostname(), token: '' } : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
