/** `keyward license show|set`, run as the real binary on a licensed temp data dir. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKey, type LicenseClaims } from '../../plugins/license/key-format.js';
import { INIT_VALUES, initWithCli, runCli, tempDir } from './testing.js';

const vendor = ed25519.keygen();
const key = (claims: Partial<LicenseClaims>) => issueKey({ systemId: 'ACME-01', maxUsers: 2, ...claims }, vendor.secretKey);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

let root: { dir: string; remove: () => void };
let dataDir: string;
const kw = (...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', path.join(root.dir, 'passphrase.txt'), ...args]);

beforeAll(async () => {
  root = tempDir('kw-cli-license-');
  dataDir = path.join(root.dir, 'data');
  fs.mkdirSync(dataDir);
  fs.writeFileSync(path.join(dataDir, 'keyward.config.json'), JSON.stringify({ licenseVerifyingKey: bytesToHex(vendor.publicKey) }));
});
afterAll(() => root?.remove());

describe('keyward license', () => {
  it('init on a licensed deployment refuses a key of another vendor and keeps nothing', async () => {
    const foreign = issueKey({ systemId: 'ACME-01', maxUsers: 2, expires: inDays(9) }, ed25519.keygen().secretKey);
    const run = await initWithCli(dataDir, root.dir, { ...INIT_VALUES, systemId: 'ACME-01', licenseKey: foreign });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error \[E_LICENSE_SIGNATURE\]: licenseKey: the licence key’s signature does not verify/);
    expect(fs.readdirSync(dataDir)).toEqual(['keyward.config.json']);
    expect(JSON.stringify(run)).not.toContain(foreign.slice(10, 40));
  });

  it('shows the checksum and status, and sets a permanent key from the command line or a file', async () => {
    expect((await initWithCli(dataDir, root.dir, { ...INIT_VALUES, systemId: 'ACME-01', licenseKey: key({ expires: inDays(9) }) })).code).toBe(0);
    const shown = await kw('license', 'show', '--json');
    expect(shown.code).toBe(0);
    const status = JSON.parse(shown.stdout);
    expect(status).toMatchObject({ state: 'temporary', systemId: 'ACME-01', maxUsers: 2, until: inDays(9), usersInUse: 0 });
    const text = await kw('license', 'show');
    expect(text.stdout).toContain(`Checksum:  ${status.checksum}\nStatus:    temporary until ${inDays(9)}\nUsers:     0 of 2\n`);

    const checksum = status.checksum.replace(/-/g, '');
    const set = await kw('license', 'set', key({ maxUsers: 1, checksum }));
    expect(set).toMatchObject({ code: 0, stdout: 'Stored the licence key for System ID ACME-01: a permanent licence for 1 users.\n' });
    expect((await kw('users', 'add', '--first', 'One', '--mobile', '+46701000001')).code).toBe(0);
    const over = await kw('users', 'add', '--first', 'Two', '--mobile', '+46701000002');
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/^error \[E_USER_LIMIT\]: the licence allows 1 users; there are 1/);

    // As pasted from an e-mail: split over lines, lower case.
    const file = path.join(root.dir, 'licence.txt');
    fs.writeFileSync(file, `${key({ maxUsers: 3, checksum }).toLowerCase().replace(/(.{36})/g, '$1\n')}\n`);
    const fromFile = await kw('license', 'set', '--key-file', file, '--json');
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toEqual({ systemId: 'ACME-01', maxUsers: 3, kind: 'permanent' });
    expect(JSON.parse((await kw('license', 'show', '--json')).stdout)).toMatchObject({ state: 'valid', userLimit: 3, usersInUse: 1 });
  });

  it('refuses bad keys (exit 1) and a wrong command line (exit 2)', async () => {
    const bad = await kw('license', 'set', 'KWL-12345-ABCDE');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error \[E_LICENSE_(ENCODING|SIGNATURE)\]: licenseKey: /);
    const other = await kw('license', 'set', key({ systemId: 'OTHER-9', expires: inDays(3) }));
    expect(other.stderr).toContain('error [E_LICENSE_SYSTEM_ID]: licenseKey: the licence key is for System ID OTHER-9, not ACME-01');
    expect((await kw('license', 'set')).code).toBe(2);
    expect((await kw('license', 'set', 'KWL-1', '--key-file', 'x')).code).toBe(2);
    expect(await kw('license', 'set', '--key-file', path.join(root.dir, 'absent'))).toMatchObject({ code: 1, stderr: expect.stringContaining('E_FILE') });
    expect(JSON.parse((await kw('license', 'show', '--json')).stdout)).toMatchObject({ state: 'valid', userLimit: 3 });
  });
});
