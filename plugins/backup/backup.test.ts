import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../index.js';
import { createTestKernel, definePlugin, Kernel, type JsonValue, type TestKernel } from '../../src/kernel/index.js';
import { MANIFEST } from './archive.js';
import { openBackup, sealBackup } from './container.js';
import { COMPROMISED_REASON } from './restore.js';
import type { BackupCreateResult, BackupManifest } from './tokens.js';

const BACKUP_PASSPHRASE = 'backup phrase for the safe';
const CHEAP = { log2N: 10, r: 8, p: 1 };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'keyward-backup-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Fails to start on data that holds `poison.db`: restored data on which Keyward does not open. */
const poisoned = definePlugin({
  id: 'poisoned',
  activate(ctx) {
    if (existsSync(path.join(ctx.dataDir, 'poison.db'))) throw new Error('poisoned data');
  },
});

async function start(
  setup: Record<string, unknown> = {},
  plugins = builtinPlugins,
): Promise<TestKernel & { exec<R = any>(id: string, args?: unknown): Promise<R> }> {
  const t = await createTestKernel({ plugins, setup: setup as never });
  cleanups.push(() => t.cleanup());
  return { ...t, exec: (id, args) => t.kernel.commands.execute(id, args as JsonValue, { actor: 'test' }) as never };
}

type Started = Awaited<ReturnType<typeof start>>;

/**
 * Every file of the data dir (recursively) with its SHA-256: "nothing changed" is this being equal.
 * Call it first after `backup.compromisedDomains`: nedb creates a collection's (empty) file on first use.
 */
async function fingerprintDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return out;
}

/** What the administrator sees of the data: the meaning a restore must bring back. */
async function stateOf(t: Started): Promise<Record<string, unknown>> {
  return {
    users: await t.exec('users.list', {}),
    qr: await t.exec('letters.userQr', { mobile: '+46706764287' }),
    channels: await t.exec('channels.list'),
    layouts: await t.exec('layouts.list'),
    peers: await t.exec('domains.list'),
    settings: await t.exec('settings.get'),
    domain: await t.exec('domain.show'),
  };
}

async function populate(t: Started): Promise<void> {
  await t.exec('users.add', { firstName: 'Anna', lastName: 'Berg', mobile: '+46706764287' });
  await t.exec('users.add', { firstName: 'Bo', lastName: 'Ek', mobile: '+46706764288' });
  await t.exec('channels.add', { name: 'Ops' });
  const layout = ((await t.exec<{ id: string; fields?: Record<string, string> }[]>('layouts.list')).find((l) => l.fields && Object.keys(l.fields).length))!;
  await t.exec('layouts.set', { id: layout.id, fields: { [Object.keys(layout.fields!)[0]!]: 'Restored text $FIRSTNAME' } });
  const peer = await start({ securityDomain: 'peer.example' });
  const cert = await peer.exec<{ certificateBase64: string }>('domains.certificate');
  await t.exec('domains.add', { certificateBase64: cert.certificateBase64, confirmed: true });
}

async function backup(t: Started, out: string): Promise<{ result: BackupCreateResult; file: string; bytes: Buffer }> {
  const result = await t.exec<BackupCreateResult>('backup.create', { backupPassphrase: BACKUP_PASSPHRASE, out });
  const file = path.join(out, result.fileName);
  return { result, file, bytes: await readFile(file) };
}

function restoreArgs(bytes: Uint8Array, more: Record<string, JsonValue> = {}): { [k: string]: JsonValue } {
  return { fileName: 'b.kwbackup', contentBase64: Buffer.from(bytes).toString('base64'), backupPassphrase: BACKUP_PASSPHRASE, passphrase: 'correct horse battery staple', ...more };
}

