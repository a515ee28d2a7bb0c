import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { p256 } from '@noble/curves/nist.js';
import { afterEach, describe, expect, it } from 'vitest';
import { Kernel, SetupHook, createTestKernel, definePlugin } from '../../src/kernel/index.js';
import { Period, bytesToHex, hexToBytes, issueRsk, rskMatches, userIdentity, validateRsk } from '../../src/crypto/index.js';
import { bytesToBigint } from '../../src/crypto/bytes.js';
import { builtinPlugins } from '../index.js';
import { IDomain, type DomainShow } from './tokens.js';
import { SECURITY_DOMAIN_MAX, validateSecurityDomain } from './security-domain.js';

/** A plugin that hands the IDomain service to the test, as any consumer plugin would get it. */
function probe() {
  const seen: { domain?: IDomain } = {};
  const plugin = definePlugin({
    id: 'probe',
    requires: { domain: IDomain },
    activate(_ctx, deps) {
      seen.domain = deps.domain;
    },
  });
  return { plugin, seen };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('domain plugin', () => {
  it('creates consistent ECCSI and SAKKE master keys in the wizard and shows the public ones', async () => {
    const { plugin, seen } = probe();
    const t = await createTestKernel({ plugins: [...builtinPlugins, plugin] });
    cleanups.push(t.cleanup);

    const shown = await t.kernel.commands.execute<DomainShow>('domain.show');
    expect(shown.securityDomain).toBe('test.example');
    expect(shown.kpak).toMatch(/^04[0-9a-f]{128}$/);
    expect(shown.z).toMatch(/^04[0-9a-f]{512}$/);

    const master = seen.domain!.masterSecrets();
    // KPAK = [KSAK]G (RFC 6507 §4.2).
    expect(bytesToHex(p256.Point.BASE.multiply(bytesToBigint(master.ksak)).toBytes(false))).toBe(shown.kpak);
    expect(bytesToHex(master.kpak)).toBe(shown.kpak);
    // z and Z belong together: an RSK made with z passes the RFC 6508 §6.1.2 check against Z.
    const id = userIdentity(Period.parse('2026-12'), '+46706764287');
    const rsk = issueRsk(master.z, id);
    expect(rskMatches(master.z, id, rsk)).toBe(true);
    expect(validateRsk(hexToBytes(shown.z), id, rsk)).toBe(true);
    expect(bytesToHex(seen.domain!.publicKeys().Z)).toBe(shown.z);

    // Callers get copies: zeroising one does not touch the domain's keys.
    master.ksak.fill(0);
    expect(seen.domain!.masterSecrets().ksak.some((b) => b !== 0)).toBe(true);
  });

  it('creates the master keys once: a second setup refuses and changes nothing', async () => {
    const t = await createTestKernel({ plugins: builtinPlugins });
    cleanups.push(t.cleanup);
    const before = await t.kernel.commands.execute<DomainShow>('domain.show');
    const again = t.kernel.hooks.run(SetupHook, {
      securityDomain: 'other.example',
      crs: { address: 'crs.example.net', account: 'X', secret: 'another-secret' },
    });
    await expect(again).rejects.toMatchObject({ code: 'E_ALREADY_SET_UP' });
    expect(await t.kernel.commands.execute('domain.show')).toEqual(before);
  });

  it('keeps the keys across a restart, and domain.show is not an audited action', async () => {
    const t = await createTestKernel({ plugins: builtinPlugins });
    cleanups.push(t.cleanup);
    const before = await t.kernel.commands.execute<DomainShow>('domain.show');
    const log = await t.kernel.commands.execute<{ records: { action: string }[] }>('log.list', {});
    expect(log.records.map((r) => r.action)).not.toContain('domain.show');
    expect(t.kernel.menus.list()).toContainEqual({ id: 'domain', label: 'Connected Domains', element: 'kw-domain-view', order: 60 });
    await t.kernel.stop();

    const reopened = await Kernel.create({ dataDir: t.dataDir, plugins: builtinPlugins });
    expect(reopened.state).toBe('locked');
    await reopened.commands.execute('kernel.unlock', { passphrase: t.passphrase });
    expect(await reopened.commands.execute('domain.show')).toEqual(before);
    await reopened.stop();
  });

  it('refuses a bad Security Domain name in the wizard, naming the field, and leaves nothing behind', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-domain-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
    const init = kernel.commands.execute('kernel.init', {
      passphrase: 'correct horse battery staple',
      setup: { securityDomain: '  ', crs: { address: 'crs.example.net', account: 'DEMOACCOUNT_1', secret: 's3cret-shared' } },
    });
    await expect(init).rejects.toMatchObject({ code: 'E_INVALID_ARGS', message: expect.stringContaining('securityDomain') });
    expect(kernel.state).toBe('uninitialised');
    expect(fs.readdirSync(dataDir)).toEqual([]);
    await kernel.stop();
  });
});

describe('validateSecurityDomain', () => {
  it('accepts organisation names in any script, trimmed', () => {
    for (const name of ['Ministry of Defence', 'acme.example', 'Försvarsmakten', 'R&D (North)', "O'Brien/Partners_2", '国防部']) {
      expect(validateSecurityDomain(name)).toBe(name);
    }
    expect(validateSecurityDomain('  acme  ')).toBe('acme');
    expect(validateSecurityDomain('x'.repeat(SECURITY_DOMAIN_MAX))).toHaveLength(SECURITY_DOMAIN_MAX);
  });

  it('rejects empty, over-long, control and markup characters with a message naming the field', () => {
    for (const bad of ['', '   ', 'x'.repeat(SECURITY_DOMAIN_MAX + 1), '-leading', 'two\nlines', '<b>acme</b>', 'tab\there', 42, null]) {
      expect(() => validateSecurityDomain(bad)).toThrow(/^securityDomain: /);
    }
  });
});
