/**
 * Upgrade from the first released data format: `test/fixtures/datadir-v1/` was written by the code
 * of commit 75cc0d7 (test/fixtures/make-datadir-v1.ts), before collections carried schema versions,
 * and `datadir-v1.expected.json` is what that release's commands showed of it. Today's code opens a
 * copy with every built-in plugin and must show the same, after migrating `keys` to version 2.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, type EventRecord } from '../src/kernel/index.js';
import { Vault } from '../src/kernel/vault.js';
import { builtinPlugins } from '../plugins/index.js';
import { runCli, secretFile } from '../src/cli/testing.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'datadir-v1');
const expected = JSON.parse(readFileSync(`${FIXTURE}.expected.json`, 'utf8'));
const PASSPHRASE: string = expected.passphrase;

let root: string;
let dataDir: string;
let kernel: Kernel;
/** What the first unlock answered. */
let unlocked: any;
let first: any;
const run = <R = any>(id: string, args?: unknown) => kernel.commands.execute<R & any>(id, args as never, { actor: 'test' });

async function unlock(dir: string): Promise<Kernel> {
  const k = await Kernel.create({ dataDir: dir, plugins: builtinPlugins });
  unlocked = await k.commands.execute('kernel.unlock', { passphrase: PASSPHRASE }, { actor: 'test' });
  return k;
}

/** Every record of a collection file as stored (last line of an `_id` wins), opened with the vault. */
async function records(dir: string, file: string): Promise<Map<string, Record<string, unknown>>> {
  const vault = await Vault.open(dir, PASSPHRASE);
  const docs = new Map<string, Record<string, unknown>>();
  for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean)) {
    const doc = JSON.parse(vault.open(line));
    if (doc.$$deleted) docs.delete(doc._id);
    else if (doc._id !== undefined) docs.set(doc._id, doc);
  }
  vault.lock();
  return docs;
}

