/**
 * Browser end-to-end of the Settings view: message lifetime (a refused default shown at its field,
 * then the manual's 30 days / 12 hours after the dialog naming the blocked clients), authorised
 * intercept (declined, then confirmed), the shared secret revealed, the CRS changed after the
 * migration warning, the OS log switch; a reload shows everything kept.
 * Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../plugins/index.js';
import type { SettingsView } from '../../plugins/settings/commands.js';
import { createTestKernel, TEST_SETUP, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const V = 'kw-app >>> kw-settings-view >>> ';
const F = V + 'kw-feature-switches >>> ';
const C = V + 'kw-crs-settings >>> ';

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;

const settings = () => tk.kernel.commands.execute('settings.get', undefined, { actor: 'test' }) as unknown as Promise<SettingsView>;
const click = async (selector: string) => (await session.find(selector)).click();
const text = async (selector: string) => ((await (await session.find(selector)).evaluate((e) => e.textContent)) ?? '').replace(/\s+/g, ' ').trim();
const checked = (selector: string, wanted: boolean) => session.waitUntil(selector, (e, w) => (e as HTMLInputElement).checked === w, wanted);
/** The confirmation's heading and body (the heading sits in the dialog's own shadow root). */
const dialogText = async () => `${await text('kw-confirm >>> kw-dialog >>> #heading')} ${await text('kw-confirm >>> kw-dialog')}`;
/** A table's cells, row by row. */
const cells = async (selector: string) =>
  (await session.find(selector)).evaluate((t) => [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim())));

async function fill(selector: string, value: string): Promise<void> {
  const input = await session.find(selector);
  await input.click({ count: 3 });
  await input.type(value);
}

async function openSettings(): Promise<void> {
  await session.page.goto(new URL('/#/settings', shell.url).href);
  await session.find(F + '#lifetime-on');
}

beforeAll(async () => {
  tk = await createTestKernel({ plugins: builtinPlugins });
  shell = await startWebShell(tk.kernel);
  session = await openBrowser();
  await session.page.goto(shell.url); // carries the session token
  await openSettings();
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await tk?.cleanup();
});

