import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestKernel } from '../kernel/index.js';
import domain from '../../plugins/domain/index.js';
import keys from '../../plugins/keys/index.js';
import license from '../../plugins/license/index.js';
import type { LicenseStatus } from '../../plugins/license/tokens.js';
import settings from '../../plugins/settings/index.js';
import users from '../../plugins/users/index.js';
import { SECRET_KEY_FILE } from './main.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/keyward-license.js');
const dir = fs.mkdtempSync(path.join(tmpdir(), 'keyward-vendor-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The real bin in a child process: exit code, stdout, stderr. */
async function vendor(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('keyward-license', () => {
  it('makes a key pair whose keys a kernel with that verifying key accepts', async () => {
    const made = await vendor('keygen', '--out', dir);
    expect(made.code).toBe(0);
    const publicKey = made.stdout.trim();
    expect(publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(made.stderr).toContain(`"licenseVerifyingKey": "${publicKey}"`);
    const secretFile = path.join(dir, SECRET_KEY_FILE);
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(secretFile, 'utf8')).not.toContain(publicKey);

    const temporary = await vendor('issue', '--key', secretFile, '--system-id', 'ACME-01', '--max-users', '7', '--expires', day(14));
    expect(temporary.code).toBe(0);
    const t = await createTestKernel({
      plugins: [domain, settings, license, keys, users],
      config: { licenseVerifyingKey: publicKey },
      setup: { systemId: 'ACME-01', licenseKey: temporary.stdout.trim() },
    });
    try {
      const exec = <R>(id: string, args?: unknown) => t.kernel.commands.execute(id, args as never) as Promise<R>;
      const before = await exec<LicenseStatus>('license.show');
      expect(before).toMatchObject({ state: 'temporary', maxUsers: 7, until: day(14) });

      // The checksum as the Licence view shows it (grouped) is what the vendor is sent.
      const permanent = await vendor('issue', '--key', secretFile, '--system-id', 'ACME-01', '--max-users', '500', '--checksum', before.checksum, '--json');
      expect(permanent.code).toBe(0);
      const issued = JSON.parse(permanent.stdout) as { key: string; checksum: string };
      expect(issued.checksum).toBe(before.checksum.replace(/-/g, ''));
      await exec('license.set', { licenseKey: issued.key });
      expect(await exec('license.show')).toMatchObject({ state: 'valid', kind: 'permanent', maxUsers: 500, userLimit: 500 });
    } finally {
      await t.cleanup();
    }
  });

  it('never replaces a signing key and refuses bad input with exit 1, a wrong command line with exit 2', async () => {
    const secretFile = path.join(dir, SECRET_KEY_FILE);
    const before = fs.readFileSync(secretFile, 'utf8');
    expect(await vendor('keygen', '--out', dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('exists already; nothing was written') });
    expect(fs.readFileSync(secretFile, 'utf8')).toBe(before);
    const base = ['issue', '--key', secretFile, '--system-id', 'ACME-01'];
    expect(await vendor(...base, '--max-users', '0')).toMatchObject({ code: 1, stderr: expect.stringContaining('whole number') });
    expect(await vendor(...base, '--max-users', '5', '--expires', '2020-01-01')).toMatchObject({ code: 1, stderr: expect.stringContaining('in the past') });
    expect(await vendor(...base, '--max-users', '5', '--checksum', 'ABC')).toMatchObject({ code: 1, stderr: expect.stringContaining('32 hex digits') });
    expect(await vendor('issue', '--key', path.join(dir, 'absent'), '--system-id', 'A', '--max-users', '5')).toMatchObject({ code: 1, stderr: expect.stringContaining('no such file') });
    expect(await vendor(...base)).toMatchObject({ code: 2, stderr: expect.stringContaining('issue needs --max-users') });
    expect(await vendor('keygen', '--out', dir, '--system-id', 'X')).toMatchObject({ code: 2 });
    expect(await vendor('sign')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command') });
  });
});
