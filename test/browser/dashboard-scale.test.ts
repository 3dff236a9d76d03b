import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDictionary } from '../../bench/epic-generator.js';
import {
  attentionFromApi,
  closePageAndApp,
  inView,
  listedEpics,
  serverHasEvents,
  treeRow,
  WAIT,
  watchConsole,
} from './dashboard-support.js';
import { launchChromium, type PageProblems, type RunningApp, startApp, watchPage } from './support.js';

let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.each([200, 2_000])('the dashboard on %i generated epics (DAG links, shared sub-epics)', (size) => {
  let running: RunningApp;
  let page: Page;
  let problems: PageProblems;
  let consoleErrors: ReturnType<typeof watchConsole>;
  let section8: boolean;
  const last = `epic-${size - 1}`;

  const get = async <T>(path: string) => (await (await running.api('GET', path)).json()) as T;

  beforeAll(async () => {
    running = await startApp();
    expect((await running.api('PUT', '/v1/backlog', generateDictionary(size))).status).toBe(200);
    section8 = await serverHasEvents(running);
    page = await browser.context.newPage();
    problems = await watchPage(page);
    consoleErrors = watchConsole(page);
    await page.goto(`${running.baseUrl}/?poll=300`);
    await page.locator('body[data-loaded="true"]').waitFor();
  });

  afterAll(async () => {
    await closePageAndApp(page, running);
  });

  it('lists exactly the blocked and pending epics, blocked first, each with its open work', async () => {
    const rows = await listedEpics(page);
    const fromApi = await attentionFromApi(running);
    const statuses = new Map(
      (await get<Array<{ id: string; status: string }>>('/v1/epics')).map((e) => [e.id, e.status]),
    );
    const byStatus = (status: string) => fromApi.filter((id) => statuses.get(id) === status);
    expect(rows.map((row) => row.epic)).toEqual([...byStatus('blocked'), ...byStatus('pending_validation')]);
    for (const row of rows) {
      expect(row.kind, row.epic).toBe(statuses.get(row.epic) === 'blocked' ? 'tasks' : 'bugs');
      expect(row.items, row.epic).toBeGreaterThan(0);
    }
    // The open bugs under a pending epic are the bugs the API lists for it.
    for (const row of rows.filter((r) => r.kind === 'bugs').slice(0, 20)) {
      expect(row.items, row.epic).toBe((await get<unknown[]>(`/v1/epics/${row.epic}/bugs`)).length);
    }
    // Only the rows on screen are in the document.
    expect(await page.locator('#attention-rows [role="row"]').count()).toBeLessThan(60);
  });

  it('opens the tree collapsed; after "Collapse all" a search reveals its matches, the exact one first', async () => {
    const roots = await page.locator('#tree [role="treeitem"][aria-level="1"]').count();
    expect(await page.locator('#tree [role="treeitem"][aria-level="2"]').count()).toBe(0);
    expect(roots).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await page.getByLabel('Search epics, tasks and bugs').fill(last);
    await expect.poll(() => treeRow(page, last).count(), WAIT).toBe(1);
    expect(await inView(page, treeRow(page, last), page.locator('#tree'))).toBe(true);
    expect(await treeRow(page, last).getAttribute('class')).toContain('rank-0');

    // epic-1 also prefixes epic-10, epic-100...: the exact match is the best one.
    await page.getByLabel('Search epics, tasks and bugs').fill('EPIC-1');
    await expect.poll(() => page.locator('#search-result').textContent(), WAIT).toContain('the best is epic-1,');
    expect(await inView(page, treeRow(page, 'epic-1'), page.locator('#tree'))).toBe(true);
    await page.getByLabel('Search epics, tasks and bugs').fill('');
  });

  it('choosing a bug puts the epics it blocks, the highest first, in view', async () => {
    const bugs = await get<Array<{ id: string; epics: string[] }>>('/v1/bugs');
    const bug = [...bugs].sort((a, b) => b.epics.length - a.epics.length)[0]?.id as string;
    await page.getByLabel('Search bugs').fill(bug);
    const first = page.locator('#bug-list button[data-bug]').first();
    await expect.poll(() => first.getAttribute('data-bug'), WAIT).toBe(bug);
    await first.click();
    const answer = await get<{ highest: string[]; blocked: unknown[] }>(`/v1/bugs/${bug}/blocked-epics`);
    const highest = page.locator('#bug-panel-body li[data-highest="true"]');
    await expect
      .poll(() => highest.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-epic'))), WAIT)
      .toEqual(answer.highest);
    // At most 300 listed (BLOCKED_SHOWN in public/views.js).
    expect(await page.locator('#bug-panel-body li').count()).toBe(Math.min(answer.blocked.length, 300));
    expect(await inView(page, highest.first())).toBe(true);
    // "Show in the tree" opens the path to it.
    await highest.first().locator('button').click();
    await expect.poll(() => page.evaluate('document.activeElement?.dataset?.key'), WAIT).toBe(answer.highest[0]);
    expect(await inView(page, treeRow(page, answer.highest[0] as string))).toBe(true);
  });

  it('shows a change made through the API without a reload', async () => {
    await page.evaluate('window.__sameDocument = true');
    const tasks = await get<Array<{ id: string; epic: string }>>('/v1/tasks');
    const perEpic = new Map<string, string[]>();
    for (const task of tasks) perEpic.set(task.epic, [...(perEpic.get(task.epic) ?? []), task.id]);
    // The last epic whose only task is done stops being WIP.
    const [epic, [task]] = [...perEpic.entries()].filter(([, ids]) => ids.length === 1).at(-1) as [string, string[]];
    expect((await running.api('DELETE', `/v1/tasks/${task}`)).status).toBe(200);
    const after = (await get<{ status: string }>(`/v1/epics/${epic}`)).status;
    expect(after).not.toBe('wip');
    const counts = await get<Array<{ status: string }>>('/v1/epics');
    const wip = counts.filter((e) => e.status === 'wip').length;
    await expect
      .poll(() => page.locator('#cards [data-card="wip"] .card-count').textContent(), WAIT)
      .toBe(wip.toLocaleString('en'));
    await page.getByLabel('Search epics, tasks and bugs').fill(epic);
    await expect.poll(() => treeRow(page, epic).getAttribute('data-status'), WAIT).toBe(after);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  });

  it('keeps to its Content-Security-Policy, with no script or console error', async () => {
    expect(await problems.csp(page)).toEqual([]);
    expect(problems.errors).toEqual([]);
    expect(consoleErrors.errors(!section8)).toEqual([]);
  });
});
