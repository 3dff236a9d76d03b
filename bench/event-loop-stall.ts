/**
 * The longest event-loop stall of the service under two hostile loads (issue 12),
 * seen from outside as the slowest GET /livez answered while the load runs:
 *  1. an import of 740,000 invalid epic ids (8.8 MB), refused with 400;
 *  2. 20 concurrent GET /v1/backlog of a 100,000-epic backlog;
 *  3. the valid import (PUT) of that 100,000-epic backlog (4.8 MB), answered 200.
 * The service runs as its own process (bench-server.ts, memory store, load shedding
 * off so that nothing is shed); /livez is polled every 10 ms on connections of its own.
 * The floor is the slowest /livez of the same polling with no load, in the same run.
 *
 *   npm run bench:stall            (BENCH_SERVER_DIR=<checkout> measures another checkout)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './bench-server.js';
import { generateDictionary } from './epic-generator.js';
import { median } from './stats.js';

const ROUNDS = Number(process.env.BENCH_STALL_ROUNDS || 3);
const POLL_MS = 10;

/** Runs `load` while polling /livez; the slowest /livez answer (ms) and how many were answered. */
async function livezDuring(baseUrl: string, load: () => Promise<unknown>): Promise<{ slowest: number; polls: number }> {
  let running = true;
  let slowest = 0;
  let polls = 0;
  const poller = (async () => {
    while (running) {
      const started = performance.now();
      const answer = await fetch(`${baseUrl}/livez`);
      await answer.arrayBuffer();
      if (answer.status !== 200) throw new Error(`/livez answered ${answer.status}`);
      slowest = Math.max(slowest, performance.now() - started);
      polls++;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  try {
    await load();
  } finally {
    running = false;
    await poller;
  }
  return { slowest, polls };
}

function invalidImport(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`" E${i.toString(36)}":{}`);
  return `{${parts.join(',')}}`;
}

async function expectStatus(answer: Response, status: number, what: string): Promise<void> {
  const body = await answer.text();
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${body.slice(0, 300)}`);
}

async function main(): Promise<void> {
  const serverDir = path.resolve(process.env.BENCH_SERVER_DIR || '.');
  const work = await mkdtemp(path.join(tmpdir(), 'bench-stall-'));
  const server = await startServer({ serverDir, store: 'memory', logFile: path.join(work, 'server.log') });
  const figures: Record<string, number[]> = { floor: [], invalidImport: [], validImport: [], concurrentGets: [] };
  try {
    const invalid = invalidImport(740_000);
    const dictionary = JSON.stringify(generateDictionary(100_000));
    for (let round = 0; round < ROUNDS; round++) {
      figures.floor?.push((await livezDuring(server.baseUrl, () => new Promise((r) => setTimeout(r, 1000)))).slowest);

      const refused = await livezDuring(server.baseUrl, async () => {
        const answer = await fetch(`${server.baseUrl}/v1/backlog`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: invalid,
        });
        await expectStatus(answer, 400, '740,000 invalid keys');
      });
      figures.invalidImport?.push(refused.slowest);

      // Emptied first (untimed), so that every round's import builds the whole backlog again.
      await expectStatus(
        await fetch(`${server.baseUrl}/v1/backlog`, {
          method: 'PUT',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        }),
        200,
        'empty',
      );
      const imported = await livezDuring(server.baseUrl, async () =>
        expectStatus(
          await fetch(`${server.baseUrl}/v1/backlog`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: dictionary,
          }),
          200,
          '100,000-epic import',
        ),
      );
      figures.validImport?.push(imported.slowest);
      const reads = await livezDuring(server.baseUrl, () =>
        Promise.all(
          Array.from({ length: 20 }, async () =>
            expectStatus(await fetch(`${server.baseUrl}/v1/backlog`), 200, 'GET /v1/backlog'),
          ),
        ),
      );
      figures.concurrentGets?.push(reads.slowest);
      console.log(
        `round ${round + 1}: floor ${figures.floor?.at(-1)?.toFixed(0)} ms, 740k invalid keys ${refused.slowest.toFixed(0)} ms (${refused.polls} polls), 20 GETs of 100k epics ${reads.slowest.toFixed(0)} ms (${reads.polls} polls)`,
      );
    }
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
  const show = (values: number[] = []) =>
    `median ${median(values).toFixed(0)} ms, worst ${Math.max(...values).toFixed(0)} ms`;
  console.log(`\nslowest GET /livez (the longest event-loop stall), ${ROUNDS} rounds, server ${serverDir}:`);
  console.log(`  no load (floor):                    ${show(figures.floor)}`);
  console.log(`  import of 740,000 invalid keys:     ${show(figures.invalidImport)}`);
  console.log(`  valid import of 100,000 epics:      ${show(figures.validImport)}`);
  console.log(`  20 concurrent GETs, 100,000 epics:  ${show(figures.concurrentGets)}`);
}

await main();
