/**
 * What the dashboard's bench and screenshot share: the service in a child process
 * (bench-server.ts) holding a generated backlog, and Debian's Chromium (never a
 * downloaded browser) through playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type BenchServer, startServer } from './bench-server.js';
import { generateDictionary } from './epic-generator.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts `serverDir`'s service on a memory store and loads `size` generated epics into it. */
export async function serveGenerated(size: number, serverDir = process.cwd()): Promise<BenchServer> {
  const logs = join(tmpdir(), 'dashboard-bench');
  mkdirSync(logs, { recursive: true });
  const server = await startServer({ serverDir, store: 'memory', logFile: join(logs, `server-${size}.log`) });
  const answer = await server.request('PUT', '/v1/backlog', {
    body: JSON.stringify(generateDictionary(size)),
    headers: { 'content-type': 'application/json', prefer: 'return=minimal' },
  });
  if (answer.status >= 300) {
    await server.stop();
    throw new Error(`loading ${size} epics answered ${answer.status}`);
  }
  return server;
}

/** Debian's Chromium, headless. */
export function openChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}
