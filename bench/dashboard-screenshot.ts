/**
 * docs/dashboard.png: the dashboard on a generated backlog of 200 epics, in Debian's
 * Chromium, with the most shared bug chosen and an epic's details open.
 *   node --import tsx bench/dashboard-screenshot.ts [path]
 */
import { openChromium, serveGenerated } from './dashboard-browser.js';

const path = process.argv[2] ?? 'docs/dashboard.png';
const server = await serveGenerated(200);
const browser = await openChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.baseUrl}/`);
  await page.locator('body[data-loaded="true"]').waitFor();
  const bugs = JSON.parse((await server.request('GET', '/v1/bugs')).body.toString()) as Array<{
    id: string;
    epics: string[];
  }>;
  const bug = [...bugs].sort((a, b) => b.epics.length - a.epics.length)[0]?.id ?? '';
  await page.getByLabel('Search bugs').fill(bug);
  await page.locator(`#bug-list button[data-bug="${bug}"]`).click();
  await page.locator('#bug-panel-body li').first().waitFor();
  await page.locator('#attention-rows button.epic-link').nth(1).click();
  await page.getByLabel('Search epics, tasks and bugs').fill('epic-12');
  // Progress and "since" of the rows on screen, when the server gives them.
  await page.waitForTimeout(1_500);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
} finally {
  await browser.close();
  await server.stop();
}
