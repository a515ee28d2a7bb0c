/**
 * Browser end-to-end of Backup/Restore: a ready kernel with the built-in plugins (cheap scrypt for
 * the vault; the backup itself uses the real cost), the web shell and Debian Chromium. The
 * administrator burns a backup to the folder device, a user is deleted, the backup is restored
 * (asked first) with the administrator passphrase of the backup, and the user is back. Then a new
 * machine's install wizard restores the same backup through "Restore from backup", and another
 * new machine is installed through the wizard as the replacement of a compromised CMS (its
 * fingerprint entered; a malformed one is named at its field) and refuses that CMS's backup.
 * Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots of each screen.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../plugins/index.js';
import { Kernel, createTestKernel, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const V = 'kw-app >>> kw-backup-view >>> ';
const R = V + 'kw-backup-restore >>> ';
const WIZARD_R = 'kw-app >>> kw-wizard >>> kw-backup-restore >>> ';
const ROW = (mobile: string) => `kw-app >>> kw-users-view >>> kw-user-grid >>> .row[data-mobile="${mobile}"]`;
const BACKUP_PASSPHRASE = 'a backup phrase kept in the safe';

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;
let page: Page;
let backupFile: string;
const extra: (() => Promise<unknown>)[] = [];

const text = (selector: string) => session.find(selector).then((h) => h.evaluate((e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
const click = async (selector: string) => (await session.find(selector)).click();
async function type(selector: string, value: string): Promise<void> {
  await (await session.find(selector)).type(value);
}
const mobiles = async (k: Kernel) => ((await k.commands.execute('users.list', {})) as { users: { mobile: string }[] }).users.map((u) => u.mobile);

/** Fill the restore form at `prefix` and submit it with Enter (a click could land on the burn's toast above the button). */
async function restoreWith(prefix: string, file: string): Promise<void> {
  const input = (await session.find(prefix + '#backup-file')) as unknown as { uploadFile(f: string): Promise<void> };
  await input.uploadFile(file);
  await session.waitUntil(prefix + '#restore-go', (b) => !(b as HTMLButtonElement).disabled);
  await type(prefix + '#backup-passphrase', BACKUP_PASSPHRASE);
  const admin = await session.find(prefix + '#admin-passphrase');
  await admin.type(tk.passphrase);
  await admin.press('Enter');
}

beforeAll(async () => {
  tk = await createTestKernel({ plugins: builtinPlugins });
  await tk.kernel.commands.execute('users.add', { firstName: 'Anna', lastName: 'Berg', mobile: '+46706764287' });
  await tk.kernel.commands.execute('users.add', { firstName: 'Bo', lastName: 'Ek', mobile: '+46706764288' });
  shell = await startWebShell(tk.kernel);
  session = await openBrowser();
  page = session.page;
  await page.goto(shell.url); // signs the page in
  await page.goto(new URL('/#/backup', shell.url).href);
  await session.find(V + '#backup-warning').catch(async (err: unknown) => {
    console.error('Page errors:', session.pageErrors, await page.evaluate(() => document.querySelector('kw-app')?.shadowRoot?.innerHTML.slice(0, 3000)));
    throw err;
  });
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  for (const c of extra.reverse()) await c();
  await tk?.cleanup();
});

