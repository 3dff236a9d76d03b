import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type RunningApp, startApp, watchPage } from './support.js';

// Issue 12, case 7: Swagger UI had no policy and could be framed; its policy must not break it.
let running: RunningApp;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  running = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.app.close();
});

describe('Swagger UI at /docs under its Content-Security-Policy', () => {
  it('renders every operation and tries one out, with no CSP violation', async () => {
    const page = await browser.context.newPage();
    const problems = await watchPage(page);
    const response = await page.goto(`${running.baseUrl}/docs`);
    expect(response?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    await page.locator('.opblock').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(20);
    await page.locator('#operations-backlog-getBacklog .opblock-summary').click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('.live-responses-table tbody .response-col_status').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.live-responses-table tbody .response-col_status').first().textContent()).toMatch(/200/);
    expect(await problems.csp(page)).toEqual([]);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('cannot be framed by another page', async () => {
    const page = await browser.context.newPage();
    const problems = await watchPage(page);
    await page.setContent(`<iframe id="f" src="${running.baseUrl}/docs"></iframe>`);
    await page.waitForTimeout(1000);
    const framed = page.frames().find((frame) => frame.url().includes('/docs'));
    const rendered = framed
      ? await framed
          .locator('#swagger-ui')
          .count()
          .catch(() => 0)
      : 0;
    expect(rendered).toBe(0);
    expect(problems.console.join('\n')).toMatch(/frame-ancestors|X-Frame-Options|refused to (display|connect)/i);
    await page.close();
  });
});
