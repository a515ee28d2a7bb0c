import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Kernel, TEST_PASSPHRASE, createTestKernel } from '../../src/kernel/index.js';
import domain from '../domain/index.js';
import keys from '../keys/index.js';
import settings from '../settings/index.js';
import users from '../users/index.js';
import { INSTALLATION_FILE, MACHINE_ID_FILE_ENV, checksumOf, installationChecksum, machineId } from './checksum.js';
import license from './index.js';
import type { LicenseStatus } from './tokens.js';

const plugins = [domain, settings, license, keys, users];
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(tmpdir(), 'keyward-checksum-'));
  dirs.push(d);
  return d;
};
const machineFile = (id: string) => {
  const f = path.join(tempDir(), 'machine-id');
  fs.writeFileSync(f, `${id}\n`);
  return f;
};
afterEach(() => delete process.env[MACHINE_ID_FILE_ENV]);
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const checksumShown = async (k: Kernel) => (await k.commands.execute<LicenseStatus & Record<string, never>>('license.show')).checksum;

describe('installation checksum', () => {
  it('stays the same across restarts of the installation', async () => {
    const t = await createTestKernel({ plugins });
    try {
      const first = await checksumShown(t.kernel);
      const id = JSON.parse(fs.readFileSync(path.join(t.dataDir, INSTALLATION_FILE), 'utf8')).installationId;
      await t.kernel.stop();
      const again = await Kernel.create({ dataDir: t.dataDir, plugins });
      await again.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
      expect(await checksumShown(again)).toBe(first);
      expect(JSON.parse(fs.readFileSync(path.join(t.dataDir, INSTALLATION_FILE), 'utf8')).installationId).toBe(id);
      await again.stop();
    } finally {
      await t.cleanup();
    }
  });

  it('differs for a fresh install (another data dir) on the same machine', async () => {
    const a = await installationChecksum(tempDir());
    const b = await installationChecksum(tempDir());
    expect(a).toMatch(/^[0-9A-F]{32}$/);
    expect(b).not.toBe(a);
  });

  it('differs when the machine id differs, and reads the system machine id by default', async () => {
    const dir = tempDir();
    process.env[MACHINE_ID_FILE_ENV] = machineFile('11111111111111111111111111111111');
    const one = await installationChecksum(dir);
    expect(await installationChecksum(dir)).toBe(one);
    process.env[MACHINE_ID_FILE_ENV] = machineFile('22222222222222222222222222222222');
    expect(await installationChecksum(dir)).not.toBe(one);
    delete process.env[MACHINE_ID_FILE_ENV];
    const system = fs.existsSync('/etc/machine-id') ? fs.readFileSync('/etc/machine-id', 'utf8').trim() : undefined;
    if (system) expect(machineId()).toBe(system);
  });

  it('is SHA-256 over the context, the installation id and the machine id (docs/formats.md example)', () => {
    expect(checksumOf('00112233445566778899aabbccddeeff', '3d1219c7c4c5404aaa1f6d2a48adfda4')).toBe('C9A689ADE722C1D93DFCB6F020BA4840');
  });

  it('refuses a damaged installation.json rather than silently becoming a new installation', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, INSTALLATION_FILE), '{"installationId": "12"}');
    await expect(installationChecksum(dir)).rejects.toMatchObject({ code: 'E_INSTALLATION_FILE', message: expect.stringContaining(INSTALLATION_FILE) });
    process.env[MACHINE_ID_FILE_ENV] = path.join(dir, 'absent');
    expect(() => machineId()).toThrow(/cannot be read or is empty/);
  });
});
