import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createMemoryStore } from '../../src/repo/memory-store.js';
import { TEST_ENV } from '../helpers/test-app.js';

export const API_KEY = 'browser-test-key';

export { SPEC_EXAMPLE } from '../helpers/backlogs.js';
export { DAG } from '../helpers/dag-example.js';

export interface RunningApp {
  app: FastifyInstance;
  baseUrl: string;
  /** A request to the API; writes carry the test key. */
  api(method: string, path: string, body?: unknown): Promise<Response>;
}

/** The whole service in this process on a free loopback port: memory store, auth on for writes. */
export async function startApp(): Promise<RunningApp> {
  // Load shedding off, as in every test but the one of the shedding itself (test/hostile/overload.test.ts).
  const config = loadConfig({ ...TEST_ENV, API_KEYS: API_KEY });
  const app = await buildApp({ config, store: createMemoryStore() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    api: (method, path, body) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${API_KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, on a fresh profile; never a downloaded browser. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'dashboard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What a page reports about itself: console errors, uncaught errors and CSP violations. */
export interface PageProblems {
  console: string[];
  errors: string[];
  csp(page: Page): Promise<string[]>;
}

/**
 * Watches a page before it loads. CSP violations are counted twice over: Chromium's
 * console message, and the page's own `securitypolicyviolation` events (the listener
 * is installed through the DevTools protocol, which the policy does not cover).
 */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems = {
    console: [] as string[],
    errors: [] as string[],
    async csp(target: Page): Promise<string[]> {
      const seen = (await target.evaluate('window.__cspViolations ?? []')) as string[];
      return [...seen, ...problems.console.filter((text) => /Content Security Policy/i.test(text))];
    },
  };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.console.push(message.text());
  });
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  await page.addInitScript(`
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
    });
  `);
  return problems;
}

/**
 * Runs in the page: every visible element with text of its own, its text colour against
 * the first opaque background behind it (WCAG 2 contrast ratio). Answers those under
 * 4.5:1 (AA for normal text), as `tag#id.class "text" ratio`.
 */
export const LOW_CONTRAST_SCRIPT = `(() => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (node) => {
    for (let at = node; at; at = at.parentElement) {
      const color = rgb(getComputedStyle(at).backgroundColor);
      if (color.length === 3 || (color.length === 4 && color[3] === 1)) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const node of document.querySelectorAll('body *')) {
    const text = [...node.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    if (!text || node.getClientRects().length === 0 || node.closest('.visually-hidden')) continue;
    const style = getComputedStyle(node);
    if (style.visibility === 'hidden' || Number(style.opacity) < 1) continue;
    const a = luminance(rgb(style.color));
    const b = luminance(background(node));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(node.tagName + '#' + node.id + '.' + node.className + ' "' + text.slice(0, 30) + '" ' + ratio.toFixed(2));
  }
  return low;
})()`;
