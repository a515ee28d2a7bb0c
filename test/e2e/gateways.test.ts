/**
 * Browser end-to-end of the Gateways view: add (fewer than three engines refused with the
 * manual's reason), edit, Burn PDF with the folder device (enabled only with a selection) and
 * every engine's QR code read back from the burned PDF, then delete after confirmation.
 * Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IDomain } from '../../plugins/domain/tokens.js';
import { IKeys } from '../../plugins/keys/tokens.js';
import { decodeEngineQr } from '../../plugins/gateways/engine-qr.js';
import type { GatewaySummary } from '../../plugins/gateways/tokens.js';
import { builtinPlugins } from '../../plugins/index.js';
import { readQrPng } from '../../plugins/letters/qr-read.js';
import { validateRsk, validateSsk } from '../../src/crypto/index.js';
import { createTestKernel, definePlugin, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const V = 'kw-app >>> kw-gateways-view >>> ';

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;
let stick: string;
let domain: IDomain;
let keys: IKeys;

const exec = <R,>(id: string, args?: unknown) => tk.kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;
const click = async (selector: string) => (await session.find(selector)).click();
const disabled = (selector: string, wanted: boolean) => session.waitUntil(selector, (e, w) => (e as HTMLButtonElement).disabled === w, wanted, 15_000);
const list = async () => (await exec<{ gateways: GatewaySummary[] }>('gateways.list')).gateways;

/** Set an input's value as typing would leave it (the form reads it on submit). */
async function fill(selector: string, value: string): Promise<void> {
  const input = await session.find(selector);
  await input.click({ count: 3 });
  await input.type(value);
}

beforeAll(async () => {
  stick = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-gw-stick-'));
  const probe = definePlugin({
    id: 'probe',
    requires: { domain: IDomain, keys: IKeys },
    activate: (_ctx, deps) => void ({ domain, keys } = deps),
  });
  tk = await createTestKernel({ plugins: [...builtinPlugins, probe], config: { flags: { 'devices.burnFolder': stick } } });
  shell = await startWebShell(tk.kernel);
  session = await openBrowser();
  await session.page.goto(shell.url);
  await session.page.goto(new URL('/#/gateways', shell.url).href);
  await session.find(V + '#add-gateway');
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await tk?.cleanup();
  if (stick) await rm(stick, { recursive: true, force: true });
});

