/**
 * Browser end-to-end of the Update view: the deadline shown, Generate and burn to the folder
 * device with the verified-burn notice and the summary, and the burned file read back with the
 * reference reader (CRS authentication and a user's entry). Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../plugins/index.js';
import { deadlineFor, inspectUpdateFile } from '../../plugins/updates/tokens.js';
import { IUsers } from '../../plugins/users/tokens.js';
import { Period } from '../../src/crypto/index.js';
import { TEST_SETUP, createTestKernel, definePlugin, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const V = 'kw-app >>> kw-updates-view >>> ';

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;
let stick: string;
let users: IUsers;

const exec = <R,>(id: string, args?: unknown) => tk.kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;

beforeAll(async () => {
  stick = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-update-stick-'));
  const probe = definePlugin({ id: 'probe', requires: { users: IUsers }, activate: (_ctx, deps) => void ({ users } = deps) });
  tk = await createTestKernel({ plugins: [...builtinPlugins, probe], config: { flags: { 'devices.burnFolder': stick } } });
  await exec('users.add', { firstName: 'John', lastName: 'Smith', mobile: '+46706764287' });
  await exec('users.add', { firstName: 'Jane', lastName: 'Doe', mobile: '+46706764288' });
  await exec('users.destroyKeys', { mobiles: ['+46706764288'] });
  shell = await startWebShell(tk.kernel);
  session = await openBrowser();
  await session.page.goto(shell.url);
  await session.page.goto(new URL('/#/updates', shell.url).href);
  await session.find(V + '#update-deadline');
}, 120_000);

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await tk?.cleanup();
  if (stick) await rm(stick, { recursive: true, force: true });
});

describe('Update view', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`updates-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('shows the deadline of next month’s file prominently', async () => {
    const next = Period.of(new Date()).next();
    const day = new Date(`${deadlineFor(next)}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const el = await session.waitUntil(V + '#deadline', (e, want) => !!e.textContent?.includes(want), day);
    expect(await el.evaluate((e) => e.textContent?.replace(/\s+/g, ' '))).toContain(`Send the update file to the CRS before ${day}`);
    expect(await (await session.find(V + '#deadline strong')).evaluate((e) => e.textContent)).toBe(day);
  });

  it('generates and burns the update to the folder device, sums it up, and the file inspects fine', async () => {
    await session.waitUntil(V + '#update-burn', (e) => !(e as HTMLButtonElement).disabled, undefined, 15_000);
    await (await session.find(V + '#update-burn')).click();
    await session.waitUntil('kw-toasts >>> [data-kind="success"]', (e, want) => !!e.textContent?.includes(want), 'and verified it');
    await session.waitUntil(V + '#sum-endpoints', (e) => !!e.textContent?.includes('2 entries: 2 users'));
    expect(await (await session.find(V + '#sum-blocked')).evaluate((e) => e.textContent)).toBe('1 credential');

    const [folder] = await readdir(stick);
    const [name] = await readdir(path.join(stick, folder!));
    expect(name).toMatch(/^update-\d{4}-\d\d_\d{8}T\d{9}\.kwu$/);
    const bytes = fs.readFileSync(path.join(stick, folder!, name!));
    const r = inspectUpdateFile(bytes, TEST_SETUP.crs.secret, { endpoint: '+46706764287', updateKey: users.get('+46706764287')!.updateKey });
    expect(r.crs.blocked).toEqual([{ kind: 'user', uri: 'tel:+46706764288', generation: 1, reason: 'destroyed' }]);
    expect(r.entry!.valid).toBe(true);
    expect(await (await session.find(V + '#update-summary h2')).evaluate((e) => e.textContent)).toContain(name!);
    await session.screenshot('updates-view');
  }, 120_000);

  it('downloads the calendar reminder (.ics) with the monthly rule', async () => {
    const downloads = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-update-dl-'));
    try {
      const cdp = await session.page.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      await (await session.find(V + '#update-calendar')).click();
      const file = path.join(downloads, 'keyward-update-reminder.ics');
      for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
      const ics = fs.readFileSync(file, 'utf8');
      expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
      expect(ics).toContain('RRULE:FREQ=MONTHLY;BYMONTHDAY=-4\r\n');
      expect(ics).toContain(`DTSTART;VALUE=DATE:${deadlineFor(Period.of(new Date()).next()).replaceAll('-', '')}`);
    } finally {
      await rm(downloads, { recursive: true, force: true });
    }
  });
});
