/**
 * The monthly update file from a real kernel (real nedb, real keys): entries open only with their
 * own update key, any changed byte fails the CRS authentication, destroyed and deleted users and
 * revoked engines are blocked, peers and channel membership appear exactly, keys are made once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Period, generateEccsiMasterKeys, generateSakkeMasterKeys } from '../../src/crypto/index.js';
import { TEST_SETUP, createTestKernel, definePlugin, type TestKernel } from '../../src/kernel/index.js';
import { encodeCertificate } from '../domains/certificate.js';
import { IGateways, type GatewaySummary } from '../gateways/tokens.js';
import { IKeys, telUri } from '../keys/tokens.js';
import { decodeUserQr } from '../letters/qr-payload.js';
import { tlsCredential } from '../letters/tokens.js';
import { builtinPlugins } from '../index.js';
import { IUsers, UsersDeletedHook } from '../users/tokens.js';
import { readUpdateFile } from './format.js';
import { inspectUpdateFile, type GenerateResult } from './tokens.js';

let tk: TestKernel;
let out: string;
const seen: { users?: IUsers; keys?: IKeys; gateways?: IGateways } = {};
const probe = definePlugin({
  id: 'probe',
  requires: { users: IUsers, keys: IKeys, gateways: IGateways },
  activate: (_ctx, deps) => void Object.assign(seen, deps),
});
/** Stands for a process that dies after a deletion is stored and before the updates plugin records it. */
const crash = { nextDeletion: false };
const dieAfterDeletion = definePlugin({
  id: 'die-after-deletion',
  activate(ctx) {
    ctx.hooks.on(UsersDeletedHook, () => {
      if (!crash.nextDeletion) return;
      crash.nextDeletion = false;
      throw new Error('died before the deletion was recorded');
    }, 0);
  },
});
const exec = <R,>(id: string, args?: unknown, opts: { signal?: AbortSignal; onProgress?: (p: { done: number; message?: string }) => void } = {}) =>
  tk.kernel.commands.execute(id, args as never, { actor: 'test', ...opts }) as Promise<R>;
const SECRET = TEST_SETUP.crs.secret;
const now = Period.of(new Date());
const A = '+46701000001';
const B = '+46701000002';
const C = '+46701000003';

const keyOf = (mobile: string) => seen.users!.get(mobile)!.updateKey;
async function generate(month?: string): Promise<{ r: GenerateResult; bytes: Buffer }> {
  const r = await exec<GenerateResult>('updates.generate', { out, ...(month ? { month } : {}) });
  return { r, bytes: fs.readFileSync((r as { file: string }).file) };
}
function foreign(securityDomain: string): string {
  const c = { kpak: generateEccsiMasterKeys().kpak, Z: generateSakkeMasterKeys().Z };
  return Buffer.from(encodeCertificate({ securityDomain, ...c, created: new Date('2026-01-01T00:00:00Z') })).toString('base64');
}

