import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, open, readFile, rm, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addTask,
  type BacklogEvent,
  backlogFromDictionary,
  createEpic,
  EventsPruned,
  removeTask,
  replaceChange,
  StoreCorrupted,
  StoreUnavailable,
  toDictionary,
} from '../../src/domain/index.js';
import { createFileStore, EVENTS_FILE, JOURNAL_FILE, LOCK_FILE, SNAPSHOT_FILE } from '../../src/repo/file-store.js';
import type { StoreLogger } from '../../src/repo/store-logger.js';
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

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function newFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** A folder whose journal holds three commits after the first snapshot. */
async function journalledFolder() {
  const dataDir = await newFolder('backlog-journal-');
  const store = await createFileStore({ dataDir });
  await store.update((b) => createEpic(b, { id: 'EpicA', tasks: ['TaskA1', 'TaskA2'] }));
  await store.update((b) => addTask(b, 'EpicA', 'TaskA3'));
  const last = await store.update((b) => removeTask(b, 'TaskA1'));
  const expected = toDictionary(last.backlog);
  await store.close();
  const journal = path.join(dataDir, JOURNAL_FILE);
  return { dataDir, journal, text: await readFile(journal, 'utf8'), expected, revision: last.revision };
}

function recordingLogger() {
  const warnings: string[] = [];
  const logger: StoreLogger = { info() {}, warn: (_details, message) => void warnings.push(message), error() {} };
  return { logger, warnings };
}

