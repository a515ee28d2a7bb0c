import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, createTestKernel, definePlugin, type EventRecord, type TestKernel } from '../../src/kernel/index.js';
import { Period, channelIdentity, hexToBytes, validateRsk, validateSsk } from '../../src/crypto/index.js';
import { builtinPlugins } from '../index.js';
import { IDomain } from '../domain/tokens.js';
import { IKeys } from '../keys/tokens.js';
import type { UserDetails } from '../users/tokens.js';
import type { ChannelList, ChannelShow } from './commands.js';
import type { MembershipResult } from './channels.service.js';
import { IChannels, MAX_CHANNELS, channelKeyUri, type Channel } from './tokens.js';

/** Hands the services to the test as a consumer plugin (the updates plugin) gets them. */
const seen: { channels?: IChannels; keys?: IKeys; domain?: IDomain } = {};
const probe = definePlugin({
  id: 'probe',
  requires: { channels: IChannels, keys: IKeys, domain: IDomain },
  activate(_ctx, deps) {
    Object.assign(seen, deps);
  },
});

let t: TestKernel;
const exec = <R = unknown>(id: string, args?: unknown) => t.kernel.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;
const now = Period.of(new Date());
const ANN = '+46701110001';
const BEN = '+46701110002';
const CID = '+46701110003';

async function logOf(action: string): Promise<EventRecord[]> {
  return (await exec<{ records: EventRecord[] }>('log.list', { action, limit: 1000 })).records;
}

async function expectRefused(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await expect(p).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
}

beforeAll(async () => {
  t = await createTestKernel({ plugins: [...builtinPlugins, probe] });
  for (const [i, mobile] of [ANN, BEN, CID].entries()) await exec('users.add', { firstName: `User${i}`, mobile });
});
afterAll(() => t?.cleanup());

describe('channels.add', () => {
  it('gives the channel a 128-bit random hex id and checked SAKKE and ECCSI keys for this month and the next', async () => {
    const c = await exec<Channel>('channels.add', { name: ' Operations ' });
    expect(c).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'Operations', members: [], createdAt: expect.any(String) });
    const shown = await exec<ChannelShow>('channels.show', { id: c.id });
    expect(shown.keyPeriods).toEqual([now.toString(), now.next().toString()]);
    const { kpak, Z } = seen.domain!.publicKeys();
    for (const period of [now, now.next()]) {
      const set = (await seen.channels!.keys(c.id, period))!;
      const identity = channelIdentity(period, hexToBytes(c.id));
      expect(set.identity).toEqual(identity);
      expect(set.owner).toBe(`channels:${c.id}`);
      expect(validateSsk(kpak, identity, set.ssk, set.pvt)).toBe(true);
      expect(validateRsk(Z, identity, set.rsk)).toBe(true);
    }
    const [record] = await logOf('channels.add');
    expect(record).toMatchObject({ actor: 'test', target: c.id, details: { name: 'Operations' } });
    expect(JSON.stringify(record)).not.toMatch(/ssk|rsk|pvt/i);
  });

  it('ids differ between channels', async () => {
    const a = await exec<Channel>('channels.add', { name: 'Id A' });
    const b = await exec<Channel>('channels.add', { name: 'Id B' });
    expect(a.id).not.toBe(b.id);
    await exec('channels.delete', { id: a.id });
    await exec('channels.delete', { id: b.id });
  });

  it('refuses names that break the user-name rules, empty names and names in use (any case)', async () => {
    await expectRefused(exec('channels.add', { name: 'Ops;North' }), 'E_INVALID_FIELD', /^name: must not contain ;/);
    await expectRefused(exec('channels.add', { name: 'Say "hi"' }), 'E_INVALID_FIELD', /^name: must not contain "/);
    await expectRefused(exec('channels.add', { name: 'a\tb' }), 'E_INVALID_FIELD', /^name: must not contain a tab/);
    await expectRefused(exec('channels.add', { name: 'two\nlines' }), 'E_INVALID_FIELD', /^name: must not contain line breaks/);
    await expectRefused(exec('channels.add', { name: 'x'.repeat(101) }), 'E_INVALID_FIELD', /^name: must be at most 100 characters/);
    await expectRefused(exec('channels.add', { name: '   ' }), 'E_INVALID_FIELD', /^name: is required/);
    await expectRefused(exec('channels.add', {}), 'E_INVALID_FIELD', /^name: is required/);
    await expectRefused(exec('channels.add', { name: 'OPERATIONS' }), 'E_NAME_IN_USE', /^name: a channel named "Operations" already exists/);
    expect((await exec<ChannelList>('channels.list')).total).toBe(1);
  });
});

