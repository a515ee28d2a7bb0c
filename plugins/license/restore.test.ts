/**
 * The licence across a real backup and restore (the backup plugin): on the same machine the
 * installation keeps its checksum and its permanent key; on a new machine the restored permanent
 * key runs as a temporary licence and the Licence status says how to get a permanent one.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE, Kernel, TEST_PASSPHRASE, createTestKernel, type JsonValue } from '../../src/kernel/index.js';
import { builtinPlugins } from '../index.js';
import { MACHINE_ID_FILE_ENV } from './checksum.js';
import { issueKey } from './key-format.js';
import type { LicenseStatus } from './tokens.js';

const vendor = ed25519.keygen();
const config = { licenseVerifyingKey: bytesToHex(vendor.publicKey) };
const BACKUP_PASSPHRASE = 'backup phrase for the safe';
const root = fs.mkdtempSync(path.join(tmpdir(), 'keyward-license-restore-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const machine = (name: string) => {
  const file = path.join(root, `machine-${name}`);
  fs.writeFileSync(file, `${name.repeat(32).slice(0, 32)}\n`);
  return file;
};
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('licence after restoring a backup', () => {
  it('keeps the permanent key on the same machine and runs it as a temporary licence on a new one', async () => {
    process.env[MACHINE_ID_FILE_ENV] = machine('a');
    const t = await createTestKernel({
      plugins: builtinPlugins,
      config,
      setup: { systemId: 'ACME-01', licenseKey: issueKey({ systemId: 'ACME-01', maxUsers: 5, expires: inDays(9) }, vendor.secretKey) },
    });
    let moved: Kernel | undefined;
    try {
      const exec = <R>(k: Kernel, id: string, args?: unknown) => k.commands.execute(id, args as JsonValue, { actor: 'test' }) as Promise<R>;
      const { checksum } = await exec<LicenseStatus>(t.kernel, 'license.show');
      await exec(t.kernel, 'license.set', { licenseKey: issueKey({ systemId: 'ACME-01', maxUsers: 5, checksum: checksum.replace(/-/g, '') }, vendor.secretKey) });
      await exec(t.kernel, 'users.add', { firstName: 'Anna', mobile: '+46706764287' });
      const out = fs.mkdtempSync(path.join(root, 'out-'));
      const made = await exec<{ fileName: string }>(t.kernel, 'backup.create', { backupPassphrase: BACKUP_PASSPHRASE, out });
      const restoreArgs = {
        fileName: made.fileName,
        contentBase64: fs.readFileSync(path.join(out, made.fileName)).toString('base64'),
        backupPassphrase: BACKUP_PASSPHRASE,
        passphrase: TEST_PASSPHRASE,
      };

      // Same machine: restore over the running installation.
      await exec(t.kernel, 'backup.restore', restoreArgs);
      expect(await exec(t.kernel, 'license.show')).toMatchObject({ state: 'valid', checksum, userLimit: 5, usersInUse: 1 });

      // A new machine: the install wizard's "Restore from backup" on an empty data dir.
      process.env[MACHINE_ID_FILE_ENV] = machine('b');
      const dataDir = path.join(root, 'new-machine');
      fs.mkdirSync(dataDir);
      fs.writeFileSync(path.join(dataDir, CONFIG_FILE), JSON.stringify(config));
      moved = await Kernel.create({ dataDir, plugins: builtinPlugins });
      await exec(moved, 'backup.restore', restoreArgs);
      const s = await exec<LicenseStatus>(moved, 'license.show');
      expect(s.checksum).not.toBe(checksum);
      expect(s).toMatchObject({ state: 'temporary', kind: 'permanent', keyChecksum: checksum, userLimit: 5, usersInUse: 1, until: inDays(30) });
      expect(s.message).toContain(`send the System ID ACME-01 and this installation's checksum ${s.checksum} to your supplier for a permanent key`);
      await exec(moved, 'users.add', { firstName: 'Bo', mobile: '+46706764288' });
    } finally {
      await moved?.stop();
      await t.cleanup();
      delete process.env[MACHINE_ID_FILE_ENV];
    }
  });
});