/** The backup's archive changed by `change`, sealed again (cheap scrypt: these files are crafted, not made by Keyward). */
async function crafted(bytes: Buffer, change: (zip: AdmZip, manifest: BackupManifest) => void): Promise<Buffer> {
  const zip = new AdmZip(await openBackup(bytes, BACKUP_PASSPHRASE, 'b'));
  const manifest = JSON.parse(zip.readAsText(MANIFEST)) as BackupManifest;
  change(zip, manifest);
  zip.updateFile(MANIFEST, Buffer.from(JSON.stringify(manifest)));
  return sealBackup(zip.toBuffer(), BACKUP_PASSPHRASE, CHEAP);
}

/** An entry named exactly `name`: adm-zip's addFile cleans names, the entryName setter does not (a hostile writer would not either). */
function addRaw(zip: AdmZip, name: string): void {
  zip.addFile('data/raw.db', Buffer.from('x'));
  zip.getEntry('data/raw.db')!.entryName = name;
}

describe('backup and restore', () => {
  it('restores users, keys, layouts, settings and peers as they were; the log still verifies and a restart works', async () => {
    const t = await start();
    await populate(t);
    const before = await stateOf(t);
    const out = await tempDir();
    const progress: string[] = [];
    const result = await t.kernel.commands.execute<BackupCreateResult>('backup.create', { backupPassphrase: BACKUP_PASSPHRASE, out }, { onProgress: (p) => progress.push(p.message ?? '') });
    expect(result).toMatchObject({ files: expect.any(Number), securityDomain: 'test.example', verified: true, destination: out });
    expect(progress).toContain('Encrypting');
    const bytes = await readFile(path.join(out, result.fileName));
    expect(bytes.subarray(0, 8).toString()).toBe('KWBACKUP');

    // The archive carries the data files and a manifest, but never the machine's own files.
    const zip = new AdmZip(await openBackup(bytes, BACKUP_PASSPHRASE, 'b'));
    const names = zip.getEntries().map((e) => e.entryName);
    expect(names).toEqual(expect.arrayContaining([MANIFEST, 'data/vault.json', 'data/users.db', 'data/keys.db', 'data/eventlog.jsonl', 'data/layouts.db']));
    expect(names.filter((n) => /keyward\.lock|installation\.json|outbox|upgrade-backups|config/.test(n))).toEqual([]);
    const manifest = JSON.parse(zip.readAsText(MANIFEST)) as BackupManifest;
    const cert = await t.exec<{ fingerprint: string; id: string }>('domains.certificate');
    expect(manifest).toMatchObject({ format: 'keyward-backup', formatVersion: 1, securityDomain: 'test.example', fingerprint: cert.fingerprint, domainId: cert.id });

    // Change everything, then restore.
    await t.exec('users.delete', { mobiles: ['+46706764287'] });
    await t.exec('users.add', { firstName: 'Cy', lastName: 'New', mobile: '+46706764299' });
    await t.exec('domains.delete', { fingerprint: ((await t.exec<{ fingerprint: string }[]>('domains.list'))[0]!).fingerprint });
    const restored = await t.exec('backup.restore', restoreArgs(bytes));
    expect(restored).toMatchObject({ securityDomain: 'test.example', fingerprint: cert.fingerprint, state: 'ready' });
    expect(t.kernel.state).toBe('ready');
    expect(await stateOf(t)).toEqual(before);
    expect(await t.exec('log.verify')).toMatchObject({ ok: true });
    expect(await t.exec('log.list', { action: 'backup.restore' })).toMatchObject({ total: 1, records: [{ actor: 'test', target: 'b.kwbackup' }] });
    expect((await readdir(t.dataDir)).filter((n) => n.startsWith('.restore') || n === 'restore.journal.json')).toEqual([]);

    // A restart opens the restored data.
    await t.kernel.stop();
    const again = await Kernel.create({ dataDir: t.dataDir, plugins: builtinPlugins });
    await again.commands.execute('kernel.unlock', { passphrase: t.passphrase });
    expect(await again.commands.execute('users.list', {})).toEqual(before.users);
    expect(await again.commands.execute('log.verify')).toMatchObject({ ok: true });
    await again.stop();
  });

  it('refuses a wrong passphrase, a truncated file, a changed byte, a missing or unexpected file, a zip-slip path and a newer format, changing nothing', async () => {
    const t = await start();
    await populate(t);
    const { bytes } = await backup(t, await tempDir());
    await t.exec('backup.compromisedDomains');
    const untouched = await fingerprintDir(t.dataDir);
    const changedByte = Buffer.from(bytes);
    changedByte[changedByte.length - 100]! ^= 0x01;
    const newerContainer = Buffer.from(bytes);
    newerContainer[8] = 2;
    const cases: [string, JsonValue, string, RegExp][] = [
      ['wrong backup passphrase', restoreArgs(bytes, { backupPassphrase: 'not the backup phrase' }), 'E_BACKUP_PASSPHRASE', /passphrase is wrong/],
      ['truncated', restoreArgs(bytes.subarray(0, bytes.length - 5000)), 'E_BACKUP_PASSPHRASE', /changed or damaged/],
      ['cut to the header', restoreArgs(bytes.subarray(0, 30)), 'E_BACKUP_FORMAT', /cut short/],
      ['not a backup', restoreArgs(Buffer.from('hello world, not a backup at all')), 'E_BACKUP_FORMAT', /not a Keyward backup/],
      ['changed byte', restoreArgs(changedByte), 'E_BACKUP_PASSPHRASE', /changed or damaged/],
      ['newer container', restoreArgs(newerContainer), 'E_BACKUP_VERSION', /newer Keyward.*update Keyward first/],
      ['wrong administrator passphrase', restoreArgs(bytes, { passphrase: 'not the admin passphrase' }), 'E_WRONG_PASSPHRASE', /valid when the backup was made/],
      ['missing file', restoreArgs(await crafted(bytes, (zip) => zip.deleteFile('data/users.db'))), 'E_BACKUP_DAMAGED', /users\.db is listed in the manifest but missing/],
      ['changed file', restoreArgs(await crafted(bytes, (zip) => zip.updateFile('data/users.db', Buffer.from('x')))), 'E_BACKUP_DAMAGED', /users\.db has 1 bytes/],
      ['unexpected file', restoreArgs(await crafted(bytes, (zip) => zip.addFile('data/extra.db', Buffer.from('x')))), 'E_BACKUP_UNEXPECTED', /extra\.db.*does not list/],
      ['zip-slip path', restoreArgs(await crafted(bytes, (zip) => addRaw(zip, '../evil.db'))), 'E_BACKUP_UNSAFE', /unsafe path "\.\.\/evil\.db"/],
      ['absolute path', restoreArgs(await crafted(bytes, (zip) => addRaw(zip, '/etc/evil.db'))), 'E_BACKUP_UNSAFE', /unsafe path "\/etc\/evil\.db"/],
      [
        'zip-slip name in the manifest',
        restoreArgs(await crafted(bytes, (_zip, m) => m.files.push({ name: '../../x', size: 1, sha256: '0'.repeat(64) }))),
        'E_BACKUP_UNSAFE',
        /"\.\.\/\.\.\/x" is not a plain file name/,
      ],
      ['format version 2', restoreArgs(await crafted(bytes, (_zip, m) => (m.formatVersion = 2))), 'E_BACKUP_VERSION', /newer Keyward \(backup format version 2; this one reads up to 1\): update Keyward first/],
    ];
    for (const [what, args, code, message] of cases) {
      await expect(t.exec('backup.restore', args), what).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      expect(await fingerprintDir(t.dataDir), what).toEqual(untouched);
      expect(t.kernel.state, what).toBe('ready');
    }
  });

  it('puts the old data back when the restored data does not open, and stays locked', async () => {
    const t = await start({}, [...builtinPlugins, poisoned]);
    await populate(t);
    const before = await stateOf(t);
    const { bytes } = await backup(t, await tempDir());
    const poison = await crafted(bytes, (zip, m) => {
      zip.addFile('data/poison.db', Buffer.alloc(0));
      m.files.push({ name: 'poison.db', size: 0, sha256: createHash('sha256').digest('hex') });
    });
    await t.exec('users.delete', { mobiles: ['+46706764288'] });
    const changed = await stateOf(t);
    await expect(t.exec('backup.restore', restoreArgs(poison))).rejects.toMatchObject({ code: 'E_PLUGIN_FAILED', message: expect.stringContaining('the old data was put back') });
    expect(t.kernel.state).toBe('locked');
    expect((await readdir(t.dataDir)).filter((n) => n.startsWith('.restore') || n === 'restore.journal.json' || n === 'poison.db')).toEqual([]);
    await t.exec('kernel.unlock', { passphrase: t.passphrase });
    expect(await stateOf(t)).toEqual(changed);
    expect(await stateOf(t)).not.toEqual(before);
    expect(await t.exec('log.verify')).toMatchObject({ ok: true });
  });

  it('refuses a backup made by a newer Keyward (a collection of a newer schema) before touching anything', async () => {
    // A later Keyward: one more plugin whose collection is at version 2.
    const future = definePlugin({
      id: 'future',
      collections: { future: { version: 2, migrations: { 2: (doc) => doc } } },
      async activate(ctx) {
        await ctx.collections.open<{ note: string }>('future').insert({ note: 'from a later release' });
      },
    });
    const newer = await start({}, [...builtinPlugins, future]);
    await newer.exec('users.add', { firstName: 'Nea', lastName: 'Newer', mobile: '+46700000009' });
    await newer.kernel.stop(); // the next unlock stamps the collection the plugin created
    await newer.kernel.commands.execute('kernel.unlock', { passphrase: newer.passphrase });
    const { bytes } = await backup(newer, await tempDir());

    const t = await start();
    await populate(t);
    await t.exec('backup.compromisedDomains');
    const untouched = await fingerprintDir(t.dataDir);
    const err = await t.exec('backup.restore', restoreArgs(bytes, { confirmOtherDomain: true })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_SCHEMA_NEWER', message: expect.stringMatching(/^The backup was made by a newer Keyward: collection "future" is version 2, this Keyward reads up to version 1/) });
    expect(t.kernel.state).toBe('ready');
    expect(await fingerprintDir(t.dataDir)).toEqual(untouched);
  });

  it('names both domains and asks again before restoring a backup of another domain', async () => {
    const other = await start({ securityDomain: 'other.example' });
    await other.exec('users.add', { firstName: 'Olle', lastName: 'Other', mobile: '+46700000001' });
    const { bytes, result } = await backup(other, await tempDir());
    const t = await start();
    const own = await t.exec<{ fingerprint: string }>('domains.certificate');
    await t.exec('backup.compromisedDomains');
    const untouched = await fingerprintDir(t.dataDir);
    const err = await t.exec('backup.restore', restoreArgs(bytes)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'E_BACKUP_OTHER_DOMAIN',
      message: expect.stringContaining(`other.example (fingerprint ${result.fingerprint}); this installation is test.example (fingerprint ${own.fingerprint})`),
      details: { current: { securityDomain: 'test.example', fingerprint: own.fingerprint }, backup: { securityDomain: 'other.example', fingerprint: result.fingerprint } },
    });
    expect(await fingerprintDir(t.dataDir)).toEqual(untouched);
    await t.exec('backup.restore', restoreArgs(bytes, { confirmOtherDomain: true }));
    expect((await t.exec<{ users: { mobile: string }[] }>('users.list', {})).users.map((u) => u.mobile)).toEqual(['+46700000001']);
    expect(await t.exec('domain.show')).toMatchObject({ securityDomain: 'other.example' });
  });

  it('restores onto a new machine (uninitialised) and ends unlocked on the restored data', async () => {
    const t = await start();
    await populate(t);
    const before = await stateOf(t);
    const { bytes } = await backup(t, await tempDir());
    const dataDir = path.join(await tempDir(), 'new-machine');
    const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
    cleanups.push(() => kernel.stop());
    expect(kernel.state).toBe('uninitialised');
    expect((await kernel.commands.execute<{ id: string }[]>('kernel.commands')).map((c) => c.id)).toContain('backup.restore');
    await expect(kernel.commands.execute('backup.restore', restoreArgs(bytes, { passphrase: 'wrong passphrase here' }))).rejects.toMatchObject({ code: 'E_WRONG_PASSPHRASE' });
    expect(existsSync(path.join(dataDir, 'vault.json'))).toBe(false);
    expect(kernel.state).toBe('uninitialised');
    await kernel.commands.execute('backup.restore', restoreArgs(bytes));
    expect(kernel.state).toBe('ready');
    const exec = (id: string, args?: JsonValue) => kernel.commands.execute(id, args);
    expect(await exec('users.list', {})).toEqual(before.users);
    expect(await exec('letters.userQr', { mobile: '+46706764287' })).toEqual(before.qr);
  });

  it('a backup needs a backup passphrase as long as the administrator passphrase', async () => {
    const t = await start();
    await expect(t.exec('backup.create', { backupPassphrase: 'short', out: await tempDir() })).rejects.toMatchObject({ code: 'E_WEAK_PASSPHRASE' });
  });

  it('never replaces a file in the folder and refuses a folder that is not there', async () => {
    const t = await start();
    const out = await tempDir();
    await expect(t.exec('backup.create', { backupPassphrase: BACKUP_PASSPHRASE, out: path.join(out, 'nope') })).rejects.toMatchObject({ code: 'E_FILE' });
    const { result } = await backup(t, out);
    expect((await stat(path.join(out, result.fileName))).size).toBe(result.size);
  });

  it('burns the backup through the burner, read back and verified', async () => {
    const t = await start();
    const r = await t.exec<BackupCreateResult>('backup.create', { backupPassphrase: BACKUP_PASSPHRASE });
    expect(r.verified).toBe(true);
    expect(r.destination).toContain(path.join(t.dataDir, 'outbox', 'burn', 'KEYWARD_BACKUP_'));
    expect(await readdir(r.destination)).toEqual([r.fileName]);
  });
});