describe('file store journal', () => {
  it('appends one small record per commit instead of rewriting the snapshot', async () => {
    const dataDir = await newFolder('backlog-append-');
    const store = await createFileStore({ dataDir });
    const epics = Array.from({ length: 2000 }, (_, i) => `E${i}`);
    for (const id of epics.slice(0, 3)) await store.update((b) => createEpic(b, { id, tasks: [`${id}-t`] }));
    const snapshot = await stat(path.join(dataDir, SNAPSHOT_FILE));
    const before = (await stat(path.join(dataDir, JOURNAL_FILE))).size;
    await store.update((b) => removeTask(b, 'E1-t'));
    const after = (await stat(path.join(dataDir, JOURNAL_FILE))).size;
    expect(after - before).toBeGreaterThan(0);
    expect(after - before).toBeLessThan(4096);
    expect((await stat(path.join(dataDir, SNAPSHOT_FILE))).mtimeMs).toBe(snapshot.mtimeMs);
    await store.close();
  });

  it('answers StoreUnavailable when an append fails (a full disk), keeps what it had, and leaves no trace of the record', async () => {
    const dataDir = await newFolder('backlog-full-');
    const store = await createFileStore({ dataDir });
    await store.update((b) => createEpic(b, { id: 'EpicA', tasks: ['T1'] }));
    const before = await store.read();
    // The disk fills up under the append: syncing the journal fails as a full disk makes it fail.
    const probe = await open(path.join(dataDir, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const full = Object.assign(new Error('ENOSPC: no space left on device, fdatasync'), { code: 'ENOSPC' });
    const datasync = vi.spyOn(fileHandle, 'datasync').mockRejectedValueOnce(full);
    await expect(store.update((b) => removeTask(b, 'T1'))).rejects.toThrow(/Cannot write the journal .*ENOSPC/);
    expect(datasync).toHaveBeenCalled();
    datasync.mockRestore();
    const after = await store.read();
    expect(after.revision).toBe(before.revision);
    expect(after.backlog.epic('EpicA').tasks).toEqual(['T1']);
    // The next commit follows on from the last acknowledged one, and a restart reads exactly that.
    const next = await store.update((b) => addTask(b, 'EpicA', 'T2'));
    expect(next.revision).toBe(before.revision + 1);
    await store.close();
    const reopened = await createFileStore({ dataDir });
    expect((await reopened.read()).backlog.epic('EpicA').tasks).toEqual(['T1', 'T2']);
    expect((await reopened.read()).revision).toBe(before.revision + 1);
    await reopened.close();
  });

  it('replays the journal at start-up: the backlog, its statuses and its revision', async () => {
    const { dataDir, expected, revision } = await journalledFolder();
    const store = await createFileStore({ dataDir });
    const read = await store.read();
    expect(toDictionary(read.backlog)).toEqual(expected);
    expect(read.backlog.status('EpicA')).toBe('wip');
    expect(read.revision).toBe(revision);
    await store.close();
  });

  it('folds a journal past its bound into a new snapshot, and starts it again', async () => {
    const dataDir = await newFolder('backlog-compact-');
    const store = await createFileStore({ dataDir, journalLimitBytes: 1 });
    await store.update((b) => createEpic(b, { id: 'EpicA', tasks: ['T1', 'T2'] }));
    await store.update((b) => removeTask(b, 'T1'));
    const { revision } = await store.read();
    await store.close(); // waits for the snapshot queued after the last commit
    expect((await stat(path.join(dataDir, JOURNAL_FILE))).size).toBe(0);
    expect(await readFile(path.join(dataDir, SNAPSHOT_FILE), 'utf8')).toContain(`"revision":${revision}`);
    const reopened = await createFileStore({ dataDir });
    expect(toDictionary((await reopened.read()).backlog)).toEqual([['EpicA', { Tasks: ['T2'], Bugs: [], Epics: [] }]]);
    await reopened.close();
  });

  it('drops a torn last record (a crash during its append), with a log line, and appends after the last whole one', async () => {
    const { dataDir, journal, text, revision } = await journalledFolder();
    const lines = text.trimEnd().split('\n');
    const torn = `${lines.slice(0, -1).join('\n')}\n${(lines.at(-1) as string).slice(0, 40)}`;
    await writeFile(journal, torn);
    const { logger, warnings } = recordingLogger();
    const store = await createFileStore({ dataDir, logger });
    const read = await store.read();
    expect(read.revision).toBe(revision - 1);
    expect(read.backlog.epic('EpicA').tasks).toEqual(['TaskA1', 'TaskA2', 'TaskA3']);
    expect(warnings.join()).toMatch(/torn last journal record/);
    await store.update((b) => removeTask(b, 'TaskA2'));
    await store.close();
    const reopened = await createFileStore({ dataDir });
    expect((await reopened.read()).backlog.epic('EpicA').tasks).toEqual(['TaskA1', 'TaskA3']);
    await reopened.close();
  });

  it('refuses to start on a damaged record followed by others, naming the file and the record', async () => {
    const { dataDir, journal, text } = await journalledFolder();
    await writeFile(journal, text.replace('TaskA3', 'TaskA9'));
    const opening = createFileStore({ dataDir });
    await expect(opening).rejects.toBeInstanceOf(StoreCorrupted);
    await expect(opening).rejects.toThrow(`${journal} is damaged: record 2`);
  });

  it('refuses records whose revisions do not follow on', async () => {
    const { dataDir, journal, text } = await journalledFolder();
    const lines = text.trimEnd().split('\n');
    await writeFile(journal, `${[lines[0], lines[2]].join('\n')}\n`);
    await expect(createFileStore({ dataDir })).rejects.toThrow(/record 2 has revision/);
  });

  it('skips records already in the snapshot (a crash between the snapshot and the journal restart)', async () => {
    const dataDir = await newFolder('backlog-between-');
    const store = await createFileStore({ dataDir });
    await store.update((b) => createEpic(b, { id: 'EpicA', tasks: ['T1', 'T2'] }));
    await store.update((b) => removeTask(b, 'T1'));
    await store.close();
    const journalText = await readFile(path.join(dataDir, JOURNAL_FILE), 'utf8');
    // Fold the journal into a snapshot, then put the old journal back as if its truncation never happened.
    const folding = await createFileStore({ dataDir, journalLimitBytes: 1 });
    await folding.update((b) => addTask(b, 'EpicA', 'T3'));
    const { revision } = await folding.read();
    await folding.close();
    await writeFile(path.join(dataDir, JOURNAL_FILE), journalText);
    const reopened = await createFileStore({ dataDir });
    const read = await reopened.read();
    expect(read.revision).toBe(revision);
    expect(read.backlog.epic('EpicA').tasks).toEqual(['T2', 'T3']);
    await reopened.close();
  });

  it('refuses a journal without its snapshot', async () => {
    const { dataDir } = await journalledFolder();
    await rm(path.join(dataDir, SNAPSHOT_FILE));
    await expect(createFileStore({ dataDir })).rejects.toThrow(/is missing but the journal/);
  });

  it('refuses a journal whose replay breaks a rule of the backlog', async () => {
    const { dataDir, journal, text } = await journalledFolder();
    const [checksum, record] = [text.slice(0, 16), text.slice(17, text.indexOf('\n'))];
    expect(checksum).toHaveLength(16);
    const parsed = JSON.parse(record);
    parsed.revision = JSON.parse(text.trimEnd().split('\n').at(-1)?.slice(17) as string).revision + 1;
    parsed.put = [{ id: 'Orphan', tasks: [], bugs: [], epics: ['Ghost'] }];
    const line = JSON.stringify(parsed);
    const { createHash } = await import('node:crypto');
    await appendFile(journal, `${createHash('sha256').update(line).digest('hex').slice(0, 16)} ${line}\n`);
    await expect(createFileStore({ dataDir })).rejects.toThrow(/replaying it breaks a rule/);
  });
});

describe('file store start-up on a damaged snapshot', () => {
  async function storedFolder(): Promise<{ dataDir: string; file: string; text: string }> {
    const dataDir = await newFolder('backlog-damaged-');
    const store = await createFileStore({ dataDir });
    // A replacement of the whole backlog is written as a snapshot.
    await store.update((b) => replaceChange(b, backlogFromDictionary([['EpicA', { Tasks: ['TaskA1'] }]])));
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

  it('refuses stored damage that an import would have tidied: an id twice in one list', async () => {
    const { dataDir, file } = await storedFolder();
    const { encodeSnapshot } = await import('../../src/repo/backlog-snapshot.js');
    const text = encodeSnapshot((await import('../../src/domain/index.js')).emptyBacklog(), 7).replace(
      '"epics":[]',
      '"epics":[{"id":"E","tasks":["t","t"],"bugs":[],"epics":[]}]',
    );
    // Re-sign it so that only the rule, not the checksum, is what is broken.
    const { checksumOf } = await import('../../src/repo/backlog-snapshot.js');
    const epics = '[{"id":"E","tasks":["t","t"],"bugs":[],"epics":[]}]';
    await writeFile(file, text.replace(/"checksum":"[0-9a-f]+"/, `"checksum":"${checksumOf(`7:${epics}`)}"`));
    await expect(createFileStore({ dataDir })).rejects.toThrow(/lists the task "t" twice/);
  });

  it('ignores a temporary file left by a crash mid-write', async () => {
    const { dataDir, file } = await storedFolder();
    await writeFile(`${file}.999.tmp`, '{"half": ');
    const store = await createFileStore({ dataDir });
    expect([...(await store.read()).backlog.epics.keys()]).toEqual(['EpicA']);
    await store.close();
  });
});

describe('file store ownership and readiness', () => {
  it('refuses a data folder that another running process of this host holds', async () => {
    const dataDir = await newFolder('backlog-locked-');
    await writeFile(path.join(dataDir, LOCK_FILE), `${process.ppid}\n`);
    await expect(createFileStore({ dataDir })).rejects.toThrow(`in use by process ${process.ppid}`);
  });

  it('refuses a folder held by a process of another host or container (both may be pid 1) while it keeps its lock fresh', async () => {
    const dataDir = await newFolder('backlog-shared-volume-');
    const lock = path.join(dataDir, LOCK_FILE);
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: `${hostname()}-other`, token: 'x' }));
    await expect(createFileStore({ dataDir })).rejects.toThrow(`on host ${hostname()}-other`);
    // The same lock, untouched for longer than the staleness bound: its owner is gone.
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const store = await createFileStore({ dataDir });
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await store.close();
  });

  it('takes over the lock of a process that is gone, and releases it on close', async () => {
    const dataDir = await newFolder('backlog-stale-');
    await writeFile(path.join(dataDir, LOCK_FILE), '2147483646\n');
    const store = await createFileStore({ dataDir });
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await store.close();
    await expect(readFile(path.join(dataDir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('is not ready once its folder is gone, and then writes nothing', async () => {
    const dataDir = await newFolder('backlog-gone-');
    const store = await createFileStore({ dataDir });
    await expect(store.ping()).resolves.toBeUndefined();
    await rm(dataDir, { recursive: true, force: true });
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
    await store.close();
  });
});

describe('file store events', () => {
  const cause = (actor: string) => ({ actor, operation: { method: 'POST', route: '/v1/epics', ids: [] } });
  const seqs = (events: readonly BacklogEvent[]) => events.map((event) => event.seq);

  it('keeps every event across many journal folds, in the events file, and reads each once at start-up', async () => {
    const dataDir = await newFolder('backlog-events-fold-');
    const store = await createFileStore({ dataDir, journalLimitBytes: 300 });
    const start = (await store.read()).revision;
    for (let i = 0; i < 40; i++)
      await store.update((b) => createEpic(b, { id: `E${i}`, tasks: [`T${i}`] }), { cause: cause(`a${i}`) });
    const events = (await store.events(undefined, 1000)).events;
    expect(seqs(events)).toEqual(Array.from({ length: 40 }, (_, i) => start + i + 1));
    await store.close();
    const fileEvents = (await readFile(path.join(dataDir, EVENTS_FILE), 'utf8')).trimEnd().split('\n');
    expect(fileEvents.length).toBeGreaterThan(10); // folds moved events out of the journal
    const reopened = await createFileStore({ dataDir });
    expect((await reopened.events(undefined, 1000)).events).toEqual(events);
    expect((await reopened.history('E7')).map((entry) => entry.actor)).toEqual(['a7']);
    await reopened.close();
  });

  it("writes a replacement's event before its snapshot, and drops it at start-up when the snapshot never followed", async () => {
    const dataDir = await newFolder('backlog-events-replace-');
    const store = await createFileStore({ dataDir });
    await store.update((b) => createEpic(b, { id: 'Old' }), { cause: cause('alice') });
    const replaced = await store.update((b) => replaceChange(b, backlogFromDictionary([['New', {}]])), {
      cause: cause('bob'),
    });
    expect(await readFile(path.join(dataDir, EVENTS_FILE), 'utf8')).toContain('"actor":"bob"');
    const snapshotBefore = await readFile(path.join(dataDir, SNAPSHOT_FILE), 'utf8');
    const second = await store.update((b) => replaceChange(b, backlogFromDictionary([['Newer', {}]])), {
      cause: cause('carol'),
    });
    await store.close();
    // A crash after the second replacement's event was synced but before its snapshot was renamed.
    await writeFile(path.join(dataDir, SNAPSHOT_FILE), snapshotBefore);
    const { logger, warnings } = recordingLogger();
    const reopened = await createFileStore({ dataDir, logger });
    expect((await reopened.read()).revision).toBe(replaced.revision);
    const events = (await reopened.events(undefined, 100)).events;
    expect(events.at(-1)?.seq).toBe(replaced.revision);
    expect(events.map((event) => event.actor)).toEqual(['alice', 'bob']);
    expect(warnings.join()).toMatch(/crashed before its snapshot/);
    expect(await readFile(path.join(dataDir, EVENTS_FILE), 'utf8')).not.toContain('"actor":"carol"');
    // The next commit takes the dropped event's seq, with an event of its own.
    const next = await reopened.update((b) => createEpic(b, { id: 'After' }), { cause: cause('dave') });
    expect(next.revision).toBe(second.revision);
    expect((await reopened.events(replaced.revision, 10)).events.map((event) => event.actor)).toEqual(['dave']);
    await reopened.close();
  });

  it('starts the history at the current revision on data written before events were kept', async () => {
    const { dataDir, journal, text, revision } = await journalledFolder();
    // Records as the previous version wrote them: no event.
    const legacy = text
      .trimEnd()
      .split('\n')
      .map((line) => {
        const record = JSON.parse(line.slice(17));
        delete record.event;
        const json = JSON.stringify(record);
        return `${createHash('sha256').update(json).digest('hex').slice(0, 16)} ${json}\n`;
      })
      .join('');
    await writeFile(journal, legacy);
    await rm(path.join(dataDir, EVENTS_FILE));
    const store = await createFileStore({ dataDir });
    expect((await store.events(undefined, 10)).events).toEqual([]);
    await expect(store.events(revision - 1, 10)).rejects.toThrow(EventsPruned);
    const next = await store.update((b) => createEpic(b, { id: 'EpicB' }), { cause: cause('alice') });
    expect(seqs((await store.events(undefined, 10)).events)).toEqual([next.revision]);
    await store.close();
    const reopened = await createFileStore({ dataDir });
    expect(seqs((await reopened.events(revision, 10)).events)).toEqual([next.revision]);
    await reopened.close();
  });

  it('drops events older than the retention, and a reader below them gets EventsPruned, across a restart', async () => {
    const dataDir = await newFolder('backlog-events-retention-');
    const store = await createFileStore({ dataDir, journalLimitBytes: 1, eventsRetentionMs: 200 });
    const first = await store.update((b) => createEpic(b, { id: 'A' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await store.update((b) => createEpic(b, { id: 'B' }));
    expect(seqs((await store.events(undefined, 10)).events)).toEqual([second.revision]);
    await expect(store.events(first.revision - 1, 10)).rejects.toThrow(EventsPruned);
    await store.close();
    const reopened = await createFileStore({ dataDir, eventsRetentionMs: 200 });
    expect(seqs((await reopened.events(first.revision, 10)).events)).toEqual([second.revision]);
    await expect(reopened.events(first.revision - 1, 10)).rejects.toThrow(EventsPruned);
    await reopened.close();
  });

  it('refuses to start on a damaged events file, naming it', async () => {
    const dataDir = await newFolder('backlog-events-damaged-');
    const store = await createFileStore({ dataDir, journalLimitBytes: 1 });
    for (let i = 0; i < 3; i++) await store.update((b) => createEpic(b, { id: `E${i}` }));
    await store.close();
    const file = path.join(dataDir, EVENTS_FILE);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[1] = lines[1]?.replace('"E0"', '"EX"') as string;
    await writeFile(file, lines.join('\n'));
    await expect(createFileStore({ dataDir })).rejects.toThrow(StoreCorrupted);
    await expect(createFileStore({ dataDir })).rejects.toThrow(/events\.log is damaged/);
  });

  // The snapshot's temporary file cannot be created (a folder is in its way): the replacement
  // fails after its event reached the events file, which must then be put back as it was.
  const blockSnapshot = (dataDir: string) => mkdir(path.join(dataDir, `${SNAPSHOT_FILE}.${process.pid}.tmp`));
  const unblockSnapshot = (dataDir: string) => rmdir(path.join(dataDir, `${SNAPSHOT_FILE}.${process.pid}.tmp`));

  it('puts the events file back when a replacement fails after appending its event, and restarts on it', async () => {
    const dataDir = await newFolder('backlog-events-replace-fails-');
    const store = await createFileStore({ dataDir });
    const start = (await store.read()).revision;
    await store.update((b) => createEpic(b, { id: 'A' }));
    await store.update((b) => createEpic(b, { id: 'B' }));
    await blockSnapshot(dataDir);
    await expect(store.update((b) => replaceChange(b, backlogFromDictionary([['X', {}]])))).rejects.toThrow(
      /Cannot write the data file/,
    );
    await unblockSnapshot(dataDir);
    await store.update((b) => createEpic(b, { id: 'C' }));
    // A replacement folds the journal: its events reach the events file first, after the ones already there.
    await store.update((b) => replaceChange(b, backlogFromDictionary([['Y', {}]])));
    const events = (await store.events(undefined, 100)).events;
    expect(seqs(events)).toEqual([1, 2, 3, 4].map((i) => start + i));
    expect(events.flatMap((event) => event.changes.map((change) => change.epic))).not.toContain('X');
    await store.close();
    const reopened = await createFileStore({ dataDir });
    expect((await reopened.events(undefined, 100)).events).toEqual(events);
    await reopened.close();
  });

  it('writes the events file anew without the failed event when it had been written anew (retention)', async () => {
    const dataDir = await newFolder('backlog-events-replace-fails-pruned-');
    const store = await createFileStore({ dataDir, eventsRetentionMs: 100 });
    await store.update((b) => createEpic(b, { id: 'A' }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await store.update((b) => createEpic(b, { id: 'B' })); // drops A's event: the next flush writes the file anew
    await blockSnapshot(dataDir);
    await expect(store.update((b) => replaceChange(b, backlogFromDictionary([['X', {}]])))).rejects.toThrow(
      /Cannot write the data file/,
    );
    await unblockSnapshot(dataDir);
    expect(await readFile(path.join(dataDir, EVENTS_FILE), 'utf8')).not.toContain('"X"');
    await store.update((b) => createEpic(b, { id: 'C' }));
    await store.update((b) => replaceChange(b, backlogFromDictionary([['Y', {}]])));
    const events = (await store.events(undefined, 100)).events;
    await store.close();
    const reopened = await createFileStore({ dataDir, eventsRetentionMs: 60_000 });
    expect((await reopened.events(undefined, 100)).events).toEqual(events);
    await reopened.close();
  });
});
