/**
 * Browser end-to-end of the Channels view: a ready kernel with the built-in plugins and three
 * users, the web shell, and Debian Chromium. The administrator creates a channel (a bad name is
 * refused at the field), gives a user access from the channel's Details (searching the list)
 * and another from User Details, and deletes the channel after a confirmation that says
 * conversations on devices are kept; then, with 500 more users, the member list renders only the
 * rows in view and a search plus "Check all shown" gives access in one change.
 * Set KEYWARD_SCREENSHOTS=<dir> to keep screenshots.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../plugins/index.js';
import type { ChannelList, ChannelShow } from '../../plugins/channels/commands.js';
import { createTestKernel, type TestKernel } from '../../src/kernel/index.js';
import { startWebShell, type WebShell } from '../../src/shell/web/server.js';
import { openBrowser, type BrowserSession } from './browser.js';

const V = 'kw-app >>> kw-channels-view >>> ';
const DETAILS = V + 'kw-channel-details >>> ';
const MEMBERS = DETAILS + 'kw-member-list >>> ';
const USERS = 'kw-app >>> kw-users-view >>> ';
const USER_CHANNELS = USERS + 'kw-user-details >>> kw-user-channels >>> ';
const ANN = '+46701110001';
const BEN = '+46701110002';
const CID = '+46701110003';

let tk: TestKernel;
let shell: WebShell;
let session: BrowserSession;
let page: Page;

const exec = <R>(id: string, args: unknown = {}) => tk.kernel.commands.execute(id, args as never) as Promise<R>;
const text = (selector: string) => session.find(selector).then((h) => h.evaluate((e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
const waitText = (selector: string, wanted: string) =>
  session.waitUntil(selector, (e, w) => (e.textContent?.replace(/\s+/g, ' ') ?? '').includes(w), wanted);
const click = async (selector: string) => (await session.find(selector)).click();

/** Poll the kernel until `check` holds (the UI saves asynchronously). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function fill(selector: string, value: string): Promise<void> {
  const input = await session.find(selector);
  await input.click({ count: 3 });
  await page.keyboard.press('Backspace');
  if (value) await input.type(value);
}

beforeAll(async () => {
  tk = await createTestKernel({ plugins: builtinPlugins });
  for (const [mobile, firstName, lastName] of [[ANN, 'Ann', 'Andersson'], [BEN, 'Ben', 'Berg'], [CID, 'Cid', 'Carlsson']]) {
    await exec('users.add', { firstName, lastName, mobile });
  }
  shell = await startWebShell(tk.kernel);
  session = await openBrowser();
  page = session.page;
  await page.goto(shell.url);
  await page.goto(new URL('/#/channels', shell.url).href);
  await waitText(V + '#channel-counts', '0 of at most 50 channels');
});

afterAll(async () => {
  await session?.close();
  await shell?.close();
  await tk?.cleanup();
});

describe('Channels view in Chromium', () => {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    await session.screenshot(`channels-failure-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    console.error('Page errors:', session.pageErrors);
  });

  it('shows the compatibility note and creates a channel, refusing a bad name at the field', async () => {
    const note = await text(V + '#channels-compat');
    for (const v of ['3.22.0', '3.23.0', '3.7.0', '4.14.0', 'next crypto update']) expect(note).toContain(v);

    await fill(V + '#channel-name', 'Ops;North');
    await click(V + '#channel-add');
    await waitText(V + '#channel-name-error', 'must not contain ;');
    expect((await exec<ChannelList>('channels.list')).total).toBe(0);

    await fill(V + '#channel-name', 'Operations');
    await click(V + '#channel-add');
    await waitText(V + '#channels tbody', 'Operations');
    expect(await text(V + '#channel-counts')).toBe('1 of at most 50 channels');
    const list = await exec<ChannelList>('channels.list');
    expect(list.channels.map((c) => c.name)).toEqual(['Operations']);
    expect(await text(`${V}tr[data-channel="${list.channels[0]!.id}"] .id`)).toBe(list.channels[0]!.id);
    await session.screenshot('channels-1-created');
  });

  it('gives a user access from the channel details, found by searching', async () => {
    const id = (await exec<ChannelList>('channels.list')).channels[0]!.id;
    await click(`${V}tr[data-channel="${id}"] button.details`);
    await waitText(DETAILS + '#member-counts', '0 of 3 users have access');
    expect(await text(DETAILS + '#channels-compat')).toContain('3.22.0');
    await fill(DETAILS + '#member-search', 'berg');
    await waitText(DETAILS + '#member-counts', '1 shown');
    expect(await page.$(`${MEMBERS}label.row[data-mobile="${ANN}"]`)).toBeNull();
    await click(`${MEMBERS}input[data-mobile="${BEN}"]`);
    await waitText(DETAILS + '#member-counts', '1 of 3 users have access');
    expect((await exec<ChannelShow>('channels.show', { id })).members).toEqual([BEN]);
    expect(await (await session.find(`${MEMBERS}input[data-mobile="${BEN}"]`)).evaluate((b) => (b as HTMLInputElement).checked)).toBe(true);
    await session.screenshot('channels-2-details');
    await click(DETAILS + '#channel-details-close');
    await waitText(`${V}tr[data-channel="${id}"]`, 'Operations 1');
  });

  it('gives another user access from User Details', async () => {
    const id = (await exec<ChannelList>('channels.list')).channels[0]!.id;
    await page.goto(new URL('/#/users', shell.url).href);
    const row = await session.find(`${USERS}kw-user-grid >>> .row[data-mobile="${ANN}"]`);
    await row.click({ count: 2 });
    const box = await session.find(`${USER_CHANNELS}input[data-channel="${id}"]`);
    expect(await box.evaluate((b) => (b as HTMLInputElement).checked)).toBe(false);
    await box.click();
    await eventually(async () => (await exec<ChannelShow>('channels.show', { id })).members.includes(ANN), 'Ann to join');
    await session.waitUntil(`${USER_CHANNELS}input[data-channel="${id}"]`, (b) => (b as HTMLInputElement).checked);
    expect((await exec<ChannelShow>('channels.show', { id })).members).toEqual([ANN, BEN]);
    await session.screenshot('channels-3-user-details');
  });

  it('deletes the channel after a confirmation that conversations on devices are kept', async () => {
    const id = (await exec<ChannelList>('channels.list')).channels[0]!.id;
    await page.goto(new URL('/#/channels', shell.url).href);
    await click(`${V}tr[data-channel="${id}"] button.delete`);
    const said = await text('kw-confirm >>> kw-dialog');
    expect(said).toContain('Conversations in the channel on end-user devices are not deleted.');
    await click('kw-confirm >>> #confirm');
    await session.find(V + '#no-channels');
    expect((await exec<ChannelList>('channels.list')).total).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });

  it('lists 500 users rendering only the rows in view; search and "Check all shown" give access in one change', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `Member\tNo${String(i).padStart(3, '0')}\t+4670200${String(i).padStart(4, '0')}\t`);
    await exec('users.import', { fileName: 'many.txt', contentBase64: Buffer.from(rows.join('\r\n') + '\r\n').toString('base64') });
    await fill(V + '#channel-name', 'Everyone');
    await click(V + '#channel-add');
    await waitText(V + '#channels tbody', 'Everyone');
    const id = (await exec<ChannelList>('channels.list')).channels[0]!.id;
    await click(`${V}tr[data-channel="${id}"] button.details`);
    await waitText(DETAILS + '#member-counts', '0 of 503 users have access');
    const rendered = async () => (await page.$$(MEMBERS + 'label.row')).length;
    expect(await rendered()).toBeLessThan(60);
    // Scrolled to the end, the last users are rendered (and still only a window of rows).
    await (await session.find(MEMBERS + '.scroller')).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await session.find(`${MEMBERS}label.row[data-mobile="+46702000499"]`);
    expect(await rendered()).toBeLessThan(60);

    await fill(DETAILS + '#member-search', 'no49');
    await waitText(DETAILS + '#member-counts', '10 shown');
    await click(DETAILS + '#check-shown');
    await waitText(DETAILS + '#member-counts', '10 of 503 users have access');
    const members = (await exec<ChannelShow>('channels.show', { id })).members;
    expect(members).toEqual(Array.from({ length: 10 }, (_, i) => `+4670200049${i}`));
    const [record] = (await exec<{ records: { details: { added: string[] } }[] }>('log.list', { action: 'channels.setMembers', limit: 1 })).records;
    expect(record!.details.added).toHaveLength(10);
    await click(DETAILS + '#channel-details-close');
    expect(session.pageErrors).toEqual([]);
  });
});