describe('membership', () => {
  let ops: Channel;
  beforeAll(async () => {
    ops = await exec<Channel>('channels.show', { name: 'operations' });
  });

  it('adds and removes existing users by number, reporting who changed, and audits it', async () => {
    const r = await exec<MembershipResult>('channels.setMembers', { id: ops.id, add: [BEN, '+46 70-111 0001'] });
    expect(r).toMatchObject({ channel: { members: [ANN, BEN] }, added: [ANN, BEN], removed: [] });
    const again = await exec<MembershipResult>('channels.setMembers', { id: ops.id, add: [ANN], remove: [BEN] });
    expect(again).toMatchObject({ channel: { members: [ANN] }, added: [], removed: [BEN] });
    const set = await exec<MembershipResult>('channels.setMembers', { id: ops.id, members: [CID, BEN] });
    expect(set).toMatchObject({ channel: { members: [BEN, CID] }, added: [BEN, CID], removed: [ANN] });
    expect(seen.channels!.channelsOf(BEN).map((c) => c.name)).toEqual(['Operations']);
    expect(seen.channels!.channelsOf(ANN)).toEqual([]);
    const [last] = await logOf('channels.setMembers');
    expect(last).toMatchObject({ target: ops.id, details: { added: [BEN, CID], removed: [ANN] } });
  });

  it('refuses an unknown number, naming it, and changes nothing', async () => {
    await expectRefused(
      exec('channels.setMembers', { id: ops.id, add: [ANN, '+46709999999'] }),
      'E_NOT_FOUND',
      /^add: no user has the number \+46709999999; only existing users can be members/,
    );
    await expectRefused(exec('channels.setMembers', { id: ops.id, members: ['+46709999999'] }), 'E_NOT_FOUND', /^members: no user/);
    await expectRefused(exec('channels.setMembers', { id: ops.id, add: [ANN], remove: [ANN] }), 'E_INVALID_FIELD', /both added and removed/);
    await expectRefused(exec('channels.setMembers', { id: ops.id }), 'E_INVALID_FIELD', /^add: name at least one number/);
    await expectRefused(exec('channels.setMembers', { id: 'f'.repeat(32), add: [ANN] }), 'E_NOT_FOUND', /^id: no channel has the id f{32}/);
    expect((await exec<ChannelShow>('channels.show', { id: ops.id })).members).toEqual([BEN, CID]);
  });

  it('finds a channel by id or by name in any case, and names what it could not find', async () => {
    expect((await exec<Channel>('channels.show', { id: ops.id.toUpperCase() })).name).toBe('Operations');
    // The CLI passes one word as both: an id that is no channel's falls back to the name.
    expect((await exec<Channel>('channels.show', { id: 'OPERATIONS', name: 'OPERATIONS' })).id).toBe(ops.id);
    await expectRefused(exec('channels.show', { name: 'Logistics' }), 'E_NOT_FOUND', /^name: no channel is named "Logistics"/);
    await expectRefused(exec('channels.show', {}), 'E_INVALID_FIELD', /^id: is required/);
  });

  it('User Details lists the user\'s channels by id and name', async () => {
    expect((await exec<UserDetails>('users.show', { mobile: BEN })).channels).toEqual([{ id: ops.id, name: 'Operations' }]);
    expect((await exec<UserDetails>('users.show', { mobile: ANN })).channels).toEqual([]);
  });

  it('a deleted user leaves every channel, and a new user with the same number is not a member', async () => {
    await exec('users.delete', { mobiles: [CID] });
    expect((await exec<ChannelShow>('channels.show', { id: ops.id })).members).toEqual([BEN]);
    await exec('users.add', { firstName: 'New', mobile: CID });
    expect(seen.channels!.channelsOf(CID)).toEqual([]);
  });

  it('the CRS-visible view carries only the id and the members\' numbers, never the name', () => {
    const view = seen.channels!.crsView();
    expect(view).toEqual([{ id: ops.id, members: [BEN] }]);
    expect(JSON.stringify(view)).not.toContain('Operations');
    expect(JSON.stringify(view).toLowerCase()).not.toContain('operations');
  });
});

