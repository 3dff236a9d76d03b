/**
 * The service under benchmark as a separate process on a real socket, started
 * from any checkout (BENCH_SERVER_DIR), so one benchmark measures old and new
 * code alike; and a keep-alive HTTP client for it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../test/helpers/free-port.js';

export type StoreKind = 'memory' | 'file' | 'mongodb';

export interface ServerOptions {
  /** The checkout whose src/server.ts is started (its own node_modules and tsx). */
  serverDir: string;
  store: StoreKind;
  /** file store: the data folder. */
  dataDir?: string;
  /** mongodb store. */
  mongo?: { uri: string; dbName: string; timeoutMs?: number };
  /** Where the server's stdout and stderr go. */
  logFile: string;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** From the request's start to the last byte of the answer. */
  ms: number;
}

export interface BenchServer {
  readonly pid: number;
  /** For clients of their own (several connections at once). */
  readonly baseUrl: string;
  request(method: string, url: string, options?: { body?: string; headers?: Record<string, string> }): Promise<Answer>;
  /** Resident set size of the server process (VmRSS) and its peak so far (VmHWM), in bytes. */
  memory(): Promise<{ rss: number; peak: number }>;
  stop(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = Number(process.env.BENCH_REQUEST_TIMEOUT_MS || 15 * 60_000);

// 200 MB: a 100,000-epic import is about 10 MB of JSON; the default 10 MiB limit would refuse it.
const BODY_LIMIT = String(200 * 1024 * 1024);

export async function startServer(options: ServerOptions): Promise<BenchServer> {
  const port = await freePort();
  // Only what the service reads: a MONGODB_URI in the caller's environment must not pick the store.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    BODY_LIMIT,
    STORE: options.store,
    // Load shedding off: a 100,000-epic import lags the event loop for seconds, and the
    // sequential requests after it would be shed with 503 instead of measured. (A checkout
    // without that setting ignores it.)
    MAX_EVENT_LOOP_DELAY_MS: '0',
  };
  if (options.dataDir) env.DATA_DIR = options.dataDir;
  if (options.mongo) {
    env.MONGODB_URI = options.mongo.uri;
    env.MONGODB_DB = options.mongo.dbName;
    if (options.mongo.timeoutMs) env.MONGODB_TIMEOUT_MS = String(options.mongo.timeoutMs);
  }
  const log = createWriteStream(options.logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: options.serverDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = (method: string, url: string, opts: { body?: string; headers?: Record<string, string> } = {}) =>
    send(agent, port, method, url, opts);

  // Up to 60 s for tsx to compile and the store to open.
  for (const deadline = Date.now() + 60_000; ; ) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${options.logFile}`);
    try {
      if ((await request('GET', '/livez')).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /livez within 60 s; see ${options.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid as number;
  return {
    pid,
    baseUrl: `http://127.0.0.1:${port}`,
    request,
    memory: () => processMemory(pid),
    async stop() {
      agent.destroy();
      await stopProcess(child, exited);
      log.end();
    },
  };
}

function send(
  agent: http.Agent,
  port: number,
  method: string,
  url: string,
  { body, headers = {} }: { body?: string; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': payload.length, ...headers }
          : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    // A server that never answers fails the case instead of hanging the whole benchmark.
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`${method} ${url}: no answer within ${REQUEST_TIMEOUT_MS} ms`)),
    );
    req.end(payload);
  });
}

/** SIGTERM (the service closes its store), then SIGKILL after 20 s. */
async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function processMemory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kB = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kB('VmRSS'), peak: kB('VmHWM') };
}

/** Size, inode and modification time of every file under a folder, by relative path. */
export type FolderState = Map<string, { size: number; ino: number; mtimeNs: bigint }>;

export async function folderState(folder: string): Promise<FolderState> {
  const state: FolderState = new Map();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    try {
      const info = await stat(file, { bigint: true });
      state.set(path.relative(folder, file), { size: Number(info.size), ino: Number(info.ino), mtimeNs: info.mtimeNs });
    } catch {
      // removed between readdir and stat: it is not part of the state after the commit
    }
  }
  return state;
}

/**
 * Bytes a commit wrote into the data folder, from the folder's state before and
 * after it (the answer comes after the commit's fsync, so the files are final).
 * Per file: a new file, or a file replaced by a rename (new inode), counts its
 * whole size (it was written from scratch); the same file grown counts the
 * growth (an append, like a journal record); the same file modified without
 * growing counts its whole size (rewritten in place, as far as we can tell).
 * Untouched files (same inode, size and mtime) count nothing. The lock file is
 * written once at start-up, so it never counts.
 */
export function bytesWritten(before: FolderState, after: FolderState): number {
  let bytes = 0;
  for (const [file, now] of after) {
    const was = before.get(file);
    if (!was || was.ino !== now.ino) bytes += now.size;
    else if (now.mtimeNs !== was.mtimeNs || now.size !== was.size)
      bytes += now.size > was.size ? now.size - was.size : now.size;
  }
  return bytes;
}