beforeAll(async () => {
  tk = await createTestKernel({ plugins: [...builtinPlugins, probe, dieAfterDeletion] });
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-updates-out-'));
  for (const [i, m] of [A, B, C].entries()) await exec('users.add', { firstName: `U${i}`, lastName: 'Test', mobile: m });
  await exec('users.addLine', { mobile: A, line: '+46701000099' });
}, 60_000);
afterAll(async () => {
  await tk?.cleanup();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

describe('updates.generate', () => {
  it('writes one entry per user that opens only with its own update key and carries valid keys of both months', async () => {
    const { r, bytes } = await generate();
    expect(r).toMatchObject({ months: [now.toString(), now.next().toString()], users: 3, endpoints: 3, blocked: 0, keysMade: 0 });
    expect(r.deadline.month).toBe(now.next().toString());
    expect(fs.readdirSync(out)).toEqual([r.fileName]);
    const { crs } = inspectUpdateFile(bytes, SECRET);
    expect(crs.account).toBe(TEST_SETUP.crs.account);
    expect(crs.endpoints).toEqual([
      { id: `tel:${A}`, kind: 'user', generation: 1, lines: ['tel:+46701000099'] },
      { id: `tel:${B}`, kind: 'user', generation: 1, lines: [] },
      { id: `tel:${C}`, kind: 'user', generation: 1, lines: [] },
    ]);
    // The CRS-visible part names no one.
    expect(JSON.stringify(crs)).not.toMatch(/U0|Test/);

    const a = inspectUpdateFile(bytes, SECRET, { endpoint: A, updateKey: keyOf(A) }).entry!;
    expect(a.valid).toBe(true);
    expect(a.checks.map((c) => `${c.uri} ${c.month}`)).toEqual([
      `tel:${A} ${now}`, `tel:${A} ${now.next()}`, `tel:+46701000099 ${now}`, `tel:+46701000099 ${now.next()}`,
    ]);
    const stored = (await seen.keys!.get(telUri(A), now.next()))!;
    expect(a.entry.identities[0]!.keys[now.next().toString()]).toEqual({
      ssk: Buffer.from(stored.ssk).toString('hex'), pvt: Buffer.from(stored.pvt).toString('hex'), rsk: Buffer.from(stored.rsk).toString('hex'),
    });
    expect(Object.keys(a.entry.puk!)).toEqual([now.toString(), now.next().toString()]);
    expect(a.entry.crs).toEqual({ address: TEST_SETUP.crs.address, account: TEST_SETUP.crs.account });
    expect(a.entry.settings).toMatchObject({ channels: expect.any(Boolean) });

    expect(() => inspectUpdateFile(bytes, SECRET, { endpoint: A, updateKey: keyOf(B) })).toThrow(expect.objectContaining({ code: 'E_UPDATE_KEY' }));
    expect(() => inspectUpdateFile(bytes, SECRET, { endpoint: B, updateKey: keyOf(A) })).toThrow(expect.objectContaining({ code: 'E_UPDATE_KEY' }));
    expect(inspectUpdateFile(bytes, SECRET, { endpoint: `tel:${B}`, updateKey: keyOf(B) }).entry!.entry.endpoint).toBe(`tel:${B}`);
  }, 60_000);

  it('fails the CRS authentication for a changed byte anywhere, a missing or an extra byte, and the wrong secret', async () => {
    const { bytes } = await generate();
    expect(() => readUpdateFile(bytes, 'another secret')).toThrow(expect.objectContaining({ code: 'E_UPDATE_AUTH' }));
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] ^= 1 << (i % 8);
      expect(() => readUpdateFile(changed, SECRET), `byte ${i}`).toThrow(expect.objectContaining({ code: expect.stringMatching(/^E_UPDATE_(AUTH|FORMAT)$/) }));
    }
    expect(() => readUpdateFile(bytes.subarray(0, bytes.length - 1), SECRET)).toThrow(expect.objectContaining({ code: 'E_UPDATE_AUTH' }));
    expect(() => readUpdateFile(Buffer.concat([bytes, Buffer.of(0)]), SECRET)).toThrow(expect.objectContaining({ code: 'E_UPDATE_AUTH' }));
  });

  it('blocks a destroyed user’s old generation and a deleted user; neither old key opens anything', async () => {
    const oldB = keyOf(B);
    const oldC = keyOf(C);
    await exec('users.destroyKeys', { mobiles: [B] });
    await exec('users.delete', { mobiles: [C] });
    const { r, bytes } = await generate();
    const { crs } = inspectUpdateFile(bytes, SECRET);
    expect(r.blocked).toBe(2);
    expect(crs.blocked).toEqual([
      { kind: 'user', uri: `tel:${B}`, generation: 1, reason: 'destroyed' },
      { kind: 'user', uri: `tel:${C}`, generation: 1, reason: 'deleted' },
    ]);
    expect(crs.endpoints.map((e) => e.id)).toEqual([`tel:${A}`, `tel:${B}`]);
    expect(crs.endpoints[1]).toMatchObject({ generation: 2 });
    expect(() => inspectUpdateFile(bytes, SECRET, { endpoint: B, updateKey: oldB })).toThrow(expect.objectContaining({ code: 'E_UPDATE_KEY' }));
    expect(inspectUpdateFile(bytes, SECRET, { endpoint: B, updateKey: keyOf(B) }).entry!.entry.kind).toBe('user');
    expect(() => inspectUpdateFile(bytes, SECRET, { endpoint: C, updateKey: oldC })).toThrow(expect.objectContaining({ code: 'E_NOT_FOUND' }));

    // The new letter's TLS credential is generation 2's: the blocked generation 1 credential is not it.
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const tls = async (m: string) => hex(decodeUserQr(Buffer.from((await exec<{ payload: string }>('letters.userQr', { mobile: m })).payload, 'hex')).tlsCredential);
    expect(await tls(B)).toBe(hex(tlsCredential(SECRET, `tel:${B};generation=2`)));
    expect(await tls(B)).not.toBe(hex(tlsCredential(SECRET, `tel:${B}`)));
    expect(await tls(A)).toBe(hex(tlsCredential(SECRET, `tel:${A}`)));

    // The number given to someone new starts above the blocked generation; the block stays.
    await exec('users.add', { firstName: 'New', lastName: 'Holder', mobile: C });
    expect(seen.users!.get(C)!.generation).toBe(2);
    const again = inspectUpdateFile((await generate()).bytes, SECRET).crs;
    expect(again.blocked).toContainEqual({ kind: 'user', uri: `tel:${C}`, generation: 1, reason: 'deleted' });
    expect(again.endpoints.find((e) => e.id === `tel:${C}`)).toMatchObject({ generation: 2 });
  }, 60_000);

  it('blocks a user the last file listed even if its deletion was never recorded, and its number starts above it', async () => {
    const D = '+46701000004';
    await exec('users.add', { firstName: 'Dora', lastName: 'Lost', mobile: D });
    await exec('users.destroyKeys', { mobiles: [D] }); // generation 2
    await generate(); // lists D at generation 2
    crash.nextDeletion = true;
    await expect(exec('users.delete', { mobiles: [D] })).rejects.toThrow(); // the deletion is stored, its record is not
    expect(seen.users!.get(D)).toBeUndefined();
    const { crs } = inspectUpdateFile((await generate()).bytes, SECRET);
    expect(crs.blocked.filter((b) => b.kind === 'user' && b.uri === `tel:${D}`)).toEqual([
      { kind: 'user', uri: `tel:${D}`, generation: 1, reason: 'deleted' },
      { kind: 'user', uri: `tel:${D}`, generation: 2, reason: 'deleted' },
    ]);
    await exec('users.add', { firstName: 'Next', lastName: 'Holder', mobile: D });
    expect(seen.users!.get(D)!.generation).toBe(3);
    // Recorded now: later files keep the block though the last file no longer lists the old holder.
    const later = inspectUpdateFile((await generate()).bytes, SECRET).crs;
    expect(later.blocked.filter((b) => b.kind === 'user' && b.uri === `tel:${D}`).map((b) => (b as { generation: number }).generation)).toEqual([1, 2]);
    expect(later.endpoints.find((e) => e.id === `tel:${D}`)).toMatchObject({ generation: 3 });
  }, 60_000);

  it('carries added peers and revokes deleted ones, exactly', async () => {
    const p1 = await exec<{ fingerprint: string }>('domains.add', { certificateBase64: foreign('peer-one.example'), confirmed: true });
    await exec('domains.add', { certificateBase64: foreign('peer-two.example'), confirmed: true });
    let entry = inspectUpdateFile((await generate()).bytes, SECRET, { endpoint: A, updateKey: keyOf(A) }).entry!;
    expect(entry.entry.peers.map((p) => p.securityDomain)).toEqual(['peer-one.example', 'peer-two.example']);
    expect(entry.entry.revokedPeers).toEqual([]);
    await exec('domains.delete', { fingerprint: p1.fingerprint });
    const { r, bytes } = await generate();
    expect(r).toMatchObject({ peers: 1, revokedPeers: 1 });
    entry = inspectUpdateFile(bytes, SECRET, { endpoint: A, updateKey: keyOf(A) }).entry!;
    expect(entry.entry.peers.map((p) => p.securityDomain)).toEqual(['peer-two.example']);
    expect(entry.entry.revokedPeers).toEqual([expect.objectContaining({ securityDomain: 'peer-one.example', fingerprint: p1.fingerprint })]);
  }, 60_000);

  it('gives a channel’s name and keys to its members only, and the CRS only its id and members’ numbers', async () => {
    const ch = await exec<{ id: string }>('channels.add', { name: 'Night Shift Ops' });
    await exec('channels.setMembers', { id: ch.id, members: [A] });
    const { r, bytes } = await generate();
    expect(r.channels).toBe(1);
    const { crs } = inspectUpdateFile(bytes, SECRET);
    expect(crs.channels).toEqual([{ id: ch.id, members: [A] }]);
    expect(bytes.includes(Buffer.from('Night Shift'))).toBe(false);
    const a = inspectUpdateFile(bytes, SECRET, { endpoint: A, updateKey: keyOf(A) }).entry!;
    expect(a.entry.channels.map((c) => [c.id, c.name])).toEqual([[ch.id, 'Night Shift Ops']]);
    expect(a.valid).toBe(true);
    expect(a.checks.filter((c) => c.uri === `keyward:channel:${ch.id}`)).toHaveLength(2);
    expect(inspectUpdateFile(bytes, SECRET, { endpoint: B, updateKey: keyOf(B) }).entry!.entry.channels).toEqual([]);
    await exec('channels.delete', { id: ch.id });
  }, 60_000);

  it('gives every gateway crypto engine its own entry and blocks revoked and deleted gateways’ engines', async () => {
    const g = await exec<GatewaySummary>('gateways.add', { name: 'CIG', number: '+8888', engines: 3 });
    const engines = seen.gateways!.get(g.id)!.engines;
    let { bytes } = await generate();
    let crs = inspectUpdateFile(bytes, SECRET).crs;
    const ids = engines.map((e) => `tel:+8888;engine=${e.id}`);
    expect(crs.endpoints.filter((e) => e.kind === 'engine').map((e) => e.id)).toEqual(ids);
    for (const [i, e] of engines.entries()) {
      const opened = inspectUpdateFile(bytes, SECRET, { endpoint: ids[i]!, updateKey: e.updateKey }).entry!;
      expect(opened.valid).toBe(true);
      expect(opened.entry.identities.map((x) => x.uri)).toEqual(['tel:+8888']);
      expect(() => inspectUpdateFile(bytes, SECRET, { endpoint: ids[(i + 1) % 3]!, updateKey: e.updateKey })).toThrow(expect.objectContaining({ code: 'E_UPDATE_KEY' }));
    }
    await exec('gateways.edit', { id: g.id, replace: [engines[0]!.id] });
    ({ bytes } = await generate());
    crs = inspectUpdateFile(bytes, SECRET).crs;
    expect(crs.blocked.filter((b) => b.kind === 'engine')).toEqual([{ kind: 'engine', gateway: 'tel:+8888', engine: engines[0]!.id, reason: 'revoked' }]);
    expect(crs.endpoints.map((e) => e.id)).not.toContain(ids[0]);
    expect(crs.endpoints.filter((e) => e.kind === 'engine')).toHaveLength(3);

    await exec('gateways.delete', { ids: [g.id] });
    crs = inspectUpdateFile((await generate()).bytes, SECRET).crs;
    expect(crs.endpoints.filter((e) => e.kind === 'engine')).toEqual([]);
    expect(crs.blocked.filter((b) => b.kind === 'engine')).toHaveLength(4);

    // Deleted before any file listed it: its engines' letters carry credentials, so they are blocked too.
    const unlisted = await exec<GatewaySummary>('gateways.add', { name: 'CIG2', number: '+8899', engines: 3 });
    await exec('gateways.delete', { ids: [unlisted.id] });
    crs = inspectUpdateFile((await generate()).bytes, SECRET).crs;
    expect(crs.blocked.filter((b) => b.kind === 'engine' && b.gateway === 'tel:+8899').map((b) => (b as { engine: string }).engine).sort()).toEqual(
      unlisted.engines.map((e) => e.id).sort(),
    );
  }, 90_000);

  it('makes next month’s keys once and reuses them; a cancelled run stores no key and writes no file', async () => {
    // Enough key sets to go to the worker pool, which is cancelled part-way.
    const file = Array.from({ length: 12 }, (_, i) => `Pool${i}\tUser\t+4670200${String(i).padStart(4, '0')}\t\n`).join('');
    await exec('users.import', { fileName: 'pool.txt', contentBase64: Buffer.from(file).toString('base64') });
    const later = now.next().next();
    const before = fs.readdirSync(out).length;
    const controller = new AbortController();
    const run = exec('updates.generate', { out, month: later.next().toString() }, {
      signal: controller.signal,
      onProgress: (p) => p.message === 'Generating keys' && p.done > 0 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'E_CANCELLED' });
    for (const m of [A, '+46702000000', '+46702000011']) expect(await seen.keys!.periods(telUri(m))).toEqual([now.toString(), now.next().toString()]);
    expect(fs.readdirSync(out).length).toBe(before);

    const first = await generate(later.toString());
    expect(first.r.keysMade).toBeGreaterThan(0);
    const ssk = (await seen.keys!.get(telUri(A), later))!.ssk;
    const second = await generate(later.toString());
    expect(second.r.keysMade).toBe(0);
    expect((await seen.keys!.get(telUri(A), later))!.ssk).toEqual(ssk);
    expect(inspectUpdateFile(second.bytes, SECRET).crs.months).toEqual([later.toString(), later.next().toString()]);
  }, 90_000);

  it('writes under a temporary name and renames; a killed run’s temporary file is removed by the next', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-updates-tmp-'));
    try {
      fs.writeFileSync(path.join(dir, '.update-2026-12_20261202T000000000.kwu.0a1b2c3d4e5f.tmp'), 'half a file');
      const r = await exec<GenerateResult & { file: string }>('updates.generate', { out: dir });
      expect(fs.readdirSync(dir)).toEqual([r.fileName]);
      expect((fs.statSync(r.file).mode & 0o777).toString(8)).toBe('600');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad month and a missing target, naming the field', async () => {
    await expect(exec('updates.generate', { out, month: '2026-13' })).rejects.toMatchObject({ code: 'E_INVALID_ARGS', message: expect.stringContaining('month') });
    await expect(exec('updates.generate', {})).rejects.toMatchObject({ code: 'E_INVALID_ARGS', message: expect.stringContaining('out') });
    await expect(exec('updates.generate', { out: path.join(out, 'nope') })).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
  });

  it('tells the deadline, the status with the last update, and the calendar file', async () => {
    expect(await exec('updates.deadline', { month: '2013-05' })).toEqual({ month: '2013-05', sendBefore: '2013-04-27' });
    const status = await exec<{ months: string[]; deadline: { month: string; sendBefore: string }; daysLeft: number; last: { fileName: string } | null }>('updates.status');
    expect(status.months).toEqual([now.toString(), now.next().toString()]);
    expect(status.deadline).toEqual(await exec('updates.deadline'));
    const today = new Date(new Date().toISOString().slice(0, 10)).getTime();
    expect(status.daysLeft).toBe((Date.parse(status.deadline.sendBefore) - today) / 86_400_000);
    expect(status.last?.fileName).toMatch(/^update-\d{4}-\d\d_/);
    const cal = await exec<{ fileName: string; text: string }>('updates.calendar');
    expect(cal.fileName).toBe('keyward-update-reminder.ics');
    expect(cal.text).toContain(`UID:keyward-monthly-update-${TEST_SETUP.crs.account}@keyward`);
  });

  it('carries the domain settings; channels off leaves every channel out; after a CRS migration the file is the new CRS’s', async () => {
    const ch = await exec<{ id: string }>('channels.add', { name: 'Quiet Room' });
    await exec('channels.setMembers', { id: ch.id, members: [A] });
    await exec('settings.setFeatures', { channels: false, messageLifetime: { maxSeconds: 30 * 86_400, defaultSeconds: 12 * 3_600 }, confirmBlocking: true });
    let { r, bytes } = await generate();
    expect(r.channels).toBe(0);
    expect(inspectUpdateFile(bytes, SECRET).crs.channels).toEqual([]);
    const entry = inspectUpdateFile(bytes, SECRET, { endpoint: A, updateKey: keyOf(A) }).entry!.entry;
    expect(entry.channels).toEqual([]);
    expect(entry.settings).toMatchObject({ channels: false, messageLifetime: { maxSeconds: 2_592_000, defaultSeconds: 43_200 } });
    await exec('settings.setFeatures', { channels: true, messageLifetime: null });

    await exec('settings.setCrs', { address: 'crs2.example.org', account: 'NEWACCOUNT_2', secret: 'n3w-shared-secret' });
    ({ r, bytes } = await generate());
    expect(() => readUpdateFile(bytes, SECRET)).toThrow(expect.objectContaining({ code: 'E_UPDATE_AUTH' }));
    const moved = inspectUpdateFile(bytes, 'n3w-shared-secret', { endpoint: A, updateKey: keyOf(A) });
    expect(moved.crs.account).toBe('NEWACCOUNT_2');
    expect(moved.entry!.entry.crs).toEqual({ address: 'crs2.example.org', account: 'NEWACCOUNT_2' });
    await exec('settings.setCrs', { address: TEST_SETUP.crs.address, account: TEST_SETUP.crs.account, secret: SECRET });
    await exec('channels.delete', { id: ch.id });
  }, 60_000);

  it('records the generation in the event log without secrets', async () => {
    const log = await exec<{ records: { action: string; details?: object }[] }>('log.list', { action: 'updates.generate' });
    expect(log.records.length).toBeGreaterThan(0);
    const text = JSON.stringify(log.records);
    expect(text).not.toMatch(/[0-9a-f]{32}/);
    expect(text).not.toContain(SECRET);
  });
});