describe('Settings view', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`settings-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('is a top-level menu showing the Security Domain, the CRS with the secret hidden, and the compatibility tables', async () => {
    expect(await text('kw-app >>> nav a[data-menu="settings"]')).toBe('Settings');
    expect(await text(V + '#security-domain')).toBe(TEST_SETUP.securityDomain);
    expect(await text(C + '#crs-address')).toBe('crs.example.net');
    expect(await text(C + '#crs-account')).toBe('DEMOACCOUNT_1');
    expect(await text(C + '#crs-secret')).not.toContain(TEST_SETUP.crs.secret);
    expect(await cells(F + 'table.compat[data-feature="authorisedIntercept"]')).toEqual([
      ['', 'CCA-i', 'CCA-a', 'CCA-w', 'CIG'],
      ['Supported', '≥3.22.0', '≥3.23.0', '≥3.7.0', '≥2.8.0'],
      ['Blocked', '<3.19.0', '<3.20.0', '<3.7.0', '<2.8.0'],
    ]);
    expect((await cells(F + 'table.compat[data-feature="multipath"]'))[2]).toEqual(['Blocked', 'None', 'None', 'None', 'None']);
    expect(await text(F + '[data-feature="channels"] .note')).toContain('Users running earlier versions should not be added to any channel');
    await session.screenshot('settings-1-view');
  });

  it('sets the message lifetime: a default above the maximum is refused at its field, the manual’s example is kept after the dialog', async () => {
    await click(F + '#lifetime-on');
    await fill(F + '#lifetime-max', '30');
    await (await session.find(F + '#lifetime-max-unit')).select('days');
    await fill(F + '#lifetime-default', '31');
    await (await session.find(F + '#lifetime-default-unit')).select('days');
    await click(F + '#lifetime-save');
    const error = await session.waitUntil(F + '#lifetime-default-error', (e) => !!e.textContent?.includes('up to the maximum'));
    expect(await error.evaluate((e) => e.textContent)).toContain('Must be a whole number of seconds from 3600 (1 hour) up to the maximum, 2592000 (30 days)');
    expect((await settings()).features.messageLifetime).toBeNull();

    await fill(F + '#lifetime-default', '12');
    await (await session.find(F + '#lifetime-default-unit')).select('hours');
    await click(F + '#lifetime-save');
    const said = await dialogText();
    expect(said).toContain('Switch on Message lifetime?');
    expect(said).toContain('Cryptify Call for iPhone (CCA-i) <3.18.0');
    expect(said).toContain('Cryptify Interconnect Gateway (CIG) <2.5.0');
    await click('kw-confirm >>> #confirm');
    await session.waitUntil(F + '#lifetime-default-unit', (e) => (e as HTMLSelectElement).value === 'hours');
    const until = Date.now() + 10_000;
    while ((await settings()).features.messageLifetime === null && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect((await settings()).features.messageLifetime).toEqual({ maxSeconds: 30 * 86_400, defaultSeconds: 12 * 3600 });
  });

  it('asks before switching on authorised intercept, naming the blocked versions; declining keeps it off', async () => {
    await click(F + '#switch-authorisedIntercept');
    const said = await dialogText();
    expect(said).toContain('Switch on Authorized intercept with minimal key exposure?');
    for (const v of ['(CCA-i) <3.19.0', '(CCA-a) <3.20.0', '(CCA-w) <3.7.0', '(CIG) <2.8.0']) expect(said).toContain(v);
    await click('kw-confirm >>> #cancel');
    await checked(F + '#switch-authorisedIntercept', false);
    expect((await settings()).features.authorisedIntercept).toBe(false);

    await click(F + '#switch-authorisedIntercept');
    await session.find('kw-confirm >>> kw-dialog');
    await click('kw-confirm >>> #confirm');
    await checked(F + '#switch-authorisedIntercept', true);
    const until = Date.now() + 10_000;
    while (!(await settings()).features.authorisedIntercept && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect((await settings()).features.authorisedIntercept).toBe(true);
    // Multipath blocks nobody: no question.
    await click(F + '#switch-multipath');
    await checked(F + '#switch-multipath', true);
    expect(await session.page.$('kw-confirm')).toBeNull();
  });

  it('reveals the shared secret in monospace, and hides it again', async () => {
    await click(C + '#crs-reveal');
    await session.waitUntil(C + '#crs-secret', (e, s) => e.textContent === s, TEST_SETUP.crs.secret);
    const font = await (await session.find(C + '#crs-secret')).evaluate((e) => getComputedStyle(e).fontFamily);
    expect(font).toMatch(/Courier|Mono|monospace/i);
    await click(C + '#crs-reveal');
    await session.waitUntil(C + '#crs-secret', (e, s) => e.textContent !== s, TEST_SETUP.crs.secret);
  });

  it('changes the CRS after the migration warning and lists the change', async () => {
    await click(C + '#crs-change');
    expect(await text(C + '#crs-warning')).toContain('Users added after the change are directed to the new CRS at once, even for the current month');
    await fill(C + '#crs-new-address', 'crs2.example.org');
    await fill(C + '#crs-new-account', 'NEW_ACCOUNT');
    await fill(C + '#crs-new-secret', 'new-shared-secret-1');
    await click(C + '#crs-save');
    const said = await dialogText();
    expect(said).toContain('The CRS becomes crs2.example.org (account NEW_ACCOUNT) with a new shared secret.');
    expect(said).toContain('Users added after the change are directed to the new CRS at once');
    await click('kw-confirm >>> #confirm');
    await session.waitUntil(C + '#crs-address', (e) => e.textContent === 'crs2.example.org');
    const [, newest, oldest] = await cells(C + '#crs-history');
    expect(newest!.slice(1)).toEqual(['Changed', 'crs2.example.org', 'NEW_ACCOUNT', 'replaced']);
    expect(oldest!.slice(1)).toEqual(['Installed', 'crs.example.net', 'DEMOACCOUNT_1', 'set']);
    const s = await settings();
    expect(s.crsHistory.map((h) => h.address)).toEqual(['crs.example.net', 'crs2.example.org']);
    expect(await (tk.kernel.commands.execute('settings.revealCrsSecret') as Promise<{ secret: string }>)).toEqual({ secret: 'new-shared-secret-1' });
  });

  it('switches the OS event log copy', async () => {
    await click(V + '#os-sink');
    await checked(V + '#os-sink', true);
    const until = Date.now() + 10_000;
    let on = false;
    while (!on && Date.now() < until) on = ((await tk.kernel.commands.execute('log.osSink')) as { on: boolean }).on;
    expect(on).toBe(true);
  });

  it('shows every value kept after a reload', async () => {
    await session.page.reload();
    await openSettings();
    await checked(F + '#lifetime-on', true);
    await session.waitUntil(F + '#lifetime-max', (e) => (e as HTMLInputElement).value === '30');
    expect(await (await session.find(F + '#lifetime-max-unit')).evaluate((e) => (e as HTMLSelectElement).value)).toBe('days');
    expect(await (await session.find(F + '#lifetime-default')).evaluate((e) => (e as HTMLInputElement).value)).toBe('12');
    expect(await (await session.find(F + '#lifetime-default-unit')).evaluate((e) => (e as HTMLSelectElement).value)).toBe('hours');
    await checked(F + '#switch-authorisedIntercept', true);
    await checked(F + '#switch-multipath', true);
    await checked(F + '#switch-channels', true);
    await checked(V + '#os-sink', true);
    expect(await text(C + '#crs-address')).toBe('crs2.example.org');
    expect(await text(C + '#crs-account')).toBe('NEW_ACCOUNT');
    expect(await session.page.$$eval('kw-app >>> kw-settings-view >>> kw-crs-settings >>> #crs-history tbody tr', (rows) => rows.length)).toBe(2);
    await session.screenshot('settings-2-reloaded');
    expect(session.pageErrors).toEqual([]);
  });
});
