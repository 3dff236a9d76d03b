/**
 * docs/dashboard.png: the dashboard on a generated backlog of 200 epics, in Debian's
 * Chromium, some tasks done, the bug blocking the most epics chosen, an epic's details open
 * and a search in the tree.
 *   node --import tsx bench/dashboard-screenshot.ts [path]
 */
import { openChromium, serveGenerated } from './dashboard-browser.js';

const path = process.argv[2] ?? 'docs/dashboard.png';
const server = await serveGenerated(200);
const read = async <T>(path: string) => JSON.parse((await server.request('GET', path)).body.toString()) as T;
// Some work done, so that progress shows: every third of the first 90 tasks.
const tasks = await read<Array<{ id: string }>>('/v1/tasks');
for (const task of tasks.slice(0, 90).filter((_, i) => i % 3 === 0)) {
  await server.request('DELETE', `/v1/tasks/${encodeURIComponent(task.id)}`, { headers: { prefer: 'return=minimal' } });
}
const browser = await openChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.baseUrl}/`);
  await page.locator('body[data-loaded="true"]').waitFor();
  // The bug that blocks the most epics.
  let bug = '';
  let most = -1;
  for (const { id } of await read<Array<{ id: string }>>('/v1/bugs')) {
    const { blocked } = await read<{ blocked: unknown[] }>(`/v1/bugs/${encodeURIComponent(id)}/blocked-epics`);
    if (blocked.length > most) [bug, most] = [id, blocked.length];
  }
  await page.getByLabel('Search bugs').fill(bug);
  await page.locator(`#bug-list button[data-bug="${bug}"]`).click();
  await page.locator('#bug-panel-body li').first().waitFor();
  await page.locator('#attention-rows button.epic-link').nth(1).click();
  await page.getByLabel('Search epics, tasks and bugs').fill('epic-12');
  // Progress and "since" of the rows on screen, when the server gives them.
  await page.waitForTimeout(1_500);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true });
  console.log(`wrote ${path}`);
} finally {
  await browser.close();
  await server.stop();
}
