import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let running: RunningApp;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let problems: PageProblems;
let consoleErrors: ReturnType<typeof watchConsole>;
let section8: boolean;

const card = (name: string) => page.locator(`#cards button[data-card="${name}"]`);
const cardCount = async (name: string) => card(name).locator('.card-count').textContent();
const focusedKey = async () => (await page.evaluate('document.activeElement?.dataset?.key ?? null')) as string | null;

beforeAll(async () => {
  running = await startApp();
  const seeded = await running.api('PUT', '/v1/backlog', { ...SPEC_EXAMPLE, ...DAG });
  expect(seeded.status).toBe(200);
  section8 = await serverHasEvents(running);
  browser = await launchChromium();
  page = await browser.context.newPage();
  problems = await watchPage(page);
  consoleErrors = watchConsole(page);
  await page.goto(`${running.baseUrl}/?poll=${POLL_MS}`);
  await page.locator('body[data-loaded="true"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await closePageAndApp(undefined, running);
});

describe('the dashboard at /', () => {
  it('lists first the epics that need attention, exactly those the API says, each with why', async () => {
    const rows = await listedEpics(page);
    expect(rows.map((row) => row.epic).sort()).toEqual((await attentionFromApi(running)).sort());
    // Blocked first, then pending validation, each in creation order.
    expect(rows).toEqual([
      { epic: 'EpicP', kind: 'tasks', items: 2 },
      { epic: 'EpicQ', kind: 'tasks', items: 1 },
      { epic: 'EpicS', kind: 'tasks', items: 1 },
      { epic: 'EpicE', kind: 'bugs', items: 1 },
      { epic: 'EpicU', kind: 'bugs', items: 1 },
    ]);
    const why = (epic: string) => page.locator(`#attention-rows [data-epic="${epic}"] .c-why`).textContent();
    expect(await why('EpicP')).toBe('2 open tasks: TaskR1 in EpicR and more');
    expect(await why('EpicQ')).toBe('1 open task: TaskT1 in EpicS › EpicT');
    expect(await why('EpicU')).toBe('1 open bug: BugT1 (its own)');
    // The bugs under a pending epic are those the API lists for it.
    for (const epic of ['EpicE', 'EpicU']) {
      const bugs = (await (await running.api('GET', `/v1/epics/${epic}/bugs`)).json()) as unknown[];
      expect(rows.find((row) => row.epic === epic)?.items).toBe(bugs.length);
    }
    expect(await page.locator('#attention-heading').textContent()).toBe('Needs attention');
    expect(await page.locator('#attention').getAttribute('aria-rowcount')).toBe('6');

    // Choosing one shows its details, with every path to its open work.
    await page.locator('#attention-rows button[data-epic="EpicP"]').click();
    await expect.poll(() => page.locator('#details-body .details-title').textContent(), WAIT).toContain('EpicP');
    expect(await page.locator('#details-body .why').textContent()).toContain('TaskT1 in EpicQ › EpicS › EpicT');
  });

  it('shows progress and since when each epic has had its status, when the server gives them', async () => {
    const row = (epic: string) => page.locator(`#attention-rows [data-epic="${epic}"]`);
    if (!section8) {
      // A server before SPEC section 8: the columns are hidden, the rest works.
      await expect.poll(() => page.locator('#attention').getAttribute('class'), WAIT).toContain('no-since');
      expect(await page.locator('#attention').getAttribute('class')).toContain('no-progress');
      return;
    }
    for (const epic of ['EpicP', 'EpicE']) {
      const answer = (await (await running.api('GET', `/v1/epics/${epic}`)).json()) as {
        progress: { tasksDone: number; tasksOpen: number };
      };
      const { tasksDone, tasksOpen } = answer.progress;
      await expect
        .poll(() => row(epic).locator('.progress-text').textContent(), WAIT)
        .toBe(`${tasksDone}/${tasksDone + tasksOpen}`);
      const history = (await (await running.api('GET', `/v1/epics/${epic}/history`)).json()) as Array<{ at: string }>;
      await expect
        .poll(() => row(epic).locator('.c-since time').getAttribute('datetime'), WAIT)
        .toBe(history.at(-1)?.at);
    }
  });

  it('counts epics per status on cards that filter the list, and sorts it by a column', async () => {
    expect(await cardCount('attention')).toBe('5');
    expect(await cardCount('all')).toBe('11');
    expect(await cardCount('wip')).toBe('4');
    expect(await cardCount('blocked')).toBe('3');
    expect(await cardCount('pending_validation')).toBe('2');
    expect(await cardCount('completed')).toBe('2');
    expect(await card('attention').getAttribute('aria-pressed')).toBe('true');

    await card('completed').click();
    await expect.poll(async () => (await listedEpics(page)).map((r) => r.epic), WAIT).toEqual(['EpicC', 'EpicD']);
    expect(await card('completed').getAttribute('aria-pressed')).toBe('true');
    expect(await card('attention').getAttribute('aria-pressed')).toBe('false');
    await card('all').click();
    await expect.poll(async () => (await listedEpics(page)).length, WAIT).toBe(11);

    await card('attention').click();
    await page.locator('#attention [role="columnheader"][data-sort="id"] button').click();
    await expect
      .poll(async () => (await listedEpics(page)).map((r) => r.epic), WAIT)
      .toEqual(['EpicE', 'EpicP', 'EpicQ', 'EpicS', 'EpicU']);
    expect(await page.locator('#attention [data-sort="id"]').getAttribute('aria-sort')).toBe('ascending');
    await page.locator('#attention [role="columnheader"][data-sort="status"] button').click();
    await expect.poll(async () => (await listedEpics(page))[0]?.epic, WAIT).toBe('EpicP');
  });

  it('draws a shared epic once in full, and elsewhere a link that jumps to it', async () => {
    expect(await treeRow(page, 'EpicS').count()).toBe(1);
    expect(await treeRow(page, 'EpicS').getAttribute('aria-level')).toBe('3');
    expect(await treeRow(page, 'EpicS').locator('.tag.shared').textContent()).toBe('also under EpicR');
    const ref = page.locator('#tree [role="treeitem"][data-epic="EpicS"][data-ref="true"]');
    expect(await ref.count()).toBe(1);
    expect(await ref.getAttribute('aria-expanded')).toBeNull();
    expect(await ref.locator('button.jump').textContent()).toBe('in full under EpicQ');
    await ref.locator('button.jump').click();
    await expect.poll(focusedKey, WAIT).toBe('EpicS');
    expect(await treeRow(page, 'EpicS').getAttribute('aria-selected')).toBe('true');
    // The tree opens in full on a backlog this small: 12 rows for 11 epics and one reference.
    expect(await page.locator('#tree [role="treeitem"]').count()).toBe(12);
  });

  it('after "Collapse all", a search opens the path to each match and marks it, exact first', async () => {
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await expect.poll(() => page.locator('#tree [role="treeitem"]').count(), WAIT).toBe(5);
    await page.getByLabel('Search epics, tasks and bugs').fill('TaskT1');
    await expect.poll(() => treeRow(page, 'EpicT').count(), WAIT).toBe(1);
    expect(await inView(page, treeRow(page, 'EpicT'), page.locator('#tree'))).toBe(true);
    expect(await treeRow(page, 'EpicT').locator('.tag.hit').textContent()).toBe('matches task TaskT1');
    expect(await page.locator('#search-result').textContent()).toContain('the best is EpicT');

    await page.getByLabel('Search epics, tasks and bugs').fill('bugt1');
    await expect.poll(() => page.locator('#tree .treeitem.match').count(), WAIT).toBe(2);
    expect(await treeRow(page, 'EpicU').getAttribute('class')).toContain('rank-0');
    await page.getByLabel('Search epics, tasks and bugs').fill('');
    await page.getByRole('button', { name: 'Expand all' }).click();
    await expect.poll(() => page.locator('#tree [role="treeitem"]').count(), WAIT).toBe(12);
  });

  it('choosing a bug puts the epics it blocks in view, the highest first and marked', async () => {
    await page.getByLabel('Search bugs').fill('bugt');
    await expect.poll(() => page.locator('#bug-list button[data-bug]').count(), WAIT).toBe(1);
    await page.getByLabel('Search bugs').fill('');
    await expect
      .poll(() => page.locator('#bug-list button[data-bug]').evaluateAll((n) => n.map((b) => b.dataset.bug)), WAIT)
      .toEqual(['BugB1', 'BugE1', 'BugS1', 'BugT1']);

    await page.locator('#bug-list button[data-bug="BugT1"]').click();
    const highest = page.locator('#bug-panel-body li[data-highest="true"]');
    await expect.poll(() => highest.count(), WAIT).toBe(2);
    expect(await highest.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-epic')))).toEqual([
      'EpicP',
      'EpicU',
    ]);
    const others = await page
      .locator('#bug-panel-body li[data-highest="false"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-epic')));
    expect(others.sort()).toEqual(['EpicQ', 'EpicR', 'EpicS', 'EpicT']);
    expect(await inView(page, page.locator('#bug-panel'))).toBe(true);
    expect(await page.evaluate('document.activeElement?.id')).toBe('bug-panel-heading');
    expect(await page.locator('#bug-list button[data-bug="BugT1"]').getAttribute('aria-pressed')).toBe('true');
    // The tree marks them, with a star and words, not colour alone.
    await expect.poll(() => treeRow(page, 'EpicP').getAttribute('data-blocked'), WAIT).toBe('highest');
    expect(await treeRow(page, 'EpicP').textContent()).toContain('★ highest blocked by BugT1');
    expect(await treeRow(page, 'EpicS').getAttribute('data-blocked')).toBe('blocked');
    expect(await treeRow(page, 'EpicA').getAttribute('data-blocked')).toBeNull();

    // Every text on screen, badges and highlights included, is readable: WCAG AA contrast.
    expect(await page.evaluate(LOW_CONTRAST_SCRIPT)).toEqual([]);
    mkdirSync('reports/browser', { recursive: true });
    await page.screenshot({ path: 'reports/browser/dashboard.png', fullPage: true });
  });

  it('follows changes made through the API without a reload, keeping the choices made', async () => {
    await page.evaluate('window.__sameDocument = true');
    const before = await page.locator('#updated-at').getAttribute('datetime');
    expect(await page.locator('#updated').getAttribute('data-mode')).toBe(section8 ? 'live' : 'polling');
    await card('blocked').click();

    const done = await running.api('DELETE', '/v1/tasks/TaskR1');
    expect(done.status).toBe(200);
    await expect.poll(() => treeRow(page, 'EpicR').getAttribute('data-status'), WAIT).toBe('blocked');
    await expect.poll(async () => (await listedEpics(page)).map((r) => r.epic), WAIT).toContain('EpicR');
    expect(await cardCount('blocked')).toBe('4');
    expect(await cardCount('wip')).toBe('3');
    expect(await page.locator('#updated-at').getAttribute('datetime')).not.toBe(before);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(await card('blocked').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#bug-list button[data-bug="BugT1"]').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('#live').textContent(), WAIT).toContain('EpicR WIP → Blocked');
    await card('attention').click();
  });

  it('polls with If-None-Match when the event stream is refused, and tries the stream again', async () => {
    const polling = await browser.context.newPage();
    const statuses: number[] = [];
    polling.on('response', (response) => {
      if (new URL(response.url()).pathname === '/v1/backlog') statuses.push(response.status());
    });
    await polling.route('**/v1/events/stream', (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"title":"too many clients"}' }),
    );
    await polling.goto(`${running.baseUrl}/?poll=${POLL_MS}&retry=1000`);
    await polling.locator('body[data-loaded="true"]').waitFor();
    await expect.poll(() => polling.locator('#updated').getAttribute('data-mode'), WAIT).toBe('polling');
    await expect.poll(() => statuses.includes(304), WAIT).toBe(true);
    expect((await running.api('POST', '/v1/tasks', { id: 'TaskR1', epic: 'EpicR' })).status).toBe(201);
    await expect
      .poll(() => polling.locator('#tree [role="treeitem"][data-epic="EpicR"]').getAttribute('data-status'), WAIT)
      .toBe('wip');
    // The stream is tried again (here after a second): once it answers, the page is live.
    await polling.unroute('**/v1/events/stream');
    await expect.poll(() => polling.locator('#updated').getAttribute('data-mode'), WAIT).toBe('live');
    await polling.close();
    await expect.poll(() => treeRow(page, 'EpicR').getAttribute('data-status'), WAIT).toBe('wip');
  });

  it('works from the keyboard: one tab stop per list, arrows, Home and End, Enter', async () => {
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.focus('#collapse-all');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.getAttribute("role")')).toBe('treeitem');
    expect(await page.locator('#tree [role="treeitem"][tabindex="0"]').count()).toBe(1);

    await page.keyboard.press('Home');
    await expect.poll(focusedKey, WAIT).toBe('EpicA');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedKey, WAIT).toBe('EpicB');
    await page.keyboard.press('ArrowLeft'); // a leaf: up to its parent
    await expect.poll(focusedKey, WAIT).toBe('EpicA');
    await page.keyboard.press('ArrowLeft'); // open: closes
    await expect.poll(() => treeRow(page, 'EpicA').getAttribute('aria-expanded'), WAIT).toBe('false');
    await page.keyboard.press('ArrowRight'); // closed: opens
    await expect.poll(() => treeRow(page, 'EpicA').getAttribute('aria-expanded'), WAIT).toBe('true');
    await page.keyboard.press('ArrowRight'); // open: into the first child
    await expect.poll(focusedKey, WAIT).toBe('EpicB');
    await page.keyboard.press('End');
    await expect.poll(focusedKey, WAIT).toBe('EpicU');
    expect(await treeRow(page, 'EpicU').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#details-body .details-title').textContent()).toContain('EpicU');
    // Enter on a reference jumps to the epic drawn in full.
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedKey, WAIT).toBe('EpicR\u0001EpicS');
    await page.keyboard.press('Enter');
    await expect.poll(focusedKey, WAIT).toBe('EpicS');
    expect(await page.locator('#tree [role="treeitem"][tabindex="0"]').count()).toBe(1);

    // The flat list: one tab stop, arrows move between its epics.
    await page.locator('#attention-rows button.epic-link').first().focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate('document.activeElement?.dataset?.epic'), WAIT).toBe('EpicQ');
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate('document.activeElement?.dataset?.epic'), WAIT).toBe('EpicU');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#details-body .details-title').textContent(), WAIT).toContain('EpicU');
    expect(await page.locator('#attention-rows button.epic-link[tabindex="0"]').count()).toBe(1);

    // Bugs: real buttons, arrows move, Enter chooses.
    await page.locator('#bug-list button[data-bug]').first().focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate('document.activeElement?.dataset?.bug'), WAIT).toBe('BugE1');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#bug-panel-body li[data-highest="true"]').getAttribute('data-epic'), WAIT)
      .toBe('EpicE');
    expect(await page.locator('#live[aria-live="polite"]').count()).toBe(1);
  });

  it('shows how to import a backlog when it is empty, then the backlog once there is one', async () => {
    expect((await running.api('PUT', '/v1/backlog', {})).status).toBe(200);
    await expect.poll(() => page.locator('#empty').isVisible(), WAIT).toBe(true);
    const curl = await page.locator('#empty-curl').textContent();
    expect(curl).toContain(`curl -X POST '${running.baseUrl}/v1/backlog'`);
    expect(curl).toContain('--data-binary @backlog.json');
    expect(await page.locator('#empty-example').textContent()).toContain('"Tasks"');
    expect(await cardCount('all')).toBe('0');
    expect(await page.locator('#attention-empty').textContent()).toBe('Nothing is blocked or pending validation.');
    // The chosen bug is gone with the backlog.
    await expect.poll(() => page.locator('#bug-panel').isHidden(), WAIT).toBe(true);

    expect((await running.api('POST', '/v1/backlog', { ...SPEC_EXAMPLE, ...DAG })).status).toBe(200);
    await expect.poll(() => page.locator('#empty').isVisible(), WAIT).toBe(false);
    await expect.poll(async () => (await listedEpics(page)).length, WAIT).toBe(5);
  });

  it('at 390 px wide, shows what needs attention on the first screen', async () => {
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 390, height: 844 });
    await narrow.goto(`${running.baseUrl}/`);
    await narrow.locator('body[data-loaded="true"]').waitFor();
    expect(await inView(narrow, narrow.locator('#attention-heading'))).toBe(true);
    expect(await inView(narrow, narrow.locator('#attention-rows [role="row"]').nth(2))).toBe(true);
    expect(await narrow.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await narrow.evaluate(LOW_CONTRAST_SCRIPT)).toEqual([]);
    await narrow.close();
  });

  it('runs under its Content-Security-Policy without a violation, a script error or a console error', async () => {
    expect(await problems.csp(page)).toEqual([]);
    expect(problems.errors).toEqual([]);
    // Emptying the backlog under the page (above) may catch a read of an epic's progress or
    // history in flight: a 404 for an epic of the SPEC example, then gone, is the right answer.
    const deleted = new RegExp(`/v1/epics/(${Object.keys({ ...SPEC_EXAMPLE, ...DAG }).join('|')})(/history)? .*404`);
    expect(consoleErrors.errors(!section8, deleted)).toEqual([]);

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
