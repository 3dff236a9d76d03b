import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backlogFromDictionary, replaceChange } from '../../src/domain/index.js';
import { createFileStore, SNAPSHOT_FILE } from '../../src/repo/file-store.js';
import { freePort, ServerProcess } from './server-process.js';

type OnFinished = (fn: () => Promise<void>) => void;

/** Servers and data folders of one test, killed and removed when it finishes (tests run concurrently). */
function harness(onTestFinished: OnFinished) {
  const servers: ServerProcess[] = [];
  const folders: string[] = [];
  onTestFinished(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });
  const dataDir = async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'backlog-durability-'));
    folders.push(folder);
    return folder;
  };
  return {
    dataDir,
    spawn(env: Record<string, string>): ServerProcess {
      const server = ServerProcess.spawn(env);
      servers.push(server);
      return server;
    },
    async start(env: Record<string, string>): Promise<ServerProcess> {
      const server = ServerProcess.spawn({ PORT: String(await freePort()), ...env });
      servers.push(server);
      await server.ready();
      return server;
    },
    /** A folder holding a valid snapshot, written by the file store itself. */
    async storedFolder(): Promise<{ folder: string; file: string; text: string }> {
      const folder = await dataDir();
      const store = await createFileStore({ dataDir: folder });
      // A replacement of the whole backlog is written as a snapshot (other commits go to the journal).
      const stored = backlogFromDictionary([['EpicA', { Tasks: ['TaskA1', 'TaskA2'], Bugs: ['BugA1'] }]]);
      await store.update((b) => replaceChange(b, stored));
      await store.close();
      const file = path.join(folder, SNAPSHOT_FILE);
      return { folder, file, text: await readFile(file, 'utf8') };
    },
  };
}

