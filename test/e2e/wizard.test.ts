/**
 * Browser end-to-end: a real kernel with the built-in plugins on a temp data dir, the web
 * shell, and Debian Chromium driven by puppeteer-core. The administrator completes the
 * install wizard, sees the menus, opens the event log and verifies its chain.
 * Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots of each screen.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { builtinPlugins } from '../../plugins/index.js';
import { Kernel, definePlugin } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

/** A plugin with a destructive, long, cancellable command and a quick one, and a view (fixtures/demo-ui.ts). */
const demo = {
  purgeStarted: 0,
  purgeAborted: 0,
  plugin: definePlugin({
    id: 'demo',
    activate(ctx) {
      ctx.menus.register({ id: 'demo', label: 'Demo', element: 'kw-demo-view', order: 999 });
      ctx.commands.register({
        id: 'demo.purge',
        title: 'Purge everything',
        destructive: true,
        handler: (_args, c) =>
          new Promise<null>((_resolve, reject) => {
            demo.purgeStarted++;
            c.progress({ done: 3, total: 10, message: 'Purging' });
            c.signal.addEventListener('abort', () => {
              demo.purgeAborted++;
              reject(new Error('aborted'));
            });
          }),
      });
      ctx.commands.register({ id: 'demo.tidy', title: 'Tidy', handler: () => ({ tidied: 4 }) });
    },
  }),
};
/** A plugin that fails to start (added at the restart; kernel.init refuses to install with one). */
const broken = definePlugin({
  id: 'broken',
  activate() {
    throw new Error('the disc burner is unplugged');
  },
});
const PLUGINS = [...builtinPlugins, demo.plugin];
const DEMO_UI = path.join(import.meta.dirname, 'fixtures', 'demo-ui.ts');

const SECRET = 'I1l|O0-shared-SECRET';
const PASSPHRASE = 'a long and calm e2e passphrase';

let dataDir: string;
let kernel: Kernel;
let shell: WebShell;
let session: BrowserSession;
let page: Page;

/** Through kw-app's and the wizard's shadow roots. */
const W = 'kw-app >>> kw-wizard >>> ';

/** A wizard control, once it is there. */
async function wizard(selector: string) {
  await session.find(W + selector);
  return page.locator(W + selector);
}

