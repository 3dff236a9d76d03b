import type { Locator, Page } from 'playwright-core';
import type { RunningApp } from './support.js';

export const WAIT = { timeout: 10_000, interval: 100 };

/**
 * Every epic of the flat list, in order: the list draws only the rows on screen, so this
 * scrolls it from top to bottom in the page and reads the rows drawn at each step.
 */
export async function listedEpics(page: Page): Promise<Array<{ epic: string; kind: string; items: number }>> {
  return (await page.evaluate(LISTED_SCRIPT)) as Array<{ epic: string; kind: string; items: number }>;
}

/** Runs in the page (a string: the test's tsconfig has no DOM types). */
const LISTED_SCRIPT = `(async () => {
  const viewport = document.getElementById('attention-rows');
  const seen = new Map();
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  for (let top = 0; ; top += Math.max(100, viewport.clientHeight)) {
    viewport.scrollTop = top;
    await frame();
    for (const row of viewport.querySelectorAll('[role="row"]')) {
      const why = row.querySelector('.c-why');
      seen.set(Number(row.getAttribute('aria-rowindex')), {
        epic: row.dataset.epic ?? '?',
        kind: why?.dataset.kind ?? '',
        items: Number(why?.dataset.items ?? -1),
      });
    }
    if (top + viewport.clientHeight >= viewport.scrollHeight) break;
  }
  viewport.scrollTop = 0;
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
})()`;

/** The epics the API says are blocked or pending validation, in creation order. */
export async function attentionFromApi(running: RunningApp): Promise<string[]> {
  const all = (await (await running.api('GET', '/v1/epics')).json()) as Array<{ id: string; status: string }>;
  return all.filter((e) => e.status === 'blocked' || e.status === 'pending_validation').map((e) => e.id);
}

/** Whether the element is fully inside the browser's viewport (and, if given, inside `within`). */
export async function inView(page: Page, target: Locator, within?: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const size = page.viewportSize();
  if (!box || !size) return false;
  const inside = (outer: { x: number; y: number; width: number; height: number }) =>
    box.y >= outer.y - 1 && box.y + box.height <= outer.y + outer.height + 1;
  if (!inside({ x: 0, y: 0, width: size.width, height: size.height })) return false;
  if (!within) return true;
  const outer = await within.boundingBox();
  return outer !== null && inside(outer);
}

/** The full (not reference) row of an epic in the tree. */
export function treeRow(page: Page, epic: string): Locator {
  return page.locator(`#tree [role="treeitem"][data-epic="${epic}"]:not([data-ref])`);
}

/** Does the server answer SPEC section 8 (history, the event stream)? Read from its OpenAPI document. */
export async function serverHasEvents(running: RunningApp): Promise<boolean> {
  const document = (await (await running.api('GET', '/docs/json')).json()) as { paths: Record<string, unknown> };
  return '/v1/events/stream' in document.paths && '/v1/epics/{epicId}/history' in document.paths;
}

/**
 * Console errors a page logged, with the address of the resource when there is one.
 * Failed loads of the section 8 routes are left out only while the server lacks them.
 */
export function watchConsole(page: Page): { errors(allowSection8: boolean, allowed?: RegExp): string[] } {
  const seen: Array<{ text: string; url: string }> = [];
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push({ text: message.text(), url: message.location().url ?? '' });
  });
  return {
    errors: (allowSection8, allowed) =>
      seen
        .filter(({ text, url }) => !allowed?.test(`${url} ${text}`))
        .filter(
          ({ text, url }) =>
            !(allowSection8 && /\/v1\/(events\/stream|epics\/[^/]+\/history)|EventSource/.test(`${url} ${text}`)),
        )
        .map(({ text, url }) => `${text} ${url}`),
  };
}

/**
 * Closes a test's page and service. A step over 5 s is reported (once a suite hung here
 * for 60 s on a busy machine); connections still open are cut so that the service's close
 * never waits for a client.
 */
export async function closePageAndApp(page: Page | undefined, running: RunningApp | undefined): Promise<void> {
  const timed = async (name: string, step: () => Promise<unknown>) => {
    const started = Date.now();
    const warn = setTimeout(() => console.warn(`${name} takes over 5 s`), 5_000);
    await step();
    clearTimeout(warn);
    if (Date.now() - started > 5_000) console.warn(`${name} took ${Date.now() - started} ms`);
  };
  if (page) await timed('closing the page', () => page.close());
  if (running) {
    running.app.server.closeAllConnections();
    await timed('closing the service', () => running.app.close());
  }
}
