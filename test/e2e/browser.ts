/**
 * What every browser end-to-end test shares: Debian Chromium launched by puppeteer-core with
 * DESIGN.md §8's flags on a throw-away profile, page errors collected, polling lookups that see
 * into shadow roots, and screenshots when KEYWARD_SCREENSHOTS=<dir> is set.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { CHROMIUM_FLAGS, CHROMIUM_INSTALL_HINT, findChromium } from '../../src/shell/chromium.js';

/** apt may still be installing Chromium when the suite starts; wait this long for it. */
const CHROMIUM_WAIT_MS = 90_000;


async function waitForChromium(): Promise<string> {
  const until = Date.now() + CHROMIUM_WAIT_MS;
  for (;;) {
    const found = findChromium();
    if (found) return found;
    if (Date.now() > until) throw new Error(`Browser end-to-end tests need Chromium. ${CHROMIUM_INSTALL_HINT}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export interface BrowserSession {
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors (a CSP refusal is one), in order. */
  pageErrors: string[];
  /**
   * Wait for an element by polling. (page.waitForSelector watches the document for mutations,
   * and changes inside shadow roots are not mutations of the document.)
   */
  find(selector: string, timeoutMs?: number): Promise<ElementHandle<Element>>;
  /**
   * Poll until `check(element, arg)` holds, e.g. a text has appeared. `check` runs in the page:
   * it sees only its arguments (`arg` must be JSON), no variables of the test.
   */
  waitUntil<A = undefined>(selector: string, check: (el: Element, arg: A) => boolean, arg?: A, timeoutMs?: number): Promise<ElementHandle<Element>>;
  /** Save a full-page screenshot as keyward-<name>.png in $KEYWARD_SCREENSHOTS, if set. */
  screenshot(name: string): Promise<void>;
  /** Close the browser and delete its profile. */
  close(): Promise<void>;
}

/** Launch Chromium (waiting for apt if need be) with one 1200×800 page; `args` adds flags (e.g. a fake camera). */
export async function openBrowser(opts: { args?: string[] } = {}): Promise<BrowserSession> {
  const executablePath = await waitForChromium();
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-profile-'));
  const browser = await puppeteer.launch({ executablePath, headless: false, args: [...CHROMIUM_FLAGS, ...(opts.args ?? [])], userDataDir: profileDir });
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 800 });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });

  const waitUntil = async <A>(selector: string, check: (el: Element, arg: A) => boolean, arg?: A, timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const handle = await page.$(selector);
      if (handle && (await handle.evaluate(check as (el: Element, arg: unknown) => boolean, arg))) return handle;
      if (Date.now() > until) {
        const seen = handle ? ` to satisfy ${String(check)}; its text: ${JSON.stringify((await handle.evaluate((e) => e.textContent ?? '')).replace(/\s+/g, ' ').slice(0, 200))}` : '';
        throw new Error(`Timed out waiting for ${selector}${seen}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    browser,
    page,
    pageErrors,
    find: (selector, timeoutMs) => waitUntil(selector, () => true, undefined, timeoutMs),
    waitUntil,
    async screenshot(name) {
      const dir = process.env.KEYWARD_SCREENSHOTS;
      if (dir) await page.screenshot({ path: path.join(dir, `keyward-${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