async function next(): Promise<void> {
  await (await wizard('#next')).click();
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-'));
  kernel = await Kernel.create({ dataDir, plugins: PLUGINS, insecureTestKdf: true });
  shell = await startWebShell(kernel, { extraEntries: [DEMO_UI] });
  session = await openBrowser();
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await kernel?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('web shell in Chromium', () => {
  it('refuses a request without the token', async () => {
    const origin = new URL(shell.url).origin;
    expect((await fetch(`${origin}/`)).status).toBe(401);
    expect((await fetch(`${origin}/app.js`)).status).toBe(401);
    const invoke = await fetch(`${origin}/api/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ command: 'kernel.status' }),
    });
    expect(invoke.status).toBe(401);
  });

  it('completes the install wizard, shows the menus and the event log with kernel.init', async () => {
    onTestFailed(async () => {
      await session.screenshot('failure');
      console.error('Page errors:', session.pageErrors);
    });
    expect(kernel.state).toBe('uninitialised');
    await page.goto(shell.url);
    // The token left the address bar for an HttpOnly cookie.
    expect(page.url()).toBe(new URL('/', shell.url).href);

    await session.find(W + '#new-installation');
    const restore = await session.find(W + '#restore');
    // Offered: the backup plugin brings backup.restore and its form (test/e2e/backup.test.ts restores through it).
    expect(await restore.evaluate((b) => (b as HTMLButtonElement).disabled)).toBe(false);
    await session.screenshot('1-start');
    await (await wizard('#new-installation')).click();

    // License settings: the licence key may stay empty.
    await (await wizard('#systemId')).fill('KW-E2E-01');
    await session.screenshot('2-license');
    await next();

    // Security Domain: required, with the manual's explanation.
    await session.find(W + '.manual');
    await next();
    const domainError = await session.find(W + '#securityDomain-error');
    expect(await domainError.evaluate((e) => e.textContent)).toContain('required');
    // A name the domain plugin refuses: the wizard lets it through, kernel.init names the field.
    await (await wizard('#securityDomain')).fill('<e2e>');
    await session.screenshot('3-domain');
    await next();

    // CRS settings: the shared secret is hidden until revealed, always monospace.
    await (await wizard('#crsAddress')).fill('crs.e2e.example');
    await (await wizard('#crsAccount')).fill('E2EACCOUNT_7');
    await (await wizard('#crsSecret')).fill(SECRET);
    const secret = await session.find(W + '#crsSecret');
    expect(await secret.evaluate((i) => (i as HTMLInputElement).type)).toBe('password');
    expect(await secret.evaluate((i) => getComputedStyle(i).fontFamily)).toMatch(/courier|mono/i);
    await (await wizard('#reveal')).click();
    await page.waitForFunction((i) => (i as HTMLInputElement).type === 'text', {}, secret);
    await session.screenshot('4-crs');
    await next();

    // Passphrase: too short is refused, a mismatch is refused.
    await (await wizard('#passphrase')).fill('short');
    await (await wizard('#passphrase2')).fill('short');
    await next();
    expect(await (await session.find(W + '#passphrase-error')).evaluate((e) => e.textContent)).toContain('12');
    await (await wizard('#passphrase')).fill(PASSPHRASE);
    await (await wizard('#passphrase2')).fill(PASSPHRASE + 'x');
    await next();
    expect(await (await session.find(W + '#passphrase2-error')).evaluate((e) => e.textContent)).toContain('differ');
    await (await wizard('#passphrase2')).fill(PASSPHRASE);
    await session.screenshot('5-passphrase');
    await next();

    // Review shows what was entered, but not the secrets.
    const review = await session.find(W + 'dl');
    const reviewText = await review.evaluate((d) => d.textContent ?? '');
    expect(reviewText).toContain('e2e.example');
    expect(reviewText).toContain('E2EACCOUNT_7');
    expect(reviewText).not.toContain(SECRET);
    expect(reviewText).not.toContain(PASSPHRASE);
    await session.screenshot('6-review');
    await next();

    // The refusal is shown as an error toast with its code, and the wizard returns to the field.
    const toast = await session.find('kw-toasts >>> .toast[data-kind="error"]');
    const toastText = await toast.evaluate((t) => t.textContent ?? '');
    expect(toastText).toContain('securityDomain');
    expect(toastText).toContain('E_INVALID_ARGS');
    const refused = await session.find(W + '#securityDomain-error');
    expect(await refused.evaluate((e) => e.textContent)).toContain('securityDomain');
    await session.screenshot('6b-refused');
    expect(kernel.state).toBe('uninitialised');
    expect(await readdir(dataDir)).toEqual([]);
    await (await wizard('#securityDomain')).fill('e2e.example');
    for (let step = 0; step < 4; step++) await next(); // domain → CRS → passphrase → review → install

    // Ready: the navigation comes from the menu registry.
    await session.find('kw-app >>> nav a[data-menu="log"]');
    expect(kernel.state).toBe('ready');
    const menus = await page.$$eval('kw-app >>> nav a', (as) => as.map((a) => a.textContent?.trim()));
    expect(menus).toContain('Event log');
    expect(menus).toContain('Connected Domains');
    const domainShown = await page.$eval('kw-app >>> header', (h) => h.textContent ?? '');
    expect(domainShown).toContain('e2e.example');
    expect(await page.$('kw-app >>> #problems')).toBeNull();
    await session.screenshot('7-ready');

    await (await session.find('kw-app >>> nav a[data-menu="log"]')).click();
    const initRow = await session.find('kw-app >>> kw-log-view >>> tr[data-action="kernel.init"]');
    expect(await initRow.evaluate((r) => r.textContent ?? '')).not.toContain(SECRET);
    await (await session.find('kw-app >>> kw-log-view >>> #verify')).click();
    const verdict = await session.find('kw-app >>> kw-log-view >>> #verify-result');
    expect(await verdict.evaluate((p) => p.textContent ?? '')).toContain('Chain intact');
    await session.screenshot('8-event-log');

    // The log setting: copying entries to the OS log is off until switched on, and switching is recorded.
    const osSink = await session.find('kw-app >>> kw-log-view >>> #os-sink:not([disabled])');
    expect(await osSink.evaluate((i) => (i as HTMLInputElement).checked)).toBe(false);
    await osSink.click();
    const switched = await session.find('kw-app >>> kw-log-view >>> tr[data-action="log.setOsSink"]');
    expect(await switched.evaluate((r) => r.textContent ?? '')).toContain('on=true');
    expect(await osSink.evaluate((i) => (i as HTMLInputElement).checked)).toBe(true);

    // Nothing was blocked by the Content-Security-Policy or failed in the page.
    expect(session.pageErrors).toEqual([]);
  });

  it('asks for the passphrase after a restart, says plainly when it is wrong, then opens and names a failed plugin', async () => {
    await shell.close();
    await kernel.stop();
    kernel = await Kernel.create({ dataDir, plugins: [...PLUGINS, broken], insecureTestKdf: true });
    expect(kernel.state).toBe('locked');
    shell = await startWebShell(kernel, { extraEntries: [DEMO_UI] });
    await page.goto(shell.url);

    const U = 'kw-app >>> kw-unlock >>> ';
    await (await session.find(U + '#passphrase')).type('not the passphrase');
    await (await session.find(U + 'button[type="submit"]')).click();
    const wrong = await session.find(U + '#passphrase-error');
    expect(await wrong.evaluate((e) => e.textContent)).toBe('Wrong passphrase.');
    expect(kernel.state).toBe('locked');
    await session.screenshot('9-unlock-wrong');

    await page.locator(U + '#passphrase').fill(PASSPHRASE);
    await (await session.find(U + 'button[type="submit"]')).click();
    await session.find('kw-app >>> nav a[data-menu="log"]');
    expect(kernel.state).toBe('ready');
    expect((await kernel.log.list({ action: 'kernel.unlock' })).total).toBe(1);
    // The rest started; the shell says what did not, and why.
    const problems = await session.find('kw-app >>> #problems');
    expect(await problems.evaluate((p) => p.textContent ?? '')).toContain('Plugin "broken" failed to start: the disc burner is unplugged');
    await session.screenshot('9b-unlocked-with-problem');
    expect(session.pageErrors).toEqual([]);
  });

  it('asks before a destructive command, shows its progress, cancels it, and notifies results', async () => {
    await page.goto(new URL('/#/demo', shell.url).href);
    const D = 'kw-app >>> kw-demo-view >>> ';

    // Cancel in the confirmation: nothing runs. Cancel has the focus, so Enter cannot destroy by accident.
    await (await session.find(D + '#purge')).click();
    const heading = await session.find('kw-confirm >>> kw-dialog >>> h2');
    expect(await heading.evaluate((h) => h.textContent)).toBe('Purge everything');
    await page.waitForFunction(() => document.querySelector('kw-confirm')?.shadowRoot?.activeElement?.id === 'cancel');
    await session.screenshot('10-confirm');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('kw-confirm'));
    expect(demo.purgeStarted).toBe(0);

    // Confirm: the command runs, its progress bar has a Cancel button that aborts it.
    await (await session.find(D + '#purge')).click();
    await (await session.find('kw-confirm >>> #confirm')).click();
    const bar = await session.find('kw-app >>> kw-activity >>> progress');
    expect(await bar.evaluate((p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max])).toEqual([3, 10]);
    expect(demo.purgeStarted).toBe(1);
    await session.screenshot('11-progress');
    await (await session.find('kw-app >>> kw-activity >>> button')).click();
    const cancelled = await session.find('kw-toasts >>> .toast[data-kind="error"]');
    expect(await cancelled.evaluate((t) => t.textContent ?? '')).toContain('E_CANCELLED');
    expect(demo.purgeAborted).toBe(1);
    expect(await page.$('kw-app >>> kw-activity >>> progress')).toBeNull();

    // A plain command runs without asking and reports success.
    await (await session.find(D + '#tidy')).click();
    const done = await session.find('kw-toasts >>> .toast[data-kind="success"]');
    expect(await done.evaluate((t) => t.textContent ?? '')).toContain('Tidied 4 things.');
    await session.screenshot('12-toasts');
    expect(session.pageErrors).toEqual([]);
  });

  it('pages through the event log, newest first, and shows which record breaks the chain', async () => {
    for (let i = 0; i < 55; i++) await kernel.commands.execute('demo.tidy', null, { actor: 'test' });
    const { total } = await kernel.log.list({ limit: 1 });
    expect(total).toBeGreaterThan(55);
    await page.goto(new URL('/#/log', shell.url).href);
    const L = 'kw-app >>> kw-log-view >>> ';
    await session.find(L + 'tbody tr');
    const firstSeqs = () => page.$$eval(L + 'tbody tr td:first-child', (tds) => tds.map((td) => Number(td.textContent)));
    expect(await page.$eval(L + '.pager span', (e) => e.textContent)).toBe(`1–50 of ${total}`);
    const page1 = await firstSeqs();
    expect(page1).toHaveLength(50);
    expect(page1[0]).toBe(total);
    await (await session.find(L + '#next')).click();
    await page.waitForFunction(
      (sel, want) => document.querySelector('kw-app')?.shadowRoot?.querySelector('kw-log-view')?.shadowRoot?.querySelector(sel)?.textContent === want,
      {},
      '.pager span',
      `51–${total} of ${total}`,
    );
    expect((await firstSeqs()).at(-1)).toBe(1);

    // One changed character in record 2's sealed data.
    const file = path.join(dataDir, 'eventlog.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const at = lines[1]!.indexOf('"data":"') + 20;
    lines[1] = lines[1]!.slice(0, at) + (lines[1]![at] === 'A' ? 'B' : 'A') + lines[1]!.slice(at + 1);
    await writeFile(file, lines.join('\n'));
    await (await session.find(L + '#verify')).click();
    await page.waitForFunction(
      (sel) => document.querySelector('kw-app')?.shadowRoot?.querySelector('kw-log-view')?.shadowRoot?.querySelector(sel)?.classList.contains('bad'),
      {},
      '#verify-result',
    );
    const verdict = await page.$eval(L + '#verify-result', (p) => p.textContent ?? '');
    expect(verdict).toMatch(/^Chain broken at record #2: (?!record 2)/);
    await session.screenshot('13-log-broken');
  });
});
