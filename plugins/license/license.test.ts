import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONFIG_FILE, Kernel, TEST_PASSPHRASE, TEST_SETUP, createTestKernel, type EventRecord, type TestKernel } from '../../src/kernel/index.js';
import domain from '../domain/index.js';
import keys from '../keys/index.js';
import settings from '../settings/index.js';
import users from '../users/index.js';
import { INSTALLATION_FILE, MACHINE_ID_FILE_ENV } from './checksum.js';
import license from './index.js';
import { issueKey, type LicenseClaims } from './key-format.js';
import type { LicenseStatus } from './tokens.js';

const plugins = [domain, settings, license, keys, users];
const vendor = ed25519.keygen();
const config = { licenseVerifyingKey: bytesToHex(vendor.publicKey) };
const SYSTEM_ID = 'ACME-01';
const DAY = 86_400_000;

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const key = (claims: Partial<LicenseClaims>, secret = vendor.secretKey) => issueKey({ systemId: SYSTEM_ID, maxUsers: 3, ...claims }, secret);
const b64 = (text: string) => Buffer.from(text).toString('base64');
const userFile = (first: number, count: number) =>
  b64(Array.from({ length: count }, (_, i) => `User${first + i}\tTest\t+4670100${String(first + i).padStart(4, '0')}\t\n`).join(''));

const exec = <R = unknown>(k: Kernel, id: string, args?: unknown) => k.commands.execute(id, args as never, { actor: 'test' }) as Promise<R>;
const show = (k: Kernel) => exec<LicenseStatus>(k, 'license.show');
const raw = (checksum: string) => checksum.replace(/-/g, '');

