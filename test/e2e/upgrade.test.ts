/**
 * Browser end-to-end: the web shell on a copy of the first released format's data dir
 * (test/fixtures/datadir-v1). Unlocking upgrades it and the administrator is told where the old
 * files went; a data dir a newer Keyward wrote is refused at unlock with the reason shown.
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { builtinPlugins } from '../../plugins/index.js';
import { Kernel } from '../../src/kernel/index.js';
import { Vault } from '../../src/kernel/vault.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'datadir-v1');
const PASSPHRASE: string = JSON.parse(readFileSync(`${FIXTURE}.expected.json`, 'utf8')).passphrase;
const U = 'kw-app >>> kw-unlock >>> ';

let root: string;
let kernel: Kernel | undefined;
let shell: WebShell | undefined;
let session: BrowserSession;

/** The shell on a fresh copy of the fixture, `change`d first; the page shows the unlock form. */
async function serve(name: string, change?: (dir: string) => Promise<void>): Promise<string> {
  await shell?.close();
  await kernel?.stop();
  const dir = path.join(root, name);
  cpSync(FIXTURE, dir, { recursive: true });
  await change?.(dir);
  kernel = await Kernel.create({ dataDir: dir, plugins: builtinPlugins });
  shell = await startWebShell(kernel);
  await session.page.goto(shell.url);
  return dir;
}

async function unlock(): Promise<void> {
  await (await session.find(U + '#passphrase')).type(PASSPHRASE);
  await (await session.find(U + 'button[type="submit"]')).click();
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'keyward-e2e-upgrade-'));
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
  await shell?.close();
  await kernel?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('unlocking an older data dir in the app', () => {
  it('upgrades it and says where the old files are kept', async () => {
    onTestFailed(() => session.screenshot('upgrade-failure'));
    const dir = await serve('older');
    await unlock();
    await session.find('kw-app >>> nav a[data-menu="log"]');
    const [backup] = readdirSync(path.join(dir, 'upgrade-backups'));
    await session.waitUntil(
      'kw-toasts >>> [data-kind="success"]',
      (e, want) => !!e.textContent?.includes(want),
      `The data was brought up to date for this version of Keyward (keys 1 → 2). The old files are kept in the data dir under upgrade-backups/${backup}`,
    );
    await session.screenshot('upgrade-notice');
    expect(session.pageErrors).toEqual([]);
  });

  it('refuses a data dir written by a newer Keyward, shows why, and stays locked', async () => {
    await serve('newer', async (dir) => {
      const vault = await Vault.open(dir, PASSPHRASE);
      appendFileSync(path.join(dir, 'schema.db'), vault.seal(JSON.stringify({ _id: 'keys', version: 3 })) + '\n');
      vault.lock();
    });
    await unlock();
    await session.waitUntil(
      'kw-toasts >>> [data-kind="error"]',
      (e) => /collection "keys" is version 3, this Keyward reads up to version 2\. Nothing was changed/.test(e.textContent ?? '') && /E_SCHEMA_NEWER/.test(e.textContent ?? ''),
    );
    expect(kernel!.state).toBe('locked');
    await session.find(U + '#passphrase');
  });
});