/** Every file under `dir` with its bytes' digest, to tell "nothing changed". */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, name);
    out[name] = statSync(p).isDirectory() ? 'dir' : createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'keyward-upgrade-'));
  dataDir = path.join(root, 'data');
  cpSync(FIXTURE, dataDir, { recursive: true });
  kernel = await unlock(dataDir);
  first = unlocked;
});
afterAll(async () => {
  await kernel?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('opening a data dir of the first released format', () => {
  it('starts every plugin that started then', async () => {
    const status = await run('kernel.status');
    expect(status).toMatchObject({ state: 'ready', securityDomain: expected.status.securityDomain });
    const before = expected.status.plugins.filter((p: { status: string }) => p.status === 'active').map((p: { id: string }) => p.id);
    const now = new Map(status.plugins.map((p: { id: string; status: string }) => [p.id, p.status]));
    for (const id of before) expect(now.get(id), id).toBe('active');
  });

  it('shows the same domain, settings, users, channel, gateway, peer and layout as the first release', async () => {
    expect(await run('domain.show')).toMatchObject(expected.domain);
    expect(await run('settings.get')).toMatchObject(expected.settings);
    for (const [mobile, user] of Object.entries(expected.users)) expect(await run('users.show', { mobile }), mobile).toMatchObject(user as object);
    expect(await run('channels.show', { id: expected.channel.id })).toMatchObject(expected.channel);
    expect(await run('gateways.list')).toMatchObject(expected.gateways);
    expect(await run('domains.list')).toMatchObject(expected.peers);
    // The default template and fields may change between releases; the administrator's change may not.
    const layout = await run('layouts.show', { id: expected.layout.id });
    expect(layout).toMatchObject({ custom: true, fields: { greeting: expected.layout.fields.greeting } });
  });

  it('gives every identity the same keys for its months, with the identity now derived rather than stored', async () => {
    for (const [at, want] of Object.entries(expected.keys) as [string, { identity: string; digest: string }][]) {
      const [uri, period] = at.split(' ');
      const k = await run('keys.export', { uri, period, passphrase: PASSPHRASE });
      expect(k.identity, at).toBe(want.identity);
      expect(createHash('sha256').update(`${k.ssk}|${k.pvt}|${k.rsk}`).digest('hex'), at).toBe(want.digest);
    }
    const stored = [...(await records(dataDir, 'keys.db')).values()];
    expect(stored).toHaveLength(Object.keys(expected.keys).length);
    for (const doc of stored) expect(doc).not.toHaveProperty('identity');
    const original = [...(await records(FIXTURE, 'keys.db')).values()];
    expect(original.every((d) => typeof d.identity === 'string')).toBe(true);
  });

  it('stamps every collection with its version', async () => {
    const stamps = Object.fromEntries([...(await records(dataDir, 'schema.db')).values()].map((d) => [d._id, d.version]));
    const collections = readdirSync(FIXTURE).filter((f) => f.endsWith('.db')).map((f) => f.slice(0, -3));
    for (const name of collections) expect(stamps[name], name).toBe(name === 'keys' ? 2 : 1);
  });

  it('took an automatic backup of the old files first, byte for byte, and logged the upgrade', async () => {
    const backups = readdirSync(path.join(dataDir, 'upgrade-backups'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^\d{8}T\d{6}\.\d{3}Z-v1-v2$/);
    const backup = path.join(dataDir, 'upgrade-backups', backups[0]!);
    expect(readdirSync(backup).sort()).toEqual(readdirSync(FIXTURE).sort());
    for (const name of readdirSync(FIXTURE)) expect(readFileSync(path.join(backup, name)).equals(readFileSync(path.join(FIXTURE, name))), name).toBe(true);

    // The unlock that upgraded says so (the shell and the CLI show it), the event log keeps it.
    expect(first).toEqual({ state: 'ready', upgraded: { backup: `upgrade-backups/${backups[0]}`, collections: [{ name: 'keys', from: 1, to: 2 }] } });
    const upgrades = (await run('log.list', { action: 'kernel.upgrade' })) as { total: number; records: EventRecord[] };
    expect(upgrades.total).toBe(1);
    expect(upgrades.records[0]).toMatchObject({
      actor: 'kernel',
      details: { backup: `upgrade-backups/${backups[0]}`, collections: [{ name: 'keys', from: 1, to: 2 }] },
    });
    const verified = await run('log.verify');
    expect(verified.ok).toBe(true);
    expect(verified.records).toBeGreaterThan(expected.log.records); // the first release's chain, continued
  });

  it('does not migrate or back up again on the next unlock', async () => {
    await kernel.stop();
    kernel = await unlock(dataDir);
    expect(unlocked).toEqual({ state: 'ready' });
    expect(readdirSync(path.join(dataDir, 'upgrade-backups'))).toHaveLength(1);
    expect((await run('log.list', { action: 'kernel.upgrade' })).total).toBe(1);
    expect((await run('log.verify')).ok).toBe(true);
    expect(await run('users.show', { mobile: '+46706764287' })).toMatchObject(expected.users['+46706764287']);
  });

  it('refuses a data dir of a newer version at unlock, naming the collection and both versions, and changes nothing', async () => {
    await kernel.stop();
    const newer = path.join(root, 'newer');
    cpSync(dataDir, newer, { recursive: true });
    // What a later Keyward would have written: keys in version 3.
    const vault = await Vault.open(newer, PASSPHRASE);
    appendFileSync(path.join(newer, 'schema.db'), vault.seal(JSON.stringify({ _id: 'keys', version: 3 })) + '\n');
    vault.lock();
    const before = tree(newer);
    const k = await Kernel.create({ dataDir: newer, plugins: builtinPlugins });
    const err = await k.commands.execute('kernel.unlock', { passphrase: PASSPHRASE }, { actor: 'test' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'E_SCHEMA_NEWER',
      message: expect.stringMatching(/collection "keys" is version 3, this Keyward reads up to version 2/),
      details: { collections: [{ name: 'keys', version: 3, supported: 2 }] },
    });
    expect(k.state).toBe('locked');
    expect(tree(newer)).toEqual(before);
    kernel = await unlock(dataDir); // for afterAll
  });
});

describe('the command line on a data dir of the first released format', () => {
  it('says once, on stderr, that it upgraded and where the old files are, keeping --json output clean; a newer data dir exits 1', async () => {
    const dir = path.join(root, 'cli');
    cpSync(FIXTURE, dir, { recursive: true });
    const pass = secretFile(root, 'pass.txt', PASSPHRASE);
    const list = ['users', 'list', '--json', '--data-dir', dir, '--passphrase-file', pass];

    const first = await runCli(list);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ total: 3 });
    const [backup] = readdirSync(path.join(dir, 'upgrade-backups'));
    expect(first.stderr).toBe(
      `The data was brought up to date for this version of Keyward (keys 1 → 2). The old files are kept in the data dir under upgrade-backups/${backup} (docs/upgrade.md says how to go back).\n`,
    );
    const second = await runCli(list);
    expect([second.code, second.stderr]).toEqual([0, '']);

    const vault = await Vault.open(dir, PASSPHRASE);
    appendFileSync(path.join(dir, 'schema.db'), vault.seal(JSON.stringify({ _id: 'users', version: 7 })) + '\n');
    vault.lock();
    const refused = await runCli(list);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error \[E_SCHEMA_NEWER\]: .* collection "users" is version 7, this Keyward reads up to version 1\. Nothing was changed/);
  });
});
