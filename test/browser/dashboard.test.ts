import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAG,
  LOW_CONTRAST_SCRIPT,
  launchChromium,
  type PageProblems,
  type RunningApp,
  SPEC_EXAMPLE,
  startApp,
  watchPage,
} from './support.js';

const POLL_MS = 300;
const WAIT = { timeout: 5_000, interval: 100 };

let running: RunningApp;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let problems: PageProblems;
const backlogStatuses: number[] = [];

const items = (epic: string) => page.locator(`#tree [role="treeitem"][data-epic="${epic}"]`);
const item = (epic: string) => items(epic).first();
const ownRow = (epic: string) => item(epic).locator(':scope > .row');

/** The epics of the tree items a user can see, in order. */
async function visibleEpics(): Promise<string[]> {
  const shown = await page.locator('#tree [role="treeitem"]').filter({ visible: true }).all();
  return Promise.all(shown.map(async (node) => (await node.getAttribute('data-epic')) ?? '?'));
}

async function focusedEpic(): Promise<string | null> {
  return (await page.evaluate('document.activeElement?.dataset?.epic ?? null')) as string | null;
}

async function summaryCount(status: string): Promise<string | null> {
  return page.locator(`#summary [data-status="${status}"] .summary-count`).textContent();
}

beforeAll(async () => {
  running = await startApp();
  const seeded = await running.api('PUT', '/v1/backlog', { ...SPEC_EXAMPLE, ...DAG });
  expect(seeded.status).toBe(200);
  browser = await launchChromium();
  page = await browser.context.newPage();
  problems = await watchPage(page);
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/v1/backlog') backlogStatuses.push(response.status());
  });
  await page.goto(`${running.baseUrl}/?poll=${POLL_MS}`);
  await page.locator('body[data-loaded="true"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await running?.app.close();
});

