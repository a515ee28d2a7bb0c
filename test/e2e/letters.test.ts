/**
 * Browser end-to-end of initiation letters in the Users view: Burn PDF enabled only with a burner
 * (a USB-stick folder: devices-folder, the default devices plugin) and a selection, the private-keys warning before burning,
 * the burned PDF's QR code back to valid keys; User Details → View QR on screen, protected with
 * the QR code key shown beside it. Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IDomain } from '../../plugins/domain/tokens.js';
import { builtinPlugins } from '../../plugins/index.js';
import { decodeUserQr, type DecodedUserQr } from '../../plugins/letters/qr-payload.js';
import { readQrPng } from '../../plugins/letters/qr-read.js';
import type { UserDetails } from '../../plugins/users/tokens.js';
import { hexToBytes, validateRsk, validateSsk } from '../../src/crypto/index.js';
import { createTestKernel, definePlugin, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const V = 'kw-app >>> kw-users-view >>> ';
const ACTIONS = V + 'kw-letter-actions >>> ';
const QR = V + 'kw-user-details >>> kw-user-qr >>> ';
const A = '+46706764287';
const B = '+44999888777';

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;
let stick: string;
let domain: IDomain;

const exec = <R,>(id: string, args?: unknown) => tk.kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;
const click = async (selector: string) => (await session.find(selector)).click();
const disabled = (selector: string, wanted: boolean) =>
  session.waitUntil(selector, (e, w) => (e as HTMLButtonElement).disabled === w, wanted, 15_000);

function expectValid(d: DecodedUserQr, mobile: string): void {
  const { kpak, Z } = domain.publicKeys();
  expect(d.uri).toBe(`tel:${mobile}`);
  expect(validateSsk(kpak, d.identity, d.ssk, d.pvt)).toBe(true);
  expect(validateRsk(Z, d.identity, d.rsk)).toBe(true);
}

beforeAll(async () => {
  stick = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-stick-'));
  const probe = definePlugin({ id: 'probe', requires: { domain: IDomain }, activate: (_ctx, deps) => void (domain = deps.domain) });
  tk = await createTestKernel({
    plugins: [...builtinPlugins, probe],
    config: { flags: { 'letters.qrEncryption': true, 'devices.burnFolder': stick } },
  });
  await exec('users.add', { firstName: 'John', lastName: 'Smith', mobile: A, comment: '' });
  await exec('users.add', { firstName: 'Dana', lastName: 'Doe', mobile: B, comment: '' });
  shell = await startWebShell(tk.kernel);
  session = await openBrowser();
  await session.page.goto(shell.url);
  await session.page.goto(new URL('/#/users', shell.url).href);
  await session.find(`${V}kw-user-grid >>> .row[data-mobile="${A}"]`);
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await tk?.cleanup();
  if (stick) await rm(stick, { recursive: true, force: true });
});

describe('Initiation letters in the Users view', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`letters-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('enables Burn PDF only with users selected, warns of private keys, and burns verified letters', async () => {
    await session.find(ACTIONS + '#letters-burn');
    await disabled(ACTIONS + '#letters-burn', true);
    await click(`${V}kw-user-grid >>> .row[data-mobile="${A}"]`);
    await disabled(ACTIONS + '#letters-burn', false);
    await session.screenshot('letters-1-selected');

    await click(ACTIONS + '#letters-burn');
    const said = await (await session.find('kw-confirm >>> kw-dialog')).evaluate((e) => e.textContent?.replace(/\s+/g, ' ') ?? '');
    const heading = await (await session.find('kw-confirm >>> kw-dialog >>> #heading')).evaluate((e) => e.textContent);
    expect(heading).toBe('Burn 1 initiation letter');
    expect(said).toContain('contain the users’ private keys');
    await click('kw-confirm >>> #confirm');
    await session.waitUntil('body', () => !document.querySelector('kw-confirm'));

    // The letter lands in a sub-folder of the stick named by the volume label.
    const until = Date.now() + 30_000;
    let folders: string[] = [];
    while (!folders.length && Date.now() < until) {
      folders = await readdir(stick);
      if (!folders.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(folders).toHaveLength(1);
    await session.waitUntil('kw-toasts >>> [data-kind="success"]', (e, want) => !!e.textContent?.includes(want), `Burned 1 initiation letter as ${folders[0]}`);
    const pdf = await readFile(path.join(stick, folders[0]!, `initiation-${A}.pdf`));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-e2e-letter-'));
    try {
      fs.writeFileSync(path.join(dir, 'l.pdf'), pdf);
      execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', path.join(dir, 'l.pdf'), path.join(dir, 'l')]);
      const key = (await exec<UserDetails>('users.show', { mobile: A })).qrCodeKey!;
      expectValid(decodeUserQr(readQrPng(fs.readFileSync(path.join(dir, 'l.png'))), { qrKey: hexToBytes(key) }), A);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect((await exec<{ records: { target: string }[] }>('log.list', { action: 'letters.burn' })).records.map((r) => r.target)).toEqual([A]);
  });

  it('shows the QR code in User Details only when asked, with the warning and the QR code key', async () => {
    await click(V + '#details');
    const warning = await session.find(QR + '#qr-warning');
    expect(await warning.evaluate((e) => e.textContent)).toContain('contains the user’s private keys');
    expect(await session.page.$(QR + '#qr-image')).toBeNull();
    await click(QR + '#qr-view');
    const img = await session.find(QR + '#qr-image');
    await session.screenshot('letters-2-view-qr');
    const src = await img.evaluate((e) => (e as HTMLImageElement).src);
    const key = (await exec<UserDetails>('users.show', { mobile: A })).qrCodeKey!;
    const shownKey = await (await session.find(V + 'kw-user-details >>> #details-qr-key')).evaluate((e) => e.textContent!.replace(/\s/g, ''));
    expect(shownKey).toBe(key);
    const png = Buffer.from(src.slice('data:image/png;base64,'.length), 'base64');
    expectValid(decodeUserQr(readQrPng(png), { qrKey: hexToBytes(shownKey) }), A);
    await click(QR + '#qr-hide');
    await session.find(QR + '#qr-view');
    expect(await session.page.$(QR + '#qr-image')).toBeNull();
    await click(V + 'kw-user-details >>> #details-close');
  });

  it('disables Burn PDF when the burner goes away', async () => {
    await rm(stick, { recursive: true, force: true });
    await disabled(ACTIONS + '#letters-burn', true);
    expect(session.pageErrors).toEqual([]);
  });
});