describe('Backup/Restore in Chromium', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`backup-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('burns a backup to the folder device, saying it holds every key', async () => {
    expect(await text(V + '#backup-warning')).toContain('contains all cryptographic keys of the system');
    await session.waitUntil(V + '#burn', (b) => !(b as HTMLButtonElement).disabled);
    await type(V + '#backup-passphrase', BACKUP_PASSPHRASE);
    await type(V + '#backup-passphrase-again', 'a different phrase altogether');
    await click(V + '#burn');
    expect(await text(V + '#backup-error')).toBe('The two passphrases differ.');
    const again = await session.find(V + '#backup-passphrase-again');
    await again.click({ count: 3 });
    await page.keyboard.press('Backspace');
    await again.type(BACKUP_PASSPHRASE);
    await click(V + '#burn');
    await session.waitUntil('kw-toasts', (e) => /Burned the backup .* and verified it/.test(e.shadowRoot?.textContent ?? ''), undefined, 60_000);
    await session.screenshot('backup-1-burned');
    const burnDir = path.join(tk.dataDir, 'outbox', 'burn');
    const [volume] = await readdir(burnDir);
    expect(volume).toMatch(/^KEYWARD_BACKUP_\d{8}$/);
    const [name] = await readdir(path.join(burnDir, volume!));
    expect(name).toMatch(/^keyward-backup-\d{8}-\d{6}\.kwbackup$/);
    backupFile = path.join(burnDir, volume!, name!);
  }, 90_000);

  it('restores the backup after a user was deleted, and the user is there again', async () => {
    await tk.kernel.commands.execute('users.delete', { mobiles: ['+46706764287'] });
    expect(await mobiles(tk.kernel)).toEqual(['+46706764288']);
    await restoreWith(R, backupFile);
    // Asked first: it replaces all data.
    expect(await text('kw-confirm >>> kw-dialog')).toContain('Replace all data of this installation');
    await click('kw-confirm >>> #confirm');
    await session.waitUntil('kw-toasts', (e) => /Restored test\.example from the backup of/.test(e.shadowRoot?.textContent ?? ''), undefined, 60_000);
    await session.screenshot('backup-2-restored');
    expect(tk.kernel.state).toBe('ready');
    expect(await mobiles(tk.kernel)).toEqual(['+46706764287', '+46706764288']);
    await page.goto(new URL('/#/users', shell.url).href);
    await session.find(ROW('+46706764287'));
  }, 90_000);

  it('restores the backup on a new machine from the install wizard', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-new-')), 'data');
    extra.push(() => rm(path.dirname(dataDir), { recursive: true, force: true }));
    const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
    extra.push(() => kernel.stop());
    const wizardShell = await startWebShell(kernel);
    extra.push(() => wizardShell.close());
    await page.goto(wizardShell.url);
    await session.waitUntil('kw-app >>> kw-wizard >>> #restore', (b) => !(b as HTMLButtonElement).disabled);
    await click('kw-app >>> kw-wizard >>> #restore');
    expect(await text(WIZARD_R + 'form')).toContain('the installation checksum changes');
    await restoreWith(WIZARD_R, backupFile);
    await session.find(ROW('+46706764287'), 60_000);
    await session.screenshot('backup-3-wizard-restored');
    expect(kernel.state).toBe('ready');
    expect(await mobiles(kernel)).toEqual(['+46706764287', '+46706764288']);
  }, 120_000);

  it('installs a replacement for a compromised CMS from the wizard, which then refuses that CMS’s backup', async () => {
    const { fingerprint } = (await tk.kernel.commands.execute('domains.certificate')) as { fingerprint: string };
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-replacement-')), 'data');
    extra.push(() => rm(path.dirname(dataDir), { recursive: true, force: true }));
    const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins, insecureTestKdf: true });
    extra.push(() => kernel.stop());
    const wizardShell = await startWebShell(kernel);
    extra.push(() => wizardShell.close());
    const W = 'kw-app >>> kw-wizard >>> ';
    const fill = async (selector: string, value: string) => {
      await session.find(W + selector);
      await page.locator(W + selector).fill(value);
    };
    const next = () => click(W + '#next');
    await page.goto(wizardShell.url);
    await click(W + '#new-installation');
    await next(); // licence settings may stay empty
    await fill('#securityDomain', 'replacement.example');
    await fill('#compromised', '12AB 34CD'); // not a fingerprint: kernel.init names the field
    await next();
    await fill('#crsAddress', 'crs.example.net');
    await fill('#crsAccount', 'NEWACCOUNT_1');
    await fill('#crsSecret', 'a-new-shared-secret');
    await next();
    await fill('#passphrase', tk.passphrase);
    await fill('#passphrase2', tk.passphrase);
    await next();
    expect(await text(W + 'dl')).toContain('12AB 34CD');
    await next();
    expect(await text(W + '#compromised-error')).toContain('not a domain fingerprint');
    await fill('#compromised', fingerprint.toLowerCase());
    for (let i = 0; i < 4; i++) await next(); // domain → CRS → passphrase → review → install
    await session.find('kw-app >>> kw-users-view', 60_000);
    expect(kernel.state).toBe('ready');
    expect(await kernel.commands.execute('backup.compromisedDomains')).toEqual([fingerprint]);
    const contentBase64 = (await readFile(backupFile)).toString('base64');
    await expect(
      kernel.commands.execute('backup.restore', { fileName: 'old.kwbackup', contentBase64, backupPassphrase: BACKUP_PASSPHRASE, passphrase: tk.passphrase, confirmOtherDomain: true }),
    ).rejects.toMatchObject({ code: 'E_BACKUP_COMPROMISED', message: expect.stringContaining('master keys of the system are compromised') });
  }, 120_000);
});