describe('the dashboard at /', () => {
  it('shows the backlog as a tree: roots first, linked epics nested, shared epics under each parent', async () => {
    const roots = await page.locator('#tree > [role="treeitem"]').all();
    expect(await Promise.all(roots.map((root) => root.getAttribute('data-epic')))).toEqual([
      'EpicA',
      'EpicD',
      'EpicE',
      'EpicP',
      'EpicU',
    ]);
    expect(await visibleEpics()).toEqual([
      'EpicA',
      'EpicB',
      'EpicD',
      'EpicC',
      'EpicE',
      'EpicP',
      'EpicQ',
      'EpicS',
      'EpicT',
      'EpicR',
      'EpicS',
      'EpicT',
      'EpicU',
    ]);
    // EpicS is linked from EpicQ and EpicR: shown under both, marked as shared.
    expect(await items('EpicS').count()).toBe(2);
    for (const shared of await items('EpicS').all()) {
      expect(await shared.getAttribute('data-shared')).toBe('true');
      expect(await shared.locator(':scope > .row .tag.shared').textContent()).toContain('shared · 2 parents');
    }
    expect(await item('EpicT').getAttribute('aria-level')).toBe('4');
    expect(await item('EpicP').getAttribute('aria-expanded')).toBe('true');
  });

  it('shows each status as a badge with a label, and own and rolled-up counts', async () => {
    const expected: Record<string, [string, string]> = {
      EpicA: ['wip', 'WIP'],
      EpicB: ['wip', 'WIP'],
      EpicC: ['completed', 'Completed'],
      EpicD: ['completed', 'Completed'],
      EpicE: ['pending_validation', 'Pending validation'],
      EpicP: ['blocked', 'Blocked'],
      EpicQ: ['blocked', 'Blocked'],
      EpicR: ['wip', 'WIP'],
      EpicS: ['blocked', 'Blocked'],
      EpicT: ['wip', 'WIP'],
      EpicU: ['pending_validation', 'Pending validation'],
    };
    for (const [epic, [status, label]] of Object.entries(expected)) {
      expect(await item(epic).getAttribute('data-status'), epic).toBe(status);
      expect((await ownRow(epic).locator('.badge').textContent())?.trim(), epic).toMatch(new RegExp(`${label}$`));
    }
    const counts = async (epic: string) => {
      const node = ownRow(epic).locator('.counts');
      const read = async (name: string) => Number(await node.getAttribute(name));
      return [
        await read('data-own-tasks'),
        await read('data-all-tasks'),
        await read('data-own-bugs'),
        await read('data-all-bugs'),
      ];
    };
    expect(await counts('EpicA')).toEqual([2, 4, 0, 1]);
    expect(await counts('EpicB')).toEqual([2, 2, 1, 1]);
    expect(await counts('EpicD')).toEqual([0, 0, 0, 0]);
    // Over every epic reachable, each once: EpicS is reached twice from EpicP.
    expect(await counts('EpicP')).toEqual([0, 2, 0, 2]);
    expect(await counts('EpicQ')).toEqual([0, 1, 0, 2]);
    expect(await counts('EpicS')).toEqual([0, 1, 1, 2]);
    expect(await ownRow('EpicA').locator('.counts').textContent()).toBe(
      'Tasks 2 own · 4 rolled-upBugs 0 own · 1 rolled-up',
    );

    expect(await summaryCount('all')).toBe('11');
    expect(await summaryCount('wip')).toBe('4');
    expect(await summaryCount('blocked')).toBe('3');
    expect(await summaryCount('pending_validation')).toBe('2');
    expect(await summaryCount('completed')).toBe('2');
  });

  it('filters by status, keeping the epics above a match as context', async () => {
    await page.getByRole('checkbox', { name: 'Completed' }).check();
    await expect.poll(visibleEpics, WAIT).toEqual(['EpicD', 'EpicC']);
    await page.getByRole('checkbox', { name: 'Pending validation' }).check();
    await expect.poll(visibleEpics, WAIT).toEqual(['EpicD', 'EpicC', 'EpicE', 'EpicU']);
    await page.getByRole('checkbox', { name: 'Completed' }).uncheck();
    await page.getByRole('checkbox', { name: 'Pending validation' }).uncheck();
    await page.getByRole('checkbox', { name: 'Blocked' }).check();
    // EpicQ and EpicS are blocked; EpicR (wip) is kept above the second EpicS.
    await expect.poll(visibleEpics, WAIT).toEqual(['EpicP', 'EpicQ', 'EpicS', 'EpicR', 'EpicS']);
    expect(await item('EpicR').getAttribute('class')).toContain('context');
    expect(await page.locator('#filter-result').textContent()).toContain('3 epics of 11 match');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await visibleEpics()).length, WAIT).toBe(13);
  });

  it('searches by epic, task or bug id', async () => {
    const search = page.getByLabel('Search by id');
    await search.fill('TaskT1');
    await expect.poll(visibleEpics, WAIT).toEqual(['EpicP', 'EpicQ', 'EpicS', 'EpicT', 'EpicR', 'EpicS', 'EpicT']);
    expect(await ownRow('EpicT').locator('.tag.hit').textContent()).toBe('matches task TaskT1');
    expect(await item('EpicP').getAttribute('class')).toContain('context');
    await search.fill('epicb');
    await expect.poll(visibleEpics, WAIT).toEqual(['EpicA', 'EpicB']);
    await search.fill('BugE1');
    await expect.poll(visibleEpics, WAIT).toEqual(['EpicE']);
    await search.fill('nothing like it');
    await expect.poll(() => page.locator('#no-match').isVisible(), WAIT).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await visibleEpics()).length, WAIT).toBe(13);
  });

  it('shows the epics a bug blocks when it is clicked, the highest highlighted', async () => {
    await page.locator('#bug-list button[data-bug="BugT1"]').click();
    const highest = page.locator('#blocked-body li[data-highest="true"]');
    await expect.poll(() => highest.count(), WAIT).toBe(2);
    expect(await Promise.all((await highest.all()).map((node) => node.getAttribute('data-epic')))).toEqual([
      'EpicP',
      'EpicU',
    ]);
    const others = await page.locator('#blocked-body li[data-highest="false"]').all();
    expect((await Promise.all(others.map((node) => node.getAttribute('data-epic')))).sort()).toEqual([
      'EpicQ',
      'EpicR',
      'EpicS',
      'EpicT',
    ]);
    expect(await page.locator('#bug-list button[data-bug="BugT1"]').getAttribute('aria-pressed')).toBe('true');
    // The tree marks them too, with a star and words, not colour alone.
    expect(await item('EpicP').getAttribute('data-blocked')).toBe('highest');
    expect(await ownRow('EpicP').textContent()).toContain('★ highest blocked by BugT1');
    expect(await item('EpicU').getAttribute('data-blocked')).toBe('highest');
    expect(await item('EpicS').getAttribute('data-blocked')).toBe('blocked');
    expect(await item('EpicA').getAttribute('data-blocked')).toBeNull();
    await expect.poll(() => page.locator('#live').textContent(), WAIT).toContain('the highest: EpicP, EpicU');

    // The details of an epic list its bugs as buttons too.
    await ownRow('EpicS').click();
    await expect.poll(() => page.locator('#details-body .details-title').textContent(), WAIT).toBe('EpicS');
    expect(await page.locator('#details-body').textContent()).toContain('EpicQEpicR');
    expect(await page.locator('#details-body button[data-bug="BugT1"]').getAttribute('aria-pressed')).toBe('true');

    // Every text on screen, badges and highlights included, is readable: WCAG AA contrast.
    expect(await page.evaluate(LOW_CONTRAST_SCRIPT)).toEqual([]);
    mkdirSync('reports/browser', { recursive: true });
    await page.screenshot({ path: 'reports/browser/dashboard.png', fullPage: true });
    if (process.env.UPDATE_SCREENSHOT === '1') {
      // The same view on a page that polls at the default pace, for the docs.
      const shot = await browser.context.newPage();
      await shot.goto(`${running.baseUrl}/`);
      await shot.locator('body[data-loaded="true"]').waitFor();
      await shot.locator('#bug-list button[data-bug="BugT1"]').click();
      await shot.locator('#blocked-body li[data-highest="true"]').first().waitFor();
      await shot.locator('#tree [role="treeitem"][data-epic="EpicS"] > .row').first().click();
      await shot.screenshot({ path: 'docs/dashboard.png', fullPage: true });
      await shot.close();
    }
  });

  it('updates itself when the backlog changes, keeping filters, search, expanded epics and the chosen bug', async () => {
    await page.evaluate('window.__sameDocument = true');
    await item('EpicD').locator(':scope > .row > .twisty').click();
    expect(await item('EpicD').getAttribute('aria-expanded')).toBe('false');
    await page.getByRole('checkbox', { name: 'WIP' }).check();
    await page.getByLabel('Search by id').fill('Epic');
    await expect
      .poll(visibleEpics, WAIT)
      .toEqual(['EpicA', 'EpicB', 'EpicP', 'EpicQ', 'EpicS', 'EpicT', 'EpicR', 'EpicS', 'EpicT']);
    const before = backlogStatuses.length;
    // Polls of an unchanged backlog are answered 304 (If-None-Match).
    await expect.poll(() => backlogStatuses.slice(before).includes(304), WAIT).toBe(true);

    const done = await running.api('DELETE', '/v1/tasks/TaskR1');
    expect(done.status).toBe(200);
    await expect.poll(() => item('EpicR').getAttribute('data-status'), WAIT).toBe('blocked');
    expect(await summaryCount('wip')).toBe('3');
    expect(await summaryCount('blocked')).toBe('4');
    // Still the same document, the same filters and the same expanded state.
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'WIP' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Search by id').inputValue()).toBe('Epic');
    expect(await item('EpicR').getAttribute('class')).toContain('context');
    await expect
      .poll(visibleEpics, WAIT)
      .toEqual(['EpicA', 'EpicB', 'EpicP', 'EpicQ', 'EpicS', 'EpicT', 'EpicR', 'EpicS', 'EpicT']);
    expect(await page.locator('#bug-list button[data-bug="BugT1"]').getAttribute('aria-pressed')).toBe('true');
    expect(await item('EpicP').getAttribute('data-blocked')).toBe('highest');
    // The live region speaks 50 ms after the redraw (app.js `announce`): wait for it, as a screen reader would.
    await expect.poll(() => page.locator('#live').textContent(), WAIT).toContain('EpicR WIP → Blocked');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(visibleEpics, WAIT).toContain('EpicE');
    expect(await item('EpicD').getAttribute('aria-expanded')).toBe('false');
    expect(await visibleEpics()).not.toContain('EpicC');
  });

  it('works from the keyboard: a roving tabindex, arrows, Home and End, Enter and Space', async () => {
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.focus('#collapse-all');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.getAttribute("role")')).toBe('treeitem');
    expect(await page.locator('#tree [role="treeitem"][tabindex="0"]').count()).toBe(1);

    await page.keyboard.press('Home');
    expect(await focusedEpic()).toBe('EpicA');
    await page.keyboard.press('ArrowDown');
    expect(await focusedEpic()).toBe('EpicB');
    await page.keyboard.press('ArrowLeft'); // a leaf: up to its parent
    expect(await focusedEpic()).toBe('EpicA');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focusedEpic()).toBe('EpicD');
    await page.keyboard.press('ArrowLeft'); // open: closes
    expect(await item('EpicD').getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowDown');
    expect(await focusedEpic()).toBe('EpicE');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowRight'); // closed: opens
    expect(await item('EpicD').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowRight'); // open: into the first child
    expect(await focusedEpic()).toBe('EpicC');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedEpic()).toBe('EpicD');
    await page.keyboard.press('Enter');
    expect(await item('EpicD').getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Space');
    expect(await item('EpicD').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('End');
    expect(await focusedEpic()).toBe('EpicU');
    expect(await item('EpicU').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#details-body .details-title').textContent()).toBe('EpicU');
    expect(await page.locator('#tree [role="treeitem"][tabindex="0"]').count()).toBe(1);

    // Tab leaves the tree for the next control; bugs are real buttons.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('BUTTON');
    expect(
      await page.evaluate('[...document.querySelectorAll("[data-bug]")].every((n) => n.tagName === "BUTTON")'),
    ).toBe(true);
    await page.locator('#bug-list button[data-bug="BugE1"]').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#blocked-body li[data-highest="true"]').getAttribute('data-epic'), WAIT)
      .toBe('EpicE');
    // Labels and the live region.
    expect(await page.getByLabel('Search by id').count()).toBe(1);
    expect(await page.locator('#live[aria-live="polite"]').count()).toBe(1);
  });

  it('shows how to import a backlog when it is empty, then the backlog once there is one', async () => {
    expect((await running.api('PUT', '/v1/backlog', {})).status).toBe(200);
    await expect.poll(() => page.locator('#empty').isVisible(), WAIT).toBe(true);
    const curl = await page.locator('#empty-curl').textContent();
    expect(curl).toContain(`curl -X POST '${running.baseUrl}/v1/backlog'`);
    expect(curl).toContain("-H 'Content-Type: application/json'");
    expect(curl).toContain('--data-binary @backlog.json');
    expect(await page.locator('#empty-example').textContent()).toContain('"Tasks"');
    expect(await page.locator('#tree [role="treeitem"]').count()).toBe(0);
    expect(await summaryCount('all')).toBe('0');

    expect((await running.api('POST', '/v1/backlog', SPEC_EXAMPLE)).status).toBe(200);
    await expect.poll(() => page.locator('#empty').isVisible(), WAIT).toBe(false);
    expect(await visibleEpics()).toEqual(['EpicA', 'EpicB', 'EpicD', 'EpicC', 'EpicE']);
  });

  it('runs under its Content-Security-Policy without a violation or a script error', async () => {
    expect(await problems.csp(page)).toEqual([]);
    expect(problems.errors).toEqual([]);

    // The policy is enforced and the watch sees it: an inline style is refused.
    const other = await browser.context.newPage();
    const watched = await watchPage(other);
    await other.goto(`${running.baseUrl}/`);
    await other.locator('body[data-loaded="true"]').waitFor();
    await other.evaluate(
      '(() => { const style = document.createElement("style"); style.textContent = "body { color: red }"; document.head.append(style); })()',
    );
    await expect.poll(async () => (await watched.csp(other)).length, WAIT).toBeGreaterThan(0);
    await other.close();
  });

  it('leaves Swagger UI at /docs working', async () => {
    const docs = await browser.context.newPage();
    const watched = await watchPage(docs);
    await docs.goto(`${running.baseUrl}/docs`);
    await docs.locator('.swagger-ui .info .title').waitFor({ timeout: 15_000 });
    expect(await docs.locator('.swagger-ui .info .title').textContent()).toContain('Backlog status service');
    expect(await docs.locator('.opblock').count()).toBeGreaterThan(10);
    expect(await watched.csp(docs)).toEqual([]);
    await docs.close();
  });
});
