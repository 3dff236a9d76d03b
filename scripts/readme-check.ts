// The README's curl examples, run as written against the service started as the README says
// (`npm start`, in the current folder: scripts/suites/fresh-clone.sh runs it in a fresh clone).
//   node --import tsx scripts/readme-check.ts README.md
// Checked blocks are fenced as ```sh readme-check [NAME=value ...]: the service is started with
// those variables. Each curl command in them is followed by `# → STATUS [body]`; the status must
// match, and so must the body when it is written out in full (valid JSON). Every curl example
// aimed at localhost:3000 must be in a checked block, so no example escapes the check. On SIGTERM
// `npm start` must exit within 15 s and leave nothing listening.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { freePort } from '../test/helpers/free-port.js';

export interface Example {
  readonly line: number;
  readonly command: string;
  readonly status: number;
  /** The documented body, when it is written out in full. */
  readonly body?: unknown;
}

export interface CheckedBlock {
  readonly line: number;
  readonly env: Record<string, string>;
  readonly examples: Example[];
}

const FENCE = /^```(\S*)(.*)$/;
const EXPECTED = /^# → (\d{3})\b ?(.*)$/;

/** The checked blocks of a README; throws on a curl example that is not checked. */
export function checkedBlocks(readme: string): CheckedBlock[] {
  const blocks: CheckedBlock[] = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i] ?? '');
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !(lines[i] ?? '').startsWith('```')) body.push(lines[i] ?? '');
    const [kind = '', ...env] = (fence[2] ?? '').trim().split(/\s+/);
    if (kind !== 'readme-check') {
      if (body.some((l) => /^curl .*localhost:3000/.test(l))) {
        throw new Error(`README.md:${start + 1}: curl examples must be in a \`\`\`sh readme-check block`);
      }
      continue;
    }
    blocks.push({
      line: start + 1,
      env: Object.fromEntries(env.map((e) => e.split('='))),
      examples: parse(body, start + 2),
    });
  }
  return blocks;
}

function parse(body: string[], firstLine: number): Example[] {
  const examples: Example[] = [];
  let command: { line: number; text: string } | undefined;
  body.forEach((text, index) => {
    const line = firstLine + index;
    if (command && (command.text.endsWith('\\') || (command.text.match(/'/g) ?? []).length % 2 === 1)) {
      command.text += `\n${text}`;
      return;
    }
    const expected = EXPECTED.exec(text);
    if (expected && command) {
      examples.push({
        line: command.line,
        command: command.text,
        status: Number(expected[1]),
        body: json(expected[2]),
      });
      command = undefined;
    } else if (text.startsWith('curl ')) {
      if (command) throw new Error(`README.md:${command.line}: no "# → STATUS" line after this command`);
      command = { line, text };
    }
  });
  if (command) throw new Error(`README.md:${command.line}: no "# → STATUS" line after this command`);
  return examples;
}

function json(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined; // prose, or a body abbreviated with "...": the status alone is checked
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

async function waitFor(what: string, seconds: number, done: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

/** Runs one example with curl through bash, as a reader would paste it; returns status and body. */
function run(example: Example, port: number): { status: number; body: string } {
  const command = example.command.replaceAll('localhost:3000', `localhost:${port}`);
  let out: string;
  try {
    out = execFileSync('bash', ['-c', `${command} -w '\\n%{http_code}'`], { encoding: 'utf8', timeout: 30_000 });
  } catch (error) {
    // A stream never ends: `curl -N --max-time` stops it with exit 28, after printing what came and the status.
    const failed = error as { status?: number; stdout?: string };
    if (failed.status !== 28 || !command.includes('--max-time')) throw error;
    out = failed.stdout ?? '';
  }
  const at = out.lastIndexOf('\n');
  return { status: Number(out.slice(at + 1)), body: out.slice(0, at) };
}

async function checkBlock(block: CheckedBlock): Promise<string[]> {
  const port = await freePort();
  const env = Object.entries(block.env)
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  console.log(`\n${env}npm start (README.md:${block.line}), PORT=${port}`);
  let log = '';
  const server: ChildProcess = spawn('npm', ['start'], { env: { ...process.env, ...block.env, PORT: String(port) } });
  server.stdout?.on('data', (chunk) => (log += chunk));
  server.stderr?.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  const problems: string[] = [];
  try {
    await waitFor('the service answering /livez', 120, async () => {
      if (server.exitCode !== null) throw new Error(`npm start exited ${server.exitCode}:\n${log}`);
      return fetch(`http://127.0.0.1:${port}/livez`).then(
        (r) => r.ok,
        () => false,
      );
    });
    if (!log.includes(`Dashboard: http://localhost:${port}/`)) problems.push('the start log names no dashboard URL');
    for (const example of block.examples) {
      const { status, body } = run(example, port);
      const bodyOk = example.body === undefined || isDeepStrictEqual(json(body), example.body);
      const ok = status === example.status && bodyOk;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${status} ${example.command.split('\n')[0]}`);
      if (!ok) problems.push(`README.md:${example.line}: expected ${example.status}, got ${status} ${body}`);
    }
  } finally {
    server.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000))]);
    if (code === 'timeout') {
      server.kill('SIGKILL');
      problems.push('npm start still running 15 s after SIGTERM');
    }
    console.log(`SIGTERM: npm start exited ${String(code)}`);
    // npm -> sh -> node would leave node running, still listening.
    if (await listening(port)) problems.push(`after SIGTERM something still listens on ${port}: node outlived npm`);
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const blocks = checkedBlocks(readFileSync(process.argv[2] ?? 'README.md', 'utf8'));
  const problems: string[] = [];
  for (const block of blocks) {
    problems.push(...(await checkBlock(block).catch((error: Error) => [`README.md:${block.line}: ${error.message}`])));
  }
  const count = blocks.reduce((n, b) => n + b.examples.length, 0);
  for (const problem of problems) console.error(`FAIL ${problem}`);
  console.log(`readme-check: ${count} examples in ${blocks.length} blocks, ${problems.length} problems`);
  process.exitCode = problems.length === 0 && count > 0 ? 0 : 1;
}
