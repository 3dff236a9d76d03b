import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEpic, StoreCorrupted, StoreUnavailable } from '../../src/domain/index.js';
import { createFileStore, LOCK_FILE, SNAPSHOT_FILE } from '../../src/repo/file-store.js';
import { describeBacklogStoreContract } from './backlog-store.contract.js';

describeBacklogStoreContract(
  'file',
  async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'backlog-file-store-'));
    return {
      store: await createFileStore({ dataDir }),
      reopen: () => createFileStore({ dataDir }),
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
  { persistent: true },
);

describe('file store start-up on damaged data', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  async function storedFolder(): Promise<{ dataDir: string; file: string; text: string }> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'backlog-damaged-'));
    folders.push(dataDir);
    const store = await createFileStore({ dataDir });
    await store.update((b) => createEpic(b, { id: 'EpicA', tasks: ['TaskA1'] }));
    await store.close();
    const file = path.join(dataDir, SNAPSHOT_FILE);
    return { dataDir, file, text: await readFile(file, 'utf8') };
  }

  it('refuses a truncated file, naming it', async () => {
    const { dataDir, file, text } = await storedFolder();
    await writeFile(file, text.slice(0, text.length / 2));
    const opening = createFileStore({ dataDir });
    await expect(opening).rejects.toBeInstanceOf(StoreCorrupted);
    await expect(opening).rejects.toThrow(file);
  });

  it('refuses a file whose content no longer matches its checksum', async () => {
    const { dataDir, file, text } = await storedFolder();
    await writeFile(file, text.replace('TaskA1', 'TaskA9'));
    await expect(createFileStore({ dataDir })).rejects.toThrow(/checksum mismatch/);
  });

  it('refuses an empty file instead of starting empty', async () => {
    const { dataDir, file } = await storedFolder();
    await writeFile(file, '');
    await expect(createFileStore({ dataDir })).rejects.toBeInstanceOf(StoreCorrupted);
  });

  it('ignores a temporary file left by a crash mid-write', async () => {
    const { dataDir, file } = await storedFolder();
    await writeFile(`${file}.999.tmp`, '{"half": ');
    const store = await createFileStore({ dataDir });
    expect([...(await store.read()).epics.keys()]).toEqual(['EpicA']);
    await store.close();
  });
});

describe('file store ownership and readiness', () => {
  it('refuses a data folder that another running process holds', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'backlog-locked-'));
    try {
      await writeFile(path.join(dataDir, LOCK_FILE), `${process.ppid}\n`);
      await expect(createFileStore({ dataDir })).rejects.toThrow(`in use by process ${process.ppid}`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('takes over the lock of a process that is gone, and releases it on close', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'backlog-stale-'));
    try {
      await writeFile(path.join(dataDir, LOCK_FILE), '2147483646\n');
      const store = await createFileStore({ dataDir });
      expect(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
      await store.close();
      await expect(readFile(path.join(dataDir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('is not ready once its folder is gone', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'backlog-gone-'));
    const store = await createFileStore({ dataDir });
    await expect(store.ping()).resolves.toBeUndefined();
    await rm(dataDir, { recursive: true, force: true });
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.update((b) => createEpic(b, { id: 'EpicA' }))).rejects.toBeInstanceOf(StoreUnavailable);
    await store.close();
  });
});