describe.concurrent('the server process', { timeout: 60_000 }, () => {
  it('keeps every acknowledged mutation across SIGKILLs, and at most those in flight', async ({ onTestFinished }) => {
    const { dataDir, start } = harness(onTestFinished);
    const folder = await dataDir();

    // A sequential stream: every answered mutation, plus perhaps the one in flight at the kill.
    const first = await start({ DATA_DIR: folder });
    expect((await first.request('POST', '/v1/epics', { id: 'EpicA' })).status).toBe(201);
    const acknowledged: string[] = [];
    for (let i = 0; i < 30; i++) {
      expect((await first.request('POST', '/v1/tasks', { id: `Task${i}`, epic: 'EpicA' })).status).toBe(201);
      acknowledged.push(`Task${i}`);
    }
    const inFlight = first.request('POST', '/v1/tasks', { id: 'InFlight', epic: 'EpicA' }).catch(() => undefined);
    expect((await first.kill('SIGKILL')).signal).toBe('SIGKILL');
    const answer = await inFlight;
    const second = await start({ DATA_DIR: folder });
    const tasks = (await second.exportBacklog()).EpicA?.Tasks;
    if (answer?.status === 201) expect(tasks).toEqual([...acknowledged, 'InFlight']);
    else expect([acknowledged, [...acknowledged, 'InFlight']]).toContainEqual(tasks);

    // Four concurrent writers, killed while the others still have a request in flight.
    expect((await second.request('PUT', '/v1/backlog', { EpicA: {}, EpicB: {} })).status).toBe(200);
    const answered = new Set<string>();
    const sent = new Set<string>();
    let killed = false;
    const writer = async (lane: number) => {
      for (let i = 0; !killed; i++) {
        const id = `T${lane}.${i}`;
        sent.add(id);
        let response: Response;
        try {
          response = await second.request('POST', '/v1/tasks', { id, epic: lane % 2 === 0 ? 'EpicA' : 'EpicB' });
        } catch {
          return; // the server is gone
        }
        expect(response.status).toBe(201);
        answered.add(id);
        if (answered.size >= 40 && !killed) {
          killed = true;
          await second.kill('SIGKILL');
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    const third = await start({ DATA_DIR: folder });
    const exported = await third.exportBacklog();
    const stored = [...(exported.EpicA?.Tasks ?? []), ...(exported.EpicB?.Tasks ?? [])];
    for (const id of answered) expect(stored).toContain(id);
    const unanswered = stored.filter((id) => !answered.has(id));
    for (const id of unanswered) expect(sent.has(id)).toBe(true);
    // Only requests in flight at the kill, at most one per writer, may have landed unanswered.
    expect(unanswered.length).toBeLessThanOrEqual(3);
  });

  it('keeps exactly the acknowledged commits across repeated SIGKILLs at random moments of appends and snapshots', async ({
    onTestFinished,
  }) => {
    const { dataDir, start } = harness(onTestFinished);
    const folder = await dataDir();
    // A tiny journal bound: a snapshot is written after nearly every commit, so kills land in both.
    const env = { DATA_DIR: folder, JOURNAL_LIMIT_BYTES: '600' };
    const answered = new Set<string>();
    const sent = new Set<string>();
    let server = await start(env);
    expect((await server.request('PUT', '/v1/backlog', { EpicA: {}, EpicB: {} })).status).toBe(200);
    for (let round = 0; round < 6; round++) {
      let killed = false;
      const current = server;
      const writer = async (lane: number) => {
        for (let i = 0; !killed && i < 200; i++) {
          const id = `R${round}.L${lane}.${i}`;
          sent.add(id);
          try {
            const response = await current.request('POST', '/v1/tasks', { id, epic: lane % 2 ? 'EpicA' : 'EpicB' });
            expect(response.status).toBe(201);
            answered.add(id);
          } catch {
            return; // the server is gone
          }
        }
      };
      const writing = Promise.all([0, 1, 2].map(writer));
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 250));
      killed = true;
      await current.kill('SIGKILL');
      await writing;
      server = await start(env);
      const exported = await server.exportBacklog();
      const stored = [...(exported.EpicA?.Tasks ?? []), ...(exported.EpicB?.Tasks ?? [])];
      for (const id of answered) expect(stored, `round ${round}`).toContain(id);
      for (const id of stored) expect(sent.has(id)).toBe(true);
      // What landed unanswered was in flight at the kill, at most one per writer: keep it as acknowledged now.
      const unanswered = stored.filter((id) => !answered.has(id));
      expect(unanswered.length).toBeLessThanOrEqual(3);
      for (const id of unanswered) answered.add(id);
      expect(stored.length).toBe(answered.size);
    }
    // No commit without its event, and no event without its commit: one event per
    // stored task (each its own commit) and one for the replacement, seqs without a gap.
    await server.kill('SIGKILL');
    const store = await createFileStore({ dataDir: folder });
    try {
      const { revision } = await store.read();
      const { events, next } = await store.events(undefined, 1000);
      expect(next).toBeNull();
      expect(events.length).toBe(answered.size + 1);
      expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => revision - events.length + 1 + i));
      expect(events[0]?.changes.map((change) => change.epic)).toEqual(['EpicA', 'EpicB']);
    } finally {
      await store.close();
    }
  });

  it('finishes a request in flight on SIGTERM, then exits 0 with the write kept', async ({ onTestFinished }) => {
    const { dataDir, start } = harness(onTestFinished);
    const folder = await dataDir();
    // trace: the line that says the request has arrived, before its body.
    const server = await start({ DATA_DIR: folder, LOG_LEVEL: 'trace' });
    const body = JSON.stringify({ EpicSlow: { Tasks: ['TaskSlow'] } });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(
        `${server.baseUrl}/v1/backlog`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          let text = '';
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on('error', reject);
      // Half the body now; the rest once the server has seen the request and been told to stop.
      request.write(body.slice(0, 10));
      void server
        .waitForOutput(
          /"msg":"request received"[^\n]*"url":"\/v1\/backlog"|"url":"\/v1\/backlog"[^\n]*"msg":"request received"/,
        )
        .then(async () => {
          server.child.kill('SIGTERM');
          await server.waitForOutput(/shutting down/);
          request.end(body.slice(10));
        });
    });
    const { status, text } = await answer;
    expect(status, text).toBe(200);
    expect(JSON.parse(text).epics).toEqual([
      { id: 'EpicSlow', status: 'wip', tasks: ['TaskSlow'], bugs: [], epics: [] },
    ]);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const restarted = await start({ DATA_DIR: folder });
    expect(await restarted.exportBacklog()).toEqual({ EpicSlow: { Tasks: ['TaskSlow'], Bugs: [], Epics: [] } });
  });

  it('refuses to start on a truncated or corrupted data file, naming it', async ({ onTestFinished }) => {
    const { spawn, storedFolder } = harness(onTestFinished);
    const damages = [
      (text: string) => text.slice(0, Math.floor(text.length / 2)),
      (text: string) => text.replace('TaskA2', 'TaskZ2'),
    ];
    await Promise.all(
      damages.map(async (damage) => {
        const { folder, file, text } = await storedFolder();
        await writeFile(file, damage(text));
        const server = spawn({ DATA_DIR: folder, PORT: '0', LOG_LEVEL: 'info' });
        const exit = await server.exited;
        expect(exit.code, server.output).not.toBe(0);
        expect(exit.code, server.output).not.toBeNull();
        expect(server.output).toContain(file);
        // Said once: one line, not a log line and the same again on stderr.
        expect(server.output.split('\n').filter((line) => line.includes(file))).toHaveLength(1);
        expect(server.output).toMatch(/damaged/);
        expect(await readFile(file, 'utf8')).toBe(damage(text));
      }),
    );
  });

  it('refuses to start on bad settings, naming each variable and its value', async ({ onTestFinished }) => {
    const { dataDir, spawn } = harness(onTestFinished);
    const server = spawn({ DATA_DIR: await dataDir(), PORT: 'abc', BODY_LIMIT: '-1' });
    const exit = await server.exited;
    expect(exit.code, server.output).toBe(1);
    expect(server.output).toMatch(/PORT\b[^;]*"abc"/);
    expect(server.output).toMatch(/BODY_LIMIT\b[^;]*"-1"/);
  });
});
