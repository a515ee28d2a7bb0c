import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kernel, createTestKernel, type EventRecord } from '../../src/kernel/index.js';
import { builtinPlugins } from '../index.js';
import { validateAddress } from './validate.js';

const SECRET = 's3cret-shared'; // the test kit's default CRS secret
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function kernelWithSettings(setup?: Parameters<typeof createTestKernel>[0]['setup']) {
  const t = await createTestKernel({ plugins: builtinPlugins, setup });
  cleanups.push(t.cleanup);
  return t;
}

async function records(kernel: Kernel): Promise<EventRecord[]> {
  return ((await kernel.commands.execute('log.list', { limit: 1000 })) as unknown as { records: EventRecord[] }).records;
}

describe('settings plugin', () => {
  it('stores the wizard part and never returns the shared secret from settings.get', async () => {
    const { kernel } = await kernelWithSettings({
      securityDomain: 'test.example',
      systemId: 'SYS-0042',
      licenseKey: 'LICENSE-AS-GIVEN',
      crs: { address: 'crs.example.net', account: 'DEMOACCOUNT_1', secret: SECRET },
    });
    const got = await kernel.commands.execute('settings.get');
    expect(got).toEqual({
      crs: { address: 'crs.example.net', account: 'DEMOACCOUNT_1', secretSet: true },
      crsHistory: [{ time: expect.stringMatching(ISO), address: 'crs.example.net', account: 'DEMOACCOUNT_1', kind: 'setup', secretReplaced: false }],
      license: { systemId: 'SYS-0042', licenseKey: 'LICENSE-AS-GIVEN' },
      features: { messageLifetime: null, authorisedIntercept: false, multipath: false, channels: true, qrProtection: false },
      qrProtectionSet: false,
    });
    expect(JSON.stringify(got)).not.toContain(SECRET);
  });

  it('reveals the secret on request and logs the reveal without the value', async () => {
    const { kernel } = await kernelWithSettings();
    expect(await kernel.commands.execute('settings.revealCrsSecret')).toEqual({ secret: SECRET });
    const log = await records(kernel);
    expect(log.map((r) => r.action)).toContain('settings.revealCrsSecret');
    expect(JSON.stringify(log)).not.toContain(SECRET);
  });

  it('changes the CRS, keeps the secret when none is given, records the change without the secret', async () => {
    const { kernel, dataDir, passphrase } = await kernelWithSettings();
    await kernel.commands.execute('settings.setCrs', { address: '10.1.2.3', account: 'NEWACCOUNT' });
    expect(await kernel.commands.execute('settings.revealCrsSecret')).toEqual({ secret: SECRET });
    await kernel.commands.execute('settings.setCrs', { address: 'crs2.example.org', account: 'NEWACCOUNT', secret: 'brand-new-secret' });

    const changes = (await records(kernel)).filter((r) => r.action === 'settings.setCrs'); // newest first
    expect(changes.map((r) => r.details)).toEqual([
      { address: 'crs2.example.org', account: 'NEWACCOUNT', credentialReplaced: true },
      { address: '10.1.2.3', account: 'NEWACCOUNT', credentialReplaced: false },
    ]);
    expect(JSON.stringify(await records(kernel))).not.toContain('brand-new-secret');

    // Survives a restart (read back from the encrypted collection).
    // The migration history: every CRS since setup, oldest first, never a secret.
    const history = [
      { time: expect.stringMatching(ISO), address: 'crs.example.net', account: 'DEMOACCOUNT_1', kind: 'setup', secretReplaced: false },
      { time: expect.stringMatching(ISO), address: '10.1.2.3', account: 'NEWACCOUNT', kind: 'change', secretReplaced: false },
      { time: expect.stringMatching(ISO), address: 'crs2.example.org', account: 'NEWACCOUNT', kind: 'change', secretReplaced: true },
    ];
    const got = await kernel.commands.execute('settings.get');
    expect(got).toMatchObject({ crsHistory: history });
    expect(JSON.stringify(got)).not.toMatch(/brand-new-secret|s3cret-shared/);

    // Storing what is stored is no migration: no history entry.
    await kernel.commands.execute('settings.setCrs', { address: 'crs2.example.org', account: 'NEWACCOUNT' });
    await kernel.commands.execute('settings.setCrs', { address: 'crs2.example.org', account: 'NEWACCOUNT', secret: 'brand-new-secret' });
    expect(await kernel.commands.execute('settings.get')).toMatchObject({ crsHistory: history });

    await kernel.stop();
    const reopened = await Kernel.create({ dataDir, plugins: builtinPlugins });
    await reopened.commands.execute('kernel.unlock', { passphrase });
    expect(await reopened.commands.execute('settings.get')).toMatchObject({
      crs: { address: 'crs2.example.org', account: 'NEWACCOUNT', secretSet: true },
      crsHistory: history,
    });
    expect(await reopened.commands.execute('settings.revealCrsSecret')).toEqual({ secret: 'brand-new-secret' });
    await reopened.stop();
  });

  it('keeps the CRS history out of the settings file in clear', async () => {
    const { kernel, dataDir } = await kernelWithSettings();
    await kernel.commands.execute('settings.setCrs', { address: 'crs-history-probe.example.org', account: 'MIGRATED_ACCOUNT' });
    const raw = fs.readFileSync(path.join(dataDir, 'settings.db'), 'utf8');
    expect(raw).not.toContain('crs-history-probe');
    expect(raw).not.toContain('MIGRATED_ACCOUNT');
  });

  it('refuses bad CRS values naming the field, without echoing the secret, and changes nothing', async () => {
    const { kernel } = await kernelWithSettings();
    const before = await kernel.commands.execute('settings.get');
    const cases: [Record<string, string>, string][] = [
      [{ address: 'http://crs.example.net', account: 'A' }, 'crs.address'],
      [{ address: 'crs', account: 'A' }, 'crs.address'],
      [{ address: 'crs.example.net', account: 'has space' }, 'crs.account'],
      [{ address: 'crs.example.net', account: 'A', secret: 'short' }, 'crs.secret'],
      [{ address: 'crs.example.net', account: 'A', secret: 'has a space inside' }, 'crs.secret'],
    ];
    for (const [args, field] of cases) {
      const run = kernel.commands.execute('settings.setCrs', args);
      await expect(run).rejects.toMatchObject({ code: 'E_INVALID_ARGS', details: { field } });
      const err = (await run.catch((e: unknown) => e)) as Error;
      if (args.secret) expect(err.message).not.toContain(args.secret);
    }
    await expect(kernel.commands.execute('settings.setCrs', 'not an object')).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
    expect(await kernel.commands.execute('settings.get')).toEqual(before);
  });

  it('refuses a bad CRS address in the wizard, naming the field, and leaves no files', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-settings-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
    const init = kernel.commands.execute('kernel.init', {
      passphrase: 'correct horse battery staple',
      setup: { securityDomain: 'test.example', crs: { address: 'not an address', account: 'A', secret: SECRET } },
    });
    await expect(init).rejects.toMatchObject({ code: 'E_INVALID_ARGS', details: { field: 'crs.address' } });
    expect(kernel.state).toBe('uninitialised');
    expect(fs.readdirSync(dataDir)).toEqual([]);
    await kernel.stop();
  });
});

describe('validateAddress', () => {
  it('accepts IPv4, IPv6 and FQDNs; refuses the rest', () => {
    for (const ok of ['192.0.2.10', '2001:db8::1', 'crs.example.net', 'a-b.c-d.example', 'CRS.Example.NET.']) {
      expect(() => validateAddress(ok, 'crs.address')).not.toThrow();
    }
    for (const bad of ['', 'localhost', '999.1.1.1', '1.2.3', 'crs..example', '-crs.example.net', 'crs.example.net:443', 'a b.example']) {
      expect(() => validateAddress(bad, 'crs.address'), bad).toThrow(/^crs\.address: /);
    }
  });
});
