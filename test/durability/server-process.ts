import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/free-port.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The real server (`node --import tsx src/server.ts`) as a child process. */
export class ServerProcess {
  private text = '';
  private readonly watchers = new Set<() => void>();
  readonly exited: Promise<Exit>;

  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    const collect = (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
      for (const watcher of this.watchers) watcher();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Everything the process wrote, stdout and stderr together. */
  get output(): string {
    return this.text;
  }

  static spawn(env: Record<string, string>): ServerProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'server.ts')], {
      cwd: ROOT,
      // Load shedding off unless a test asks: the first sample after a busy start-up reads as a
      // blocked loop and would answer the test's first requests 503.
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        MAX_EVENT_LOOP_DELAY_MS: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServerProcess(child, `http://127.0.0.1:${env.PORT}`);
  }

  /** Starts a server on a free port and waits until it answers /livez. */
  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const server = ServerProcess.spawn({ PORT: String(await freePort()), ...env });
    await server.ready();
    return server;
  }

  async ready(): Promise<void> {
    let exit: Exit | undefined;
    void this.exited.then((value) => {
      exit = value;
    });
    for (;;) {
      if (exit) throw new Error(`the server exited (${JSON.stringify(exit)}) before it was ready:\n${this.text}`);
      try {
        if ((await fetch(`${this.baseUrl}/livez`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves once the output matches `pattern`. */
  waitForOutput(pattern: RegExp): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!pattern.test(this.text)) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
      check();
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  request(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${url}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  }

  async exportBacklog(): Promise<Record<string, { Tasks: string[]; Bugs: string[]; Epics: string[] }>> {
    const response = await this.request('GET', '/v1/export');
    if (!response.ok) throw new Error(`export answered ${response.status}`);
    return (await response.json()) as Record<string, { Tasks: string[]; Bugs: string[]; Epics: string[] }>;
  }
}

export { freePort };