describe('Gateways view', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`gateways-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('refuses fewer than three crypto engines with the manual’s reason, then adds the gateway', async () => {
    await fill(V + '#gw-name', 'CIG Kista');
    await fill(V + '#gw-number', '+8888');
    await fill(V + '#gw-engines', '2');
    await click(V + '#gw-add');
    const error = await session.waitUntil(V + '.error-text', (e) => !!e.textContent?.includes('less than three Crypto Engines'));
    expect(await error.evaluate((e) => e.textContent)).toContain('it is not possible to assign less than three Crypto Engines to a single gateway');
    expect(await list()).toEqual([]);

    await fill(V + '#gw-engines', '3');
    await click(V + '#gw-add');
    await session.find(V + '#gw-list tbody tr');
    const [g] = await list();
    expect(g).toMatchObject({ name: 'CIG Kista', number: '+8888' });
    expect(g!.engines).toHaveLength(3);
    expect(await keys.periods('tel:+8888')).toHaveLength(2);
    await session.screenshot('gateways-1-added');
  });

  it('edits the name and the number of crypto engines of the selected gateway', async () => {
    await disabled(V + '#gw-edit', true);
    await disabled(V + '#gw-burn', true); // a burner but no selection
    await click(V + '#gw-list tbody tr input[type="checkbox"]');
    await disabled(V + '#gw-edit', false);
    await click(V + '#gw-edit');
    await fill(V + '#gw-edit-name', 'CIG Solna');
    await fill(V + '#gw-edit-engines', '4');
    await click(V + '#gw-save');
    await session.waitUntil(V + '#gw-list tbody tr', (e) => !!e.textContent?.includes('CIG Solna') && !!e.textContent?.includes('4'));
    const [g] = await list();
    expect(g).toMatchObject({ name: 'CIG Solna' });
    expect(g!.engines).toHaveLength(4);
  });

  it('re-initiates one crypto engine from the edit form after a confirmation; the others keep theirs', async () => {
    const [before] = await list();
    await click(V + '#gw-edit');
    const old = before!.engines[1]!.id;
    await click(`${V}#gw-engines-list tr[data-engine="${old}"] button.reinit`);
    const said = await (await session.find('kw-confirm >>> kw-dialog')).evaluate((e) => e.textContent?.replace(/\s+/g, ' ') ?? '');
    expect(said).toContain('its current ones are revoked in the next crypto update');
    await click('kw-confirm >>> #confirm');
    await session.waitUntil(`${V}#gw-engines-list tbody tr:nth-child(2)`, (e, id) => e.getAttribute('data-engine') !== id, old);
    const [after] = await list();
    expect(after!.engines.map((e) => e.id)).toEqual([before!.engines[0]!.id, expect.not.stringMatching(old), ...before!.engines.slice(2).map((e) => e.id)]);
    expect(after!.revokedEngines.map((e) => e.id)).toContain(old);
    await click(V + '#edit-gateway button[type="button"]'); // Cancel closes the form
  });

  it('burns the selected gateway’s letters with the folder device; every engine’s QR code reads back; no burner, no Burn PDF', async () => {
    await disabled(V + '#gw-burn', false); // a burner (the stick folder) and a selection
    await click(V + '#gw-burn');
    const said = await (await session.find('kw-confirm >>> kw-dialog')).evaluate((e) => e.textContent?.replace(/\s+/g, ' ') ?? '');
    expect(said).toContain('contain the gateways’ private keys');
    await click('kw-confirm >>> #confirm');
    const until = Date.now() + 60_000;
    let file: string | undefined;
    while (!file && Date.now() < until) {
      const [folder] = await readdir(stick);
      const candidate = folder ? path.join(stick, folder, 'gateway-+8888.pdf') : undefined;
      if (candidate && fs.existsSync(candidate) && (await exec<{ records: unknown[] }>('log.list', { action: 'gateways.letters' })).records.length) file = candidate;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(file).toBeDefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-e2e-gw-letter-'));
    try {
      execFileSync('pdftoppm', ['-r', '150', '-png', file!, path.join(dir, 'p')]);
      const pages = fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
      expect(pages).toHaveLength(4);
      const [g] = await list();
      const { kpak, Z } = domain.publicKeys();
      pages.forEach((p, i) => {
        const d = decodeEngineQr(readQrPng(fs.readFileSync(path.join(dir, p)), p));
        expect(d.engine).toEqual({ index: i + 1, count: 4, id: g!.engines[i]!.id });
        expect(validateSsk(kpak, d.identity, d.ssk, d.pvt)).toBe(true);
        expect(validateRsk(Z, d.identity, d.rsk)).toBe(true);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // The burner (the stick folder) goes away: Burn PDF is disabled though a gateway is selected.
    const [folder] = await readdir(stick);
    await rm(path.join(stick, folder!), { recursive: true, force: true });
    await rm(stick, { recursive: true, force: true });
    await disabled(V + '#gw-burn', true);
  });

  it('deletes the selected gateway after confirmation, with its keys', async () => {
    await disabled(V + '#gw-delete', false);
    await click(V + '#gw-delete');
    const heading = await (await session.find('kw-confirm >>> kw-dialog >>> #heading')).evaluate((e) => e.textContent);
    expect(heading).toBe('Delete gateway CIG Solna');
    await click('kw-confirm >>> #confirm');
    await session.find(V + '.empty');
    expect(await list()).toEqual([]);
    expect(await keys.periods('tel:+8888')).toEqual([]);
    expect(session.pageErrors).toEqual([]);
  });
});
