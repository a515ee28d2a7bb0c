/**
 * Browser end-to-end of the Users view: a ready kernel with the built-in plugins on a temp
 * data dir (cheap scrypt), the web shell, and Debian Chromium. The administrator adds a user,
 * imports a file with bad lines (sees the line report), fixes and imports it, cancels a long
 * import, searches, shift-click selects and exports, destroys keys, deletes, and edits details.
 * Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots of each screen.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../plugins/index.js';
import type { UserListResult } from '../../plugins/users/ui/types.js';
import { createTestKernel, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

/** Through kw-app's and the Users view's shadow roots. */
const V = 'kw-app >>> kw-users-view >>> ';
const GRID = V + 'kw-user-grid >>> ';
const ADD = V + 'kw-add-user >>> ';
const IMPORT = V + 'kw-user-import >>> ';
const DETAILS = V + 'kw-user-details >>> ';

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;
let page: Page;
let filesDir: string;
let downloadDir: string;

const text = (selector: string) => session.find(selector).then((h) => h.evaluate((e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
/** Wait until the element's text contains `wanted` (a string, or a RegExp tested in the page). */
const waitText = (selector: string, wanted: string | RegExp) =>
  session.waitUntil(
    selector,
    (e, w) => {
      const t = e.textContent?.replace(/\s+/g, ' ') ?? '';
      return w.re ? new RegExp(w.re).test(t) : t.includes(w.text);
    },
    typeof wanted === 'string' ? { text: wanted, re: '' } : { text: '', re: wanted.source },
  );
const click = async (selector: string) => (await session.find(selector)).click();
const row = (mobile: string) => `${GRID}.row[data-mobile="${mobile}"]`;
const list = async () => (await tk.kernel.commands.execute('users.list', {})) as unknown as UserListResult;

/** Replace an input's text by typing, as the administrator would (an empty value clears it). */
async function fill(selector: string, value: string): Promise<void> {
  const input = await session.find(selector);
  await input.click({ count: 3 });
  await page.keyboard.press('Backspace');
  if (value) await input.type(value);
}

async function clickWith(selector: string, key: 'Shift' | 'Control'): Promise<void> {
  const handle = await session.find(selector);
  await page.keyboard.down(key);
  await handle.click();
  await page.keyboard.up(key);
}

/** Tools → item; Import opens the file chooser, which gets `file`. */
async function tool(item: 'import' | 'export' | 'destroy', file?: string): Promise<void> {
  await click(V + '#tools');
  if (item !== 'import') return click(`${V}#tool-${item}`);
  const [chooser] = await Promise.all([page.waitForFileChooser(), click(V + '#tool-import')]);
  await chooser.accept([file!]);
}

/** Answer the shell's confirmation dialog; returns what it said. */
async function confirmDialog(answer: 'confirm' | 'cancel'): Promise<string> {
  const said = await text('kw-confirm >>> kw-dialog');
  await click(`kw-confirm >>> #${answer}`);
  await session.waitUntil('body', () => !document.querySelector('kw-confirm'));
  return said;
}

async function userFile(name: string, lines: string[]): Promise<string> {
  const file = path.join(filesDir, name);
  await writeFile(file, lines.join('\r\n') + '\r\n'); // as Notepad writes it
  return file;
}

beforeAll(async () => {
  tk = await createTestKernel({ plugins: builtinPlugins });
  shell = await startWebShell(tk.kernel);
  session = await openBrowser();
  page = session.page;
  filesDir = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-files-'));
  downloadDir = await mkdtemp(path.join(os.tmpdir(), 'keyward-e2e-downloads-'));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir });
  await page.goto(shell.url);
  await page.goto(new URL('/#/users', shell.url).href);
  await waitText(V + '#counts', '0 users');
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await tk?.cleanup();
  for (const dir of [filesDir, downloadDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Users view in Chromium', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`users-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('adds a user from the Add User row, showing a refusal at the field it names', async () => {
    await fill(ADD + '#firstName', 'John');
    await fill(ADD + '#lastName', 'Doe');
    await fill(ADD + '#mobile', '0777 666 555');
    await fill(ADD + '#comment', 'Project Alpha');
    await click(ADD + '#add');
    const refusal = await waitText(ADD + '#mobile-error', /\S/);
    expect(await refusal.evaluate((e) => e.textContent)).toMatch(/\+|international/i);
    expect(await (await session.find(ADD + '#mobile')).evaluate((i) => i.getAttribute('aria-invalid'))).toBe('true');
    await session.screenshot('users-1-refused');
    expect((await list()).total).toBe(0);

    // Spaces and dashes typed by the administrator are removed.
    await fill(ADD + '#mobile', '+44 777-666 555');
    await click(ADD + '#add');
    await session.find(row('+44777666555'));
    expect(await text(row('+44777666555'))).toContain('Project Alpha');
    expect(await text(V + '#counts')).toBe('1 user · 1 selected');
    expect(await page.$(ADD + '#mobile-error')).toBeNull();
    expect((await list()).users.map((u) => u.mobile)).toEqual(['+44777666555']);
  });

  it('imports nothing from a file with bad lines and lists each one; the fixed file is imported', async () => {
    const good = ['Ada\tLovelace\t+46701110001\tMaths', 'Alan\tTuring\t+46701110002\t'];
    const bad = await userFile('users.txt', [...good, 'Grace\tHop,per\t+46701110003\tNavy', 'Linus\tTorvalds\t46701110004\tKernel']);
    await tool('import', bad);
    await session.find(IMPORT + '#import-report');
    expect(await text(IMPORT + 'tr[data-line="3"]')).toMatch(/^3 2 \(last name\) .+/);
    expect(await text(IMPORT + 'tr[data-line="4"]')).toMatch(/^4 3 \(mobile number\) .+/);
    expect(await page.$(IMPORT + 'tr[data-line="1"]')).toBeNull();
    await session.screenshot('users-2-import-report');
    await click(IMPORT + '#import-close');
    expect((await list()).total).toBe(1);

    const fixed = await userFile('users-fixed.txt', [...good, 'Grace\tHopper\t+46701110003\tNavy', 'Linus\tTorvalds\t+46701110004\tKernel', '']);
    await tool('import', fixed);
    expect(await text(IMPORT + '#import-question')).toContain('Import 4 users from users-fixed.txt? New keys are generated for each');
    await click(IMPORT + '#import-confirm');
    await waitText(V + '#counts', '5 users');
    expect((await list()).users.map((u) => u.mobile).sort()).toEqual(['+44777666555', '+46701110001', '+46701110002', '+46701110003', '+46701110004']);
  });

  it('shows an import’s progress and cancels it, leaving the list as it was', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => `Test\tUser${i}\t+4673${String(i).padStart(7, '0')}\tbulk`);
    await tool('import', await userFile('many.txt', many));
    await click(IMPORT + '#import-confirm');
    await session.find(IMPORT + '#import-progress');
    await session.screenshot('users-3-import-progress');
    await click(IMPORT + '#import-abort');
    await waitText('kw-toasts >>> [role=status]', 'Import cancelled');
    expect(await page.$(IMPORT + '#import-progress')).toBeNull();
    expect((await list()).total).toBe(5);
    expect(await text(V + '#counts')).toMatch(/^5 users/);
  });

  it('searches names, numbers and comments, and sorts by a column either way', async () => {
    await fill(V + '#search', 'navy');
    await waitText(V + '#counts', '1 of 5 users');
    await session.find(row('+46701110003'));
    await fill(V + '#search', '+46 70111');
    await waitText(V + '#counts', '4 of 5 users');
    expect(await page.$(row('+44777666555'))).toBeNull();
    await fill(V + '#search', 'lovelace maths');
    await waitText(V + '#counts', '1 of 5 users');
    await session.screenshot('users-4-search');
    await fill(V + '#search', '');
    await waitText(V + '#counts', /^5 users/);

    // Sorting: by first name, then the same column again reverses.
    const firstNames = () => page.$$eval(GRID + '.row[data-mobile] [role=gridcell]:nth-child(3)', (cells) => cells.map((c) => c.textContent));
    await click(GRID + '[data-sort="firstName"]');
    await session.waitUntil(GRID + '[data-sort="firstName"]', (b) => b.parentElement?.getAttribute('aria-sort') === 'ascending');
    expect(await firstNames()).toEqual(['Ada', 'Alan', 'Grace', 'John', 'Linus']);
    await click(GRID + '[data-sort="firstName"]');
    await session.waitUntil(GRID + '[data-sort="firstName"]', (b) => b.parentElement?.getAttribute('aria-sort') === 'descending');
    expect(await firstNames()).toEqual(['Linus', 'John', 'Grace', 'Alan', 'Ada']);
    await click(GRID + '[data-sort="lastName"]');
    await session.waitUntil(GRID + '[data-sort="lastName"]', (b) => b.parentElement?.getAttribute('aria-sort') === 'ascending');
  });

  it('selects with the keyboard, a range with shift-click, single rows with ctrl-click, and exports the selection as TSV', async () => {
    // Sorted by last name: Doe, Hopper, Lovelace, Torvalds, Turing.
    const order = await page.$$eval(GRID + '.row[data-mobile]', (rows) => rows.map((r) => r.getAttribute('data-mobile')));
    expect(order).toEqual(['+44777666555', '+46701110003', '+46701110001', '+46701110004', '+46701110002']);
    const selected = () => page.$$eval(GRID + '.row[aria-selected="true"]', (rows) => rows.map((r) => r.getAttribute('data-mobile')).sort());

    // The keyboard: End goes to the last row, Shift+Up extends the selection upwards.
    await click(row('+44777666555'));
    await page.keyboard.press('End');
    await session.waitUntil(row('+46701110002'), (r) => r.getAttribute('aria-selected') === 'true');
    expect(await selected()).toEqual(['+46701110002']);
    await page.keyboard.down('Shift');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.up('Shift');
    await waitText(V + '#counts', '2 selected');
    expect(await selected()).toEqual(['+46701110002', '+46701110004']);

    await click(row('+46701110003'));
    await clickWith(row('+46701110004'), 'Shift');
    await waitText(V + '#counts', '3 selected');
    await clickWith(row('+44777666555'), 'Control');
    await waitText(V + '#counts', '4 selected');
    await clickWith(row('+46701110001'), 'Control');
    await waitText(V + '#counts', '3 selected');
    expect(await selected()).toEqual(['+44777666555', '+46701110003', '+46701110004']);
    await session.screenshot('users-5-selected');

    await tool('export');
    const exported = await downloaded();
    expect(exported.name).toMatch(/^users-.*\.txt$/);
    expect(exported.text.split('\n').filter(Boolean).sort()).toEqual([
      'Grace\tHopper\t+46701110003\tNavy',
      'John\tDoe\t+44777666555\tProject Alpha',
      'Linus\tTorvalds\t+46701110004\tKernel',
    ]);
  });

  it('destroys the keys of the selected user after a confirmation quoting the manual', async () => {
    await click(row('+44777666555'));
    await waitText(V + '#counts', '1 selected');
    await tool('destroy');
    const said = await confirmDialog('confirm');
    expect(said).toContain('John Doe (+44777666555)');
    expect(said).toMatch(/update key .* changed/);
    expect(said).toContain('remain compromised for the current month');
    expect(said).toContain('monthly key update');
    expect(said).toContain('new initiation letter');
    await waitText(row('+44777666555'), 'Compromised');
    expect((await list()).users.find((u) => u.mobile === '+44777666555')?.compromised).toBe(true);
    expect(await text(row('+46701110003'))).toContain('Active');
    // Compromised users sort first by status.
    await click(GRID + '[data-sort="status"]');
    await session.waitUntil(GRID + '.row[data-mobile]', (r) => r.getAttribute('data-mobile') === '+44777666555');
    await click(GRID + '[data-sort="lastName"]');

    await click(V + '#details');
    await waitText(DETAILS + '#details-status', 'Compromised');
    expect(await text(DETAILS + '#details-status')).toContain('new initiation letter');
    await session.screenshot('users-6a-compromised-details');
    await click(DETAILS + '#details-close');
  });

  it('opens the details: PUK, editable names and comment, additional lines', async () => {
    await click(row('+46701110001'));
    await click(V + '#details');
    expect(await text(DETAILS + '#details-mobile')).toBe('+46701110001');
    expect(await text(DETAILS + '#details-puk')).toMatch(/^\d{8}$/);
    expect(await text(DETAILS + 'kw-dialog')).toContain('PUK changes every month');
    await session.screenshot('users-6-details');

    await fill(DETAILS + '#d-comment', 'Analytical Engine');
    await click(DETAILS + '#details-save');
    await waitText(row('+46701110001'), 'Analytical Engine');

    await fill(DETAILS + '#d-line', 'not a number');
    await click(DETAILS + '#details-add-line');
    await waitText(DETAILS + '#d-line-error', /\S/);
    await fill(DETAILS + '#d-line', '+46 70 999 00 01');
    await click(DETAILS + '#details-add-line');
    await session.find(DETAILS + 'li[data-line="+46709990001"]');
    await waitText(row('+46701110001'), '+1');
    await click(DETAILS + '#details-close');

    // The line's number is in use: the Add User row refuses it at the number.
    await fill(ADD + '#firstName', 'Eve');
    await fill(ADD + '#lastName', 'Dropper');
    await fill(ADD + '#mobile', '+46709990001');
    await click(ADD + '#add');
    expect(await text(ADD + '#mobile-error')).toMatch(/in use|already/i);
    await fill(ADD + '#firstName', '');
    await fill(ADD + '#lastName', '');
    await fill(ADD + '#mobile', '');

    await click(row('+46701110001'));
    await click(V + '#details');
    await click(DETAILS + 'li[data-line="+46709990001"] button');
    expect(await confirmDialog('confirm')).toContain('+46709990001');
    await session.find(DETAILS + '#details-no-lines');
    await click(DETAILS + '#details-close');
    expect((await list()).users.find((u) => u.mobile === '+46701110001')).toMatchObject({ comment: 'Analytical Engine', lines: [] });
  });

  it('deletes the selected user after a confirmation; cancelling keeps it', async () => {
    await click(row('+46701110002'));
    await click(V + '#delete');
    expect(await confirmDialog('cancel')).toContain('Alan Turing');
    expect((await list()).total).toBe(5);
    await click(V + '#delete');
    await confirmDialog('confirm');
    await waitText(V + '#counts', '4 users');
    expect(await page.$(row('+46701110002'))).toBeNull();
    expect((await list()).users.some((u) => u.mobile === '+46701110002')).toBe(false);
    await session.screenshot('users-7-after-delete');
    expect(session.pageErrors).toEqual([]);
  });
});

/** The one file Chromium saved to the download dir, once complete. */
async function downloaded(): Promise<{ name: string; text: string }> {
  const until = Date.now() + 10_000;
  for (;;) {
    const names = (await readdir(downloadDir)).filter((n) => !n.endsWith('.crdownload'));
    if (names.length === 1) return { name: names[0]!, text: await readFile(path.join(downloadDir, names[0]!), 'utf8') };
    if (Date.now() > until) throw new Error(`No download arrived (saw ${names.join(', ') || 'nothing'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