/** Two machine ids to switch between, through the documented seam. */
const machines = fs.mkdtempSync(path.join(tmpdir(), 'keyward-machines-'));
const machineA = path.join(machines, 'a');
const machineB = path.join(machines, 'b');
fs.writeFileSync(machineA, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n');
fs.writeFileSync(machineB, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n');
process.env[MACHINE_ID_FILE_ENV] = machineA;
afterAll(() => fs.rmSync(machines, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
  process.env[MACHINE_ID_FILE_ENV] = machineA;
});

async function logOf(k: Kernel, action: string): Promise<EventRecord[]> {
  return (await exec<{ records: EventRecord[] }>(k, 'log.list', { action })).records;
}

/** kernel.init's refusal of `setup` on a licensed deployment; the data dir is left as it was (only the config). */
async function setupRefusal(setup: { systemId?: string; licenseKey?: string }) {
  const dataDir = fs.mkdtempSync(path.join(tmpdir(), 'keyward-wizard-'));
  try {
    fs.writeFileSync(path.join(dataDir, CONFIG_FILE), JSON.stringify(config));
    const kernel = await Kernel.create({ dataDir, plugins, insecureTestKdf: true });
    const init = exec(kernel, 'kernel.init', { passphrase: TEST_PASSPHRASE, setup: { ...TEST_SETUP, ...setup } });
    const err = await init.then(
      () => {
        throw new Error('setup was accepted');
      },
      (e: unknown) => e as { code: string; message: string; details?: { field?: string } },
    );
    expect(fs.readdirSync(dataDir)).toEqual([CONFIG_FILE]);
    expect(kernel.state).toBe('uninitialised');
    return err;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('unlicensed deployment (no licenseVerifyingKey)', () => {
  let t: TestKernel;
  beforeAll(async () => (t = await createTestKernel({ plugins, setup: { systemId: 'ANY', licenseKey: 'not checked' } })));
  afterAll(() => t.cleanup());

  it('has no user limit, says so, and has no key to enter', async () => {
    const s = await show(t.kernel);
    expect(s).toMatchObject({ state: 'unlicensed', userLimit: null, systemId: 'ANY', usersInUse: 0 });
    expect(s.message).toMatch(/unlicensed: there is no user limit/);
    expect(s.checksum).toMatch(/^([0-9A-F]{4}-){7}[0-9A-F]{4}$/);
    expect(await exec(t.kernel, 'users.list')).toMatchObject({ userLimit: null });
    await expect(exec(t.kernel, 'license.set', { licenseKey: key({}) })).rejects.toMatchObject({ code: 'E_UNLICENSED' });
  });
});

describe('the wizard on a licensed deployment', () => {
  it('refuses a missing, damaged, tampered, foreign, expired or misbound key at the licence field, creating nothing', async () => {
    const good = key({ expires: day(10) });
    const cases: [Partial<{ systemId: string; licenseKey: string }>, string, RegExp][] = [
      [{ systemId: SYSTEM_ID }, 'E_INVALID_ARGS', /enter the licence key/],
      [{ licenseKey: good }, 'E_INVALID_ARGS', /enter the System ID/],
      [{ systemId: SYSTEM_ID, licenseKey: 'KWL-HELLO-WORLD' }, 'E_LICENSE_ENCODING', /whole key|damaged|character/],
      [{ systemId: SYSTEM_ID, licenseKey: good.slice(0, 10) + (good[10] === 'A' ? 'B' : 'A') + good.slice(11) }, 'E_LICENSE_SIGNATURE', /signature does not verify/],
      [{ systemId: SYSTEM_ID, licenseKey: key({ expires: day(10) }, ed25519.keygen().secretKey) }, 'E_LICENSE_SIGNATURE', /another deployment/],
      [{ systemId: 'OTHER-02', licenseKey: good }, 'E_LICENSE_SYSTEM_ID', /for System ID ACME-01, not OTHER-02/],
      [{ systemId: SYSTEM_ID, licenseKey: key({ expires: day(-1) }) }, 'E_LICENSE_EXPIRED', /expired on/],
      [{ systemId: SYSTEM_ID, licenseKey: key({ checksum: 'AB'.repeat(16) }) }, 'E_LICENSE_CHECKSUM', /ABAB-ABAB.*Send the System ID/],
    ];
    for (const [setup, code, message] of cases) {
      const err = await setupRefusal(setup);
      expect(err, JSON.stringify(setup)).toMatchObject({ code, message: expect.stringMatching(message) });
      expect(err.details?.field).toMatch(/^(licenseKey|systemId)$/);
    }
  });
});

describe('a licensed installation', () => {
  let t: TestKernel;
  const wizardKey = key({ maxUsers: 2, expires: day(10) });
  // Typed in lower case with spaces for dashes: verified and stored as the vendor tool prints it.
  beforeAll(async () => (t = await createTestKernel({ plugins, config, setup: { systemId: SYSTEM_ID, licenseKey: wizardKey.toLowerCase().replace(/-/g, ' ') } })));
  afterAll(() => t?.cleanup());

  it('starts on the wizard’s temporary key and limits add and import to it', async () => {
    expect(await exec(t.kernel, 'settings.get')).toMatchObject({ license: { systemId: SYSTEM_ID, licenseKey: wizardKey } });
    const s = await show(t.kernel);
    expect(s).toMatchObject({ state: 'temporary', kind: 'temporary', maxUsers: 2, userLimit: 2, until: day(10), usersInUse: 0 });
    expect(s.message).toContain(`send the System ID ${SYSTEM_ID} and this installation's checksum ${s.checksum}`);
    await exec(t.kernel, 'users.import', { fileName: 'two.txt', contentBase64: userFile(1, 2) }); // exactly at the limit
    await expect(exec(t.kernel, 'users.add', { firstName: 'Third', mobile: '+46701009999' })).rejects.toMatchObject({
      code: 'E_USER_LIMIT',
      message: expect.stringContaining(`the temporary licence (until ${day(10)}), so it allows 2 users; there are 2`),
    });
    expect((await show(t.kernel)).usersInUse).toBe(2);
  });

  it('New License: a permanent key for this checksum raises the limit; the log has no key text', async () => {
    const { checksum } = await show(t.kernel);
    const permanent = key({ maxUsers: 4, checksum: raw(checksum) });
    expect(await exec(t.kernel, 'license.verify', { licenseKey: permanent })).toEqual({ systemId: SYSTEM_ID, maxUsers: 4, kind: 'permanent' });
    expect((await show(t.kernel)).maxUsers).toBe(2); // verify stores nothing
    await exec(t.kernel, 'license.set', { licenseKey: permanent });
    expect(await show(t.kernel)).toMatchObject({ state: 'valid', kind: 'permanent', maxUsers: 4, userLimit: 4, message: 'Licensed for 4 users.' });
    const [record] = await logOf(t.kernel, 'license.set');
    expect(record).toMatchObject({ target: SYSTEM_ID, details: { maxUsers: 4, kind: 'permanent' } });
    expect(JSON.stringify(await exec(t.kernel, 'log.list'))).not.toContain(permanent.slice(8, 30));
  });

  it('refuses an import over the limit before writing anything, and accepts one at it', async () => {
    const over = exec(t.kernel, 'users.import', { fileName: 'three.txt', contentBase64: userFile(10, 3) });
    await expect(over).rejects.toMatchObject({ code: 'E_IMPORT_INVALID' });
    const errors = ((await over.catch((e: { details: { errors: { reason: string }[] } }) => e)) as { details: { errors: { reason: string }[] } }).details.errors;
    expect(errors[0].reason).toContain('the licence allows 4 users; there are 2, so 3 more would exceed it');
    expect((await show(t.kernel)).usersInUse).toBe(2);
    await exec(t.kernel, 'users.import', { fileName: 'two-more.txt', contentBase64: userFile(10, 2) });
    expect((await show(t.kernel)).usersInUse).toBe(4);
  });

  it('New License refuses bad keys and keeps the stored one', async () => {
    const refusals: [unknown, string][] = [
      [{ licenseKey: key({ maxUsers: 9, checksum: 'CD'.repeat(16) }) }, 'E_LICENSE_CHECKSUM'],
      [{ licenseKey: key({ maxUsers: 9, expires: day(-3) }) }, 'E_LICENSE_EXPIRED'],
      [{ licenseKey: key({ maxUsers: 9, systemId: 'OTHER' }) }, 'E_LICENSE_SYSTEM_ID'],
      [{ licenseKey: 'KWL-0000' }, 'E_LICENSE_ENCODING'],
      [{ licenseKey: '' }, 'E_INVALID_ARGS'],
    ];
    for (const [args, code] of refusals) await expect(exec(t.kernel, 'license.set', args)).rejects.toMatchObject({ code });
    expect(await show(t.kernel)).toMatchObject({ state: 'valid', maxUsers: 4 });
  });

  it('a stored temporary key that expires blocks adding users, saying so, and hides nothing', async () => {
    await exec(t.kernel, 'license.set', { licenseKey: key({ maxUsers: 10, expires: day(5) }) });
    expect(await show(t.kernel)).toMatchObject({ state: 'temporary', until: day(5), userLimit: 10 });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 7 * DAY);
    const s = await show(t.kernel);
    expect(s).toMatchObject({ state: 'expired', userLimit: 0, maxUsers: 10, usersInUse: 4 });
    expect(s.message).toMatch(/expired on .*no users can be added.*existing users and their keys keep working/);
    await expect(exec(t.kernel, 'users.add', { firstName: 'Late', mobile: '+46701008888' })).rejects.toMatchObject({
      code: 'E_USER_LIMIT',
      message: expect.stringMatching(/^the licence expired on \d{4}-\d\d-\d\d \(existing users keep working\), so it allows 0 users/),
    });
    expect(await exec(t.kernel, 'users.list')).toMatchObject({ total: 4 });
    await exec(t.kernel, 'users.show', { mobile: '+46701000001' });
  });
});

describe('restored on a new machine', () => {
  it('runs a permanent key for the old checksum as a temporary licence for 30 days, then blocks new users', async () => {
    const t = await createTestKernel({ plugins, config, setup: { systemId: SYSTEM_ID, licenseKey: key({ expires: day(10) }) } });
    try {
      await exec(t.kernel, 'license.set', { licenseKey: key({ maxUsers: 5, checksum: raw((await show(t.kernel)).checksum) }) });
      const old = await show(t.kernel);
      expect(old.state).toBe('valid');
      await t.kernel.stop();

      // The same data on another machine: another machine id, same installation.json.
      process.env[MACHINE_ID_FILE_ENV] = machineB;
      const moved = await Kernel.create({ dataDir: t.dataDir, plugins });
      await exec(moved, 'kernel.unlock', { passphrase: TEST_PASSPHRASE });
      const s = await show(moved);
      expect(s.checksum).not.toBe(old.checksum);
      expect(s).toMatchObject({ state: 'temporary', kind: 'permanent', userLimit: 5, until: day(30), keyChecksum: old.checksum });
      expect(s.message).toContain(`send the System ID ${SYSTEM_ID} and this installation's checksum ${s.checksum} to your supplier for a permanent key`);
      expect(await logOf(moved, 'license.temporary')).toHaveLength(1);
      await exec(moved, 'users.add', { firstName: 'Still', mobile: '+46701007777' });

      // The grace period counts from the first start here, not from each start.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 20 * DAY);
      await moved.stop();
      await exec(moved, 'kernel.unlock', { passphrase: TEST_PASSPHRASE });
      expect(await show(moved)).toMatchObject({ state: 'temporary', until: day(10) });
      vi.setSystemTime(Date.now() + 11 * DAY);
      expect(await show(moved)).toMatchObject({ state: 'expired', userLimit: 0 });
      await expect(exec(moved, 'users.add', { firstName: 'No', mobile: '+46701006666' })).rejects.toMatchObject({ code: 'E_USER_LIMIT' });

      // The supplier's permanent key for the new checksum ends it.
      await exec(moved, 'license.set', { licenseKey: key({ maxUsers: 5, checksum: raw(s.checksum) }) });
      expect(await show(moved)).toMatchObject({ state: 'valid', userLimit: 5 });
      await moved.stop();
    } finally {
      await t.cleanup();
    }
  });

  it('a data dir copied without installation.json (as a backup holds it) is a new installation', async () => {
    const t = await createTestKernel({ plugins, config, setup: { systemId: SYSTEM_ID, licenseKey: key({ expires: day(10) }) } });
    const copy = fs.mkdtempSync(path.join(tmpdir(), 'keyward-restored-'));
    try {
      const { checksum } = await show(t.kernel);
      await exec(t.kernel, 'license.set', { licenseKey: key({ maxUsers: 5, checksum: raw(checksum) }) });
      await t.kernel.stop();
      fs.cpSync(t.dataDir, copy, { recursive: true, filter: (src) => path.basename(src) !== INSTALLATION_FILE && !src.endsWith('.lock') });
      fs.writeFileSync(path.join(copy, CONFIG_FILE), JSON.stringify(config));
      const restored = await Kernel.create({ dataDir: copy, plugins });
      await exec(restored, 'kernel.unlock', { passphrase: TEST_PASSPHRASE });
      expect(await show(restored)).toMatchObject({ state: 'temporary', kind: 'permanent', keyChecksum: checksum, until: day(30) });
      await restored.stop();
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
      await t.cleanup();
    }
  });
});
