/**
 * `keyward backup create|restore` and `keyward init --restore | --compromised-domain` through the
 * real binary: back up A, change it, restore it; set up a new machine from the backup; refusals
 * leave the data dir as it was; B, set up to replace A as compromised, refuses A's backup.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT_VALUES, initWithCli, runCli, secretFile, tempDir } from './testing.js';

let root: { dir: string; remove: () => void };
let A: string;
let passFile: string;
let backupPassFile: string;
let backupFile: string;
const kw = (dataDir: string, ...args: string[]) => runCli(['--data-dir', dataDir, '--passphrase-file', passFile, ...args]);
const json = async (dataDir: string, ...args: string[]) => {
  const r = await kw(dataDir, ...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const mobiles = async (dataDir: string) => ((await json(dataDir, 'users', 'list')).users as { mobile: string }[]).map((u) => u.mobile);

beforeAll(async () => {
  root = tempDir('kw-cli-backup-');
  A = path.join(root.dir, 'A');
  const secrets = path.join(root.dir, 'secrets');
  fs.mkdirSync(secrets);
  expect((await initWithCli(A, secrets)).code).toBe(0);
  passFile = path.join(secrets, 'passphrase.txt');
  backupPassFile = secretFile(secrets, 'backup-passphrase.txt', 'a backup passphrase, long');
  expect((await kw(A, 'users', 'add', '--first', 'Anna', '--last', 'Berg', '--mobile', '+46706764287')).code).toBe(0);
}, 120_000);
afterAll(() => root?.remove());

describe('keyward backup', () => {
  it('creates a backup into a folder, and restores it after a change', async () => {
    const out = path.join(root.dir, 'out');
    fs.mkdirSync(out);
    expect((await kw(A, 'backup', 'create', '--backup-passphrase-file', backupPassFile)).code).toBe(2); // neither --out nor --burn
    const made = await json(A, 'backup', 'create', '--out', out, '--backup-passphrase-file', backupPassFile);
    expect(made).toMatchObject({ securityDomain: INIT_VALUES.securityDomain, verified: true, destination: out });
    backupFile = path.join(out, made.fileName);
    const text = await kw(A, 'backup', 'create', '--out', out, '--backup-passphrase-file', backupPassFile);
    expect(text.stdout).toContain('protect it like the Keyward computer itself');

    expect((await kw(A, 'users', 'delete', '+46706764287', '--yes')).code).toBe(0);
    expect(await mobiles(A)).toEqual([]);

    // Without a terminal, restoring needs --yes. (Data dirs are compared by meaning: every CLI run unlocks, which rewrites the files.)
    const unconfirmed = await kw(A, 'backup', 'restore', backupFile, '--backup-passphrase-file', backupPassFile);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    // A wrong backup passphrase is refused; nothing is changed.
    const wrong = await kw(A, 'backup', 'restore', backupFile, '--backup-passphrase-file', passFile, '--yes');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('backup passphrase is wrong');
    expect(await mobiles(A)).toEqual([]);

    const restored = await json(A, 'backup', 'restore', backupFile, '--backup-passphrase-file', backupPassFile, '--yes');
    expect(restored).toMatchObject({ securityDomain: INIT_VALUES.securityDomain, fingerprint: made.fingerprint, state: 'ready' });
    expect(await mobiles(A)).toEqual(['+46706764287']);
    expect((await kw(A, 'log', 'verify')).code).toBe(0);
  }, 180_000);

  it('sets up a new machine from the backup (init --restore), which opens with the backup’s passphrase', async () => {
    const B = path.join(root.dir, 'B');
    const r = await kw(B, 'init', '--restore', backupFile, '--backup-passphrase-file', backupPassFile);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('licence key');
    expect(await mobiles(B)).toEqual(['+46706764287']);
    // The installation identity stays with the machine: B's is its own (a new licence checksum).
    expect(fs.readFileSync(path.join(B, 'installation.json'))).not.toEqual(fs.readFileSync(path.join(A, 'installation.json')));
    // A second init on it is refused.
    const again = await kw(B, 'init', '--restore', backupFile, '--backup-passphrase-file', backupPassFile);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already set up');
  }, 180_000);

  it('a new installation replacing A as compromised refuses A’s backup', async () => {
    const { fingerprint } = await json(A, 'domain', 'show');
    const C = path.join(root.dir, 'C');
    const secrets = path.join(root.dir, 'secrets-C');
    fs.mkdirSync(secrets);
    const init = await runCli([
      '--data-dir', C, 'init', '--security-domain', 'Replacement', '--crs-address', 'crs.example.net', '--crs-account', 'NEWACCOUNT',
      '--crs-secret-file', secretFile(secrets, 'crs.txt', 'a-new-shared-secret'), '--passphrase-file', passFile, '--compromised-domain', fingerprint,
    ]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const refused = await kw(C, 'backup', 'restore', backupFile, '--backup-passphrase-file', backupPassFile, '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NB! It is NOT possible to restore from a backup as the master keys of the system are compromised');
    expect(await json(C, 'run', 'backup.compromisedDomains')).toEqual([fingerprint]);
  }, 180_000);
});
