/**
 * The dashboard in Debian's Chromium at 200, 2,000 and 20,000 generated epics
 * (bench/epic-generator.ts): time to first render, and the longest main-thread task per
 * change made through the API (PerformanceObserver `longtask`: Chromium reports tasks
 * over 50 ms, so 0 means none over 50 ms). Prints medians.
 *
 *   npm run bench:dashboard [-- --sizes 200,2000 --loads 3 --changes 5 --server-dir DIR]
 *
 * `--server-dir` measures another checkout's dashboard (its src/server.ts and public/),
 * e.g. the previous one, for before/after figures.
 */
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import type { BenchServer } from './bench-server.js';
import { openChromium, serveGenerated } from './dashboard-browser.js';
import { median } from './stats.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '200,2000,20000' },
    loads: { type: 'string', default: '3' },
    changes: { type: 'string', default: '5' },
    'server-dir': { type: 'string', default: process.cwd() },
    'timeout-s': { type: 'string', default: '180' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const LOADS = Number(values.loads);
const CHANGES = Number(values.changes);
const TIMEOUT_MS = Number(values['timeout-s']) * 1_000;

/** Installed before the page's own scripts: long tasks and the moment the page says it has drawn. */
const PROBE = `
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longtasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.body?.dataset.loaded === 'true') {
      window.__firstRender = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-loaded'] });
`;

interface Figures {
  firstRender: number[];
  longestPerChange: number[];
}

async function load(browser: Browser, server: BenchServer): Promise<{ page: Page; firstRender: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(PROBE);
  await page.goto(`${server.baseUrl}/?poll=250`);
  // Polled from here: waitForFunction would evaluate a string in the page, which its CSP refuses.
  for (const deadline = Date.now() + TIMEOUT_MS; !(await page.evaluate('window.__firstRender !== undefined')); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The long tasks of the load end before the first render is seen: let them be reported.
  await page.waitForTimeout(300);
  return { page, firstRender: (await page.evaluate('window.__firstRender')) as number };
}

/** The longest task from making a change through the API until the page has read and drawn it. */
async function change(page: Page, server: BenchServer, task: string): Promise<number> {
  const since = (await page.evaluate('performance.now()')) as number;
  const read = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/v1/backlog' && response.status() === 200,
    { timeout: TIMEOUT_MS },
  );
  const answer = await server.request('DELETE', `/v1/tasks/${encodeURIComponent(task)}`, {
    headers: { prefer: 'return=minimal' },
  });
  if (answer.status >= 300) throw new Error(`DELETE ${task} answered ${answer.status}`);
  await (await read).finished();
  // Parsing and drawing follow the answer; then a quiet moment for the observer to report.
  await page.evaluate('new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => resolve()), 50))');
  await page.waitForTimeout(400);
  const tasks = (await page.evaluate('window.__longtasks')) as Array<{ start: number; duration: number }>;
  return Math.max(0, ...tasks.filter((t) => t.start + t.duration >= since).map((t) => t.duration));
}

async function measure(browser: Browser, size: number): Promise<Figures | string> {
  const server = await serveGenerated(size, values['server-dir']);
  const figures: Figures = { firstRender: [], longestPerChange: [] };
  try {
    const tasks = (JSON.parse((await server.request('GET', '/v1/tasks')).body.toString()) as Array<{ id: string }>).map(
      (t) => t.id,
    );
    for (let run = 0; run < LOADS; run++) {
      let loaded: Awaited<ReturnType<typeof load>>;
      try {
        loaded = await load(browser, server);
      } catch (error) {
        return `no first render within ${TIMEOUT_MS / 1_000} s (${String(error).split('\n')[0]})`;
      }
      figures.firstRender.push(loaded.firstRender);
      if (run === 0) {
        for (let i = 0; i < CHANGES; i++)
          figures.longestPerChange.push(await change(loaded.page, server, tasks.pop() as string));
      }
      await loaded.page.close();
    }
    return figures;
  } finally {
    await server.stop();
  }
}

const browser = await openChromium();
try {
  console.log(`dashboard of ${values['server-dir']}: medians of ${LOADS} loads and ${CHANGES} changes`);
  console.log('epics    first render    longest task per change (0: none over 50 ms)');
  for (const size of sizes) {
    const result = await measure(browser, size);
    if (typeof result === 'string') {
      console.log(`${String(size).padStart(6)}   ${result}`);
      continue;
    }
    const tasks = result.longestPerChange.map((ms) => ms.toFixed(0)).join(', ');
    console.log(
      `${String(size).padStart(6)}   ${median(result.firstRender).toFixed(0).padStart(7)} ms   ${median(result.longestPerChange).toFixed(0).padStart(6)} ms  (each: ${tasks})`,
    );
  }
} finally {
  await browser.close();
}
