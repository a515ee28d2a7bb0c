/**
 * Browser end-to-end of licensing on a deployment whose config holds the vendor's verifying key:
 * the install wizard shows a bad licence key's refusal at the licence field and installs with a
 * temporary key made by `keyward-license`; Settings → Licence shows the checksum, a key issued by
 * the vendor tool for it is verified and saved, and the new user limit shows. A deployment without
 * a verifying key shows the unlicensed note. Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../plugins/index.js';
import type { LicenseStatus } from '../../plugins/license/tokens.js';
import { CONFIG_FILE, Kernel, createTestKernel, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const W = 'kw-app >>> kw-wizard >>> ';
const V = 'kw-app >>> kw-license-view >>> ';
const VENDOR_BIN = path.resolve(import.meta.dirname, '../../bin/keyward-license.js');
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

let vendorDir: string;
let dataDir: string;
let kernel: Kernel;
let shell: WebShell;
let session: BrowserSession;
let secretKeyFile: string;

/** The real vendor tool, as the supplier runs it. */
const vendor = (...args: string[]) => execFileSync(process.execPath, [VENDOR_BIN, ...args], { encoding: 'utf8' }).trim();
const issue = (...args: string[]) => vendor('issue', '--key', secretKeyFile, '--system-id', 'ACME-E2E', ...args);
const text = async (selector: string) => (await session.find(selector)).evaluate((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());

async function fill(selector: string, value: string): Promise<void> {
  await session.find(selector);
  await session.page.locator(selector).fill(value);
}

beforeAll(async () => {
  vendorDir = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-vendor-'));
  const publicKey = vendor('keygen', '--out', vendorDir);
  secretKeyFile = path.join(vendorDir, 'keyward-license-signing.key');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-license-'));
  await writeFile(path.join(dataDir, CONFIG_FILE), JSON.stringify({ licenseVerifyingKey: publicKey }));
  kernel = await Kernel.create({ dataDir, plugins: builtinPlugins, insecureTestKdf: true });
  shell = await startWebShell(kernel);
  session = await openBrowser();
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await kernel?.stop();
  for (const dir of [dataDir, vendorDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('licence in the browser', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`license-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('the wizard shows a bad licence key’s refusal at the field, then installs with the vendor’s temporary key', async () => {
    const temporary = issue('--max-users', '2', '--expires', inDays(20));
    const page = session.page;
    await page.goto(shell.url);
    await (await session.find(W + '#new-installation')).click();
    await fill(W + '#systemId', 'ACME-E2E');
    // One character changed: the signature no longer verifies.
    await fill(W + '#licenseKey', temporary.slice(0, 12) + (temporary[12] === 'A' ? 'B' : 'A') + temporary.slice(13));
    await (await session.find(W + '#next')).click();
    await fill(W + '#securityDomain', 'licence.e2e.example');
    await (await session.find(W + '#next')).click();
    await fill(W + '#crsAddress', 'crs.e2e.example');
    await fill(W + '#crsAccount', 'E2EACCOUNT_9');
    await fill(W + '#crsSecret', 'e2e-shared-secret-1');
    await (await session.find(W + '#next')).click();
    await fill(W + '#passphrase', 'a long and calm e2e passphrase');
    await fill(W + '#passphrase2', 'a long and calm e2e passphrase');
    await (await session.find(W + '#next')).click();
    await session.find(W + 'dl'); // review
    await (await session.find(W + '#next')).click();

    const error = await session.waitUntil(W + '#licenseKey-error', (e) => !!e.textContent?.includes('signature does not verify'));
    expect(await error.evaluate((e) => e.textContent)).toContain('the licence key’s signature does not verify');
    expect(kernel.state).toBe('uninitialised');
    await session.screenshot('license-1-wizard-refused');

    await fill(W + '#licenseKey', temporary.toLowerCase());
    await (await session.find(W + '#next')).click(); // to the Security Domain; everything else is kept
    for (let i = 0; i < 4; i++) await (await session.find(W + '#next')).click();
    await session.waitUntil('kw-app', () => true);
    for (let i = 0; i < 100 && kernel.state !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(kernel.state).toBe('ready');
    // The refusal's lasting toast was about the wizard: it goes with it instead of covering the app's buttons.
    const errorToasts = () => session.page.evaluate(() => document.querySelector('kw-toasts')?.shadowRoot?.querySelectorAll('[data-kind="error"]').length ?? 0);
    for (let i = 0; i < 50 && (await errorToasts()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await errorToasts()).toBe(0);
  });

  it('Settings → Licence shows the checksum; a key the vendor tool issued for it raises the user limit', async () => {
    await session.page.goto(new URL('/#/license', shell.url).href);
    await session.page.reload(); // a fresh page: the install's passing toast would cover the Save button for its 5 s
    const status = await kernel.commands.execute<LicenseStatus & Record<string, never>>('license.show');
    await session.waitUntil(V + '[data-field="checksum"]', (e, c) => e.textContent === c, status.checksum);
    expect(await text(V + '[data-field="systemId"]')).toBe('ACME-E2E');
    expect(await text(V + '[data-field="state"]')).toBe(`Temporary — until ${inDays(20)}`);
    expect(await text(V + '[data-field="users"]')).toBe('0 of 2');
    expect(await text(V + '[data-field="message"]')).toContain(`send the System ID ACME-E2E and this installation's checksum ${status.checksum}`);
    expect(await (await session.find(V + '[data-field="checksum"]')).evaluate((e) => getComputedStyle(e).fontFamily)).toMatch(/courier|mono/i);
    await session.screenshot('license-2-temporary');

    // A permanent key for another installation is refused at the field; nothing changes.
    const foreignKey = issue('--max-users', '25', '--checksum', 'AB'.repeat(16));
    await fill(V + '#licenseKey', foreignKey);
    await (await session.find(V + '#save-license')).click();
    const refused = await session.waitUntil(V + '#licenseKey-error', (e) => !!e.textContent?.includes('ABAB-ABAB'));
    expect(await refused.evaluate((e) => e.textContent)).toContain(`this installation's is ${status.checksum}`);

    // The checksum as the page shows it is what the administrator sends the supplier.
    const shown = await text(V + '[data-field="checksum"]');
    await fill(V + '#licenseKey', issue('--max-users', '25', '--checksum', shown));
    await (await session.find(V + '#verify-license')).click();
    expect(await (await session.waitUntil(V + '#verified', (e) => !!e.textContent)).evaluate((e) => e.textContent)).toContain(
      'A valid permanent licence for 25 users, System ID ACME-E2E.',
    );
    expect(await text(V + '[data-field="users"]')).toBe('0 of 2'); // verified, not stored yet
    await (await session.find(V + '#save-license')).click();
    await session.waitUntil(V + '[data-field="users"]', (e) => e.textContent === '0 of 25');
    expect(await text(V + '[data-field="state"]')).toBe('Valid');
    expect(await text(V + '[data-field="message"]')).toBe('Licensed for 25 users.');
    expect(await kernel.commands.execute('license.show')).toMatchObject({ state: 'valid', userLimit: 25 });
    await session.screenshot('license-3-permanent');
  });

  it('a deployment without a verifying key shows the unlicensed note and no New License form', async () => {
    let open: TestKernel | undefined;
    let openShell: WebShell | undefined;
    try {
      open = await createTestKernel({ plugins: builtinPlugins });
      openShell = await startWebShell(open.kernel);
      await session.page.goto(openShell.url);
      await session.page.goto(new URL('/#/license', openShell.url).href);
      expect(await text(V + '#unlicensed-note')).toContain('this one has none, so any number of users may be added');
      expect(await text(V + '[data-field="state"]')).toBe('Unlicensed (no user limit)');
      expect(await session.page.$(V + '#licenseKey')).toBeNull();
    } finally {
      await openShell?.close();
      await open?.cleanup();
    }
  });
});