describe('limits and deletion', () => {
  it(`allows ${MAX_CHANNELS} channels and refuses the next with a clear message`, async () => {
    const before = (await exec<ChannelList>('channels.list')).total;
    for (let i = before; i < MAX_CHANNELS; i++) await exec('channels.add', { name: `Channel ${i}` });
    const list = await exec<ChannelList>('channels.list');
    expect(list).toMatchObject({ total: MAX_CHANNELS, limit: MAX_CHANNELS });
    await expectRefused(exec('channels.add', { name: 'One too many' }), 'E_CHANNEL_LIMIT', /^at most 50 channels can be added; delete one before adding "One too many"/);
    expect((await exec<ChannelList>('channels.list')).channels.map((c) => c.name)).not.toContain('One too many');
  });

  it('delete removes the channel and its keys, is destructive and audited by id', async () => {
    const ops = await exec<Channel>('channels.show', { name: 'Operations' });
    const info = (await exec<{ id: string; destructive: boolean }[]>('kernel.commands')).find((c) => c.id === 'channels.delete');
    expect(info?.destructive).toBe(true);
    await exec('channels.delete', { id: ops.id });
    expect(await seen.keys!.periods(channelKeyUri(ops.id))).toEqual([]);
    expect(await seen.channels!.keys(ops.id, now)).toBeUndefined();
    await expectRefused(exec('channels.show', { id: ops.id }), 'E_NOT_FOUND', /^id: no channel has the id/);
    expect((await logOf('channels.delete'))[0]).toMatchObject({ target: ops.id, details: { name: 'Operations', members: 1 } });
    // Room again for one more.
    await exec('channels.add', { name: 'Operations' });
  });

  it('issueKeys makes missing months once and keeps existing ones', async () => {
    const later = now.next().next();
    const made = await seen.channels!.issueKeys([now, later]);
    expect(made).toBe(MAX_CHANNELS);
    const first = (await seen.channels!.keys(seen.channels!.list()[0]!.id, later))!;
    expect(await seen.channels!.issueKeys([later])).toBe(0);
    expect((await seen.channels!.keys(seen.channels!.list()[0]!.id, later))!.ssk).toEqual(first.ssk);
  });

  it('drops members deleted while the channels plugin was off when it starts again', async () => {
    const ops = await exec<Channel>('channels.show', { name: 'Operations' });
    await exec('channels.setMembers', { id: ops.id, add: [ANN, BEN] });
    await t.kernel.stop();
    fs.writeFileSync(path.join(t.dataDir, 'keyward.config.json'), JSON.stringify({ disabled: ['channels'] }));
    const without = await Kernel.create({ dataDir: t.dataDir, plugins: [...builtinPlugins] });
    await without.commands.execute('kernel.unlock', { passphrase: t.passphrase });
    await without.commands.execute('users.delete', { mobiles: [ANN] });
    await without.stop();
    fs.rmSync(path.join(t.dataDir, 'keyward.config.json'));
    t.kernel = await Kernel.create({ dataDir: t.dataDir, plugins: [...builtinPlugins, probe] });
    await t.kernel.commands.execute('kernel.unlock', { passphrase: t.passphrase });
    expect((await exec<ChannelShow>('channels.show', { id: ops.id })).members).toEqual([BEN]);
  });

  it('keeps channels, names and members across a restart, encrypted at rest', async () => {
    const before = seen.channels!.list();
    await t.kernel.stop();
    const raw = fs.readFileSync(path.join(t.dataDir, 'channels.db'), 'utf8');
    expect(raw).not.toContain('Operations');
    expect(raw).not.toContain(BEN);
    t.kernel = await Kernel.create({ dataDir: t.dataDir, plugins: [...builtinPlugins, probe] });
    await t.kernel.commands.execute('kernel.unlock', { passphrase: t.passphrase });
    expect(seen.channels!.list()).toEqual(before);
    await t.kernel.stop();
  });
});