describe('compromised recovery – CMS', () => {
  it('export users from A, install B with A as compromised, import, issue letters; B refuses A’s backup', async () => {
    const A = await start({ securityDomain: 'alpha.example' });
    await A.exec('users.add', { firstName: 'Anna', lastName: 'Berg', mobile: '+46706764287' });
    await A.exec('users.add', { firstName: 'Bo', lastName: 'Ek', mobile: '+46706764288' });
    const aCert = await A.exec<{ fingerprint: string }>('domains.certificate');
    const exported = await A.exec<{ fileName: string; text: string }>('users.export', {});
    const { bytes } = await backup(A, await tempDir());

    const typed = aCert.fingerprint.replace(/ /g, '').toLowerCase(); // as typed, without the grouping
    const B = await start({ securityDomain: 'alpha.example', compromisedDomains: [typed] });
    const bCert = await B.exec<{ fingerprint: string }>('domains.certificate');
    expect(bCert.fingerprint).not.toBe(aCert.fingerprint); // new master keys
    expect(await B.exec('backup.compromisedDomains')).toEqual([aCert.fingerprint]);
    await B.exec('users.import', { fileName: exported.fileName, contentBase64: Buffer.from(exported.text).toString('base64') });
    const letters = await B.exec<{ files: unknown[] }>('letters.pdf', { mobiles: ['+46706764287', '+46706764288'] });
    expect(letters.files).toHaveLength(2);

    const untouched = await fingerprintDir(B.dataDir);
    await expect(B.exec('backup.restore', restoreArgs(bytes, { confirmOtherDomain: true }))).rejects.toMatchObject({
      code: 'E_BACKUP_COMPROMISED',
      message: expect.stringContaining(COMPROMISED_REASON),
    });
    expect(await fingerprintDir(B.dataDir)).toEqual(untouched);
  });

  it('refuses to install with a compromised fingerprint that is not one', async () => {
    await expect(start({ compromisedDomains: ['12AB'] })).rejects.toMatchObject({ code: 'E_INVALID_ARGS', details: { field: 'compromisedDomains' } });
  });
});
