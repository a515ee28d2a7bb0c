/**
 * Browser end-to-end of the layout editor (the manual's Layout button) in Debian Chromium:
 * the Layouts menu, a live preview with the manual's sample data under the shell's CSP, warnings
 * for unknown $WORDs, inserting a variable, save, a broken template named by line, reset, and the
 * Layout button other views embed. Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots.
 */
import type { Frame } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultLayout } from '../../layouts/index.js';
import { builtinPlugins } from '../../plugins/index.js';
import type { Layout } from '../../plugins/layouts/tokens.js';
import { createTestKernel, definePlugin, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const V = 'kw-app >>> kw-layouts-view >>> ';
const E = V + 'kw-layout-editor >>> ';
const ID = 'e2e.user-letter';

/** Contributes the user initiation letter as the letters plugin does. */
const letters = definePlugin({
  id: 'e2e',
  activate(ctx) {
    ctx.layouts.register({ id: ID, label: 'User initiation letter', ...defaultLayout('user-initiation') });
  },
});

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;

const show = () => tk.kernel.commands.execute('layouts.show', { id: ID }) as unknown as Promise<Layout>;
const text = (selector: string) => session.find(selector).then((h) => h.evaluate((e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
const waitText = (selector: string, wanted: string) =>
  session.waitUntil(selector, (e, w) => (e.textContent?.replace(/\s+/g, ' ') ?? '').includes(w), wanted);
const click = async (selector: string) => (await session.find(selector)).click();

/** The preview's page, once it shows `wanted`. */
async function previewShowing(root: string, wanted: string): Promise<Frame> {
  const until = Date.now() + 20_000;
  for (;;) {
    const handle = await session.find(root + 'kw-layout-preview >>> iframe');
    const frame = await handle.contentFrame();
    const body = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    if (frame && body.includes(wanted)) return frame;
    if (Date.now() > until) throw new Error(`preview never showed "${wanted}"; it shows: ${body.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  tk = await createTestKernel({ plugins: [...builtinPlugins, letters] });
  shell = await startWebShell(tk.kernel);
  session = await openBrowser();
  await session.page.setViewport({ width: 1400, height: 900 });
  await session.page.goto(shell.url); // carries the session token
  await session.page.goto(new URL('/#/layouts', shell.url).href);
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await tk?.cleanup();
});

describe('layout editor in Chromium', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`layouts-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('lists the layouts and opens one with a styled live preview of the manual\'s sample', async () => {
    await waitText(V + `tr[data-layout="${ID}"]`, 'User initiation letter');
    expect(await text(V + 'tr[data-layout="domains.certificate"]')).toContain('Domain certificate Default');
    await click(V + `tr[data-layout="${ID}"] button.layout`);

    const frame = await previewShowing(E, 'Dear John Göran Smith,');
    const page = await frame.evaluate(() => ({
      text: document.body.innerText,
      // The page's own <style> applies despite the shell's CSP (no inline styles).
      banner: getComputedStyle(document.querySelector('.banner')!).borderTopWidth,
      qr: (document.querySelector('img.qr') as HTMLImageElement).naturalWidth,
    }));
    expect(page.text).toContain('CONTAINS PRIVATE KEYS');
    expect(page.text).toContain('Issued on 7th September 2013 at 20:23 (+02:00) by domain.example.net.');
    expect(page.banner).toBe('2px');
    expect(page.qr).toBeGreaterThan(0);
    expect(await text(E + '#no-warnings')).toBe('No unknown variables.');
    expect(await text(E + '#state')).toBe('Default');
    expect(session.pageErrors).toEqual([]);
  });

  it('previews edits live, warns about unknown $WORDs, inserts a variable and saves', async () => {
    const greeting = await session.find(E + 'textarea[data-field="greeting"]');
    await greeting.click({ count: 3 });
    await session.page.keyboard.press('Backspace');
    await greeting.type('Hello $FIRSTNAME $NOPE, ');
    await previewShowing(E, 'Hello John $NOPE,');
    await waitText(E + '#warnings', 'Unknown variable $NOPE in field "greeting" (left as written).');
    expect(await text(E + '#state')).toBe('Default · unsaved changes');

    await click(E + '#variables summary');
    await click(E + 'tr[data-variable="CRYPTOMONTH"] button');
    await previewShowing(E, 'Hello John $NOPE, September');
    await session.screenshot('layouts-editor');

    await click(E + '#save');
    await waitText(E + '#state', 'Changed');
    expect((await show()).fields.greeting).toBe('Hello $FIRSTNAME $NOPE, $CRYPTOMONTH');
  });

  it('names the line of a broken template and keeps the saved one', async () => {
    await click(E + '#tab-template');
    const box = await session.find(E + '#template');
    await box.click();
    await session.page.keyboard.down('Control');
    await session.page.keyboard.press('End');
    await session.page.keyboard.up('Control');
    await box.type('\n{{#if uri}}');
    await waitText(E + '#problem', 'template, line');
    expect(await text(E + '#problem')).toMatch(/^template, line \d+: /);
    expect((await show()).template).toBe(defaultLayout('user-initiation').template);
  });

  it('resets to the default after confirmation', async () => {
    await click(E + '#reset');
    expect(await text('kw-confirm >>> kw-dialog')).toContain('goes back to the default layout');
    await click('kw-confirm >>> #confirm');
    await waitText(E + '#state', 'Default');
    await previewShowing(E, 'Dear John Göran Smith,');
    expect(await show()).toMatchObject({ custom: false, fields: { greeting: 'Dear $FULLNAME,' } });
  });

  it('opens from a Layout button that any view can embed, and closes', async () => {
    await session.page.evaluate(() => {
      const button = document.createElement('kw-layout-button');
      button.setAttribute('layout', 'domains.certificate');
      document.body.append(button);
    });
    const B = 'kw-layout-button >>> ';
    await click(B + '#layout');
    await previewShowing(B + 'kw-layout-editor >>> ', 'Domain certificate of domain.example.net');
    await session.screenshot('layouts-button-dialog');
    await click(B + 'kw-layout-editor >>> #close');
    await session.waitUntil('kw-layout-button', (el) => !el.shadowRoot!.querySelector('dialog')!.open);
    expect(session.pageErrors).toEqual([]);
  });
});
