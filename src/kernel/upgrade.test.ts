/**
 * Schema versions and upgrades with real parts: real kernels on temp data dirs, the vault's real
 * encryption, and a child process killed at each stage of an upgrade. The test plugin's collections
 * go through three versions (upgrade.testkit.ts); test/upgrade.test.ts opens a data dir of the first
 * released format with the built-in plugins.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRecord, Migration, PluginDefinition } from './api.js';
import { Kernel } from './kernel.js';
import { definePlugin } from './plugin.js';
import { createTestKernel, TEST_PASSPHRASE } from './testing.js';
import { notesPlugin, V1_DATA, V3_DATA } from './upgrade.testkit.js';
import { Vault } from './vault.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'upgrade-crash.child.ts');
const ROOT = path.resolve(here, '..', '..');

const dirs: string[] = [];
const kernels: Kernel[] = [];
afterEach(async () => {
  for (const k of kernels.splice(0)) await k.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A data dir written by the version-1 notes plugin, holding {@link V1_DATA}; locked. */
async function v1DataDir(): Promise<string> {
  const t = await createTestKernel({ plugins: [notesPlugin(1)] });
  dirs.push(t.dataDir);
  await t.kernel.commands.execute('notes.add', V1_DATA as never);
  await t.kernel.stop();
  return t.dataDir;
}

async function unlock(dataDir: string, plugins: PluginDefinition<any, any, any>[]): Promise<Kernel> {
  const k = await Kernel.create({ dataDir, plugins });
  kernels.push(k);
  await k.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
  return k;
}

/** The records of a collection file as stored (last line of an `_id` wins), opened with the vault. */
async function stored(dataDir: string, file: string): Promise<Record<string, unknown>[]> {
  const vault = await Vault.open(dataDir, TEST_PASSPHRASE);
  const docs = new Map<string, Record<string, unknown>>();
  for (const line of fs.readFileSync(path.join(dataDir, file), 'utf8').split('\n').filter(Boolean)) {
    const doc = JSON.parse(vault.open(line));
    if (doc.$$deleted) docs.delete(doc._id);
    else if (typeof doc._id === 'string') docs.set(doc._id, doc);
  }
  vault.lock();
  return [...docs.values()].sort((a, b) => String(a._id).localeCompare(String(b._id)));
}

async function stamps(dataDir: string): Promise<Record<string, unknown>> {
  return Object.fromEntries((await stored(dataDir, 'schema.db')).map((d) => [d._id, d.version]));
}

/** Every file under `dir` (but `except`) with its bytes' digest. */
function tree(dir: string, except?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (except && name.split(path.sep)[0] === except) continue;
    const p = path.join(dir, name);
    out[name] = fs.statSync(p).isDirectory() ? 'dir' : createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return out;
}

const upgrades = async (k: Kernel) => (await k.log.list({ action: 'kernel.upgrade' })).records;
const leftovers = (dataDir: string) => fs.readdirSync(dataDir).filter((f) => /\.upgrade~?$|^upgrade\.json$/.test(f));

describe('declaring schema versions', () => {
  const plugin = (id: string, collections: PluginDefinition['collections']) => definePlugin({ id, collections, activate() {} });
  const create = (plugins: PluginDefinition<any, any, any>[]) => Kernel.create({ dataDir: path.join(ROOT, 'no-such-dir'), plugins });
  const step: Migration = (d) => d;

  it('refuses a missing migration step, a bad version, a name used twice or a kernel name, before touching any data', async () => {
    await expect(create([plugin('a', { x: { version: 3, migrations: { 3: step } } })])).rejects.toThrow('Plugin "a": collection "x" is version 3 but has no migration to version 2');
    await expect(create([plugin('a', { x: { version: 0 } })])).rejects.toThrow('version must be a whole number ≥ 1');
    await expect(create([plugin('a', { x: { version: 1 } }), plugin('b', { x: { version: 1 } })])).rejects.toThrow('already declared by plugin "a"');
    await expect(create([plugin('a', { schema: { version: 1 } })])).rejects.toThrow('"schema" is not a name a plugin can use');
  });
});

describe('a new data dir', () => {
  it('stamps each collection with the version this code writes, and has nothing to upgrade', async () => {
    const t = await createTestKernel({ plugins: [notesPlugin(3)] });
    dirs.push(t.dataDir);
    await t.kernel.commands.execute('notes.add', { notes: [{ _id: 'n1', body: 'x' }], tags: [] } as never);
    kernels.push(t.kernel);
    expect(await stamps(t.dataDir)).toEqual({ notes: 3, tags: 2, kernel: 1 });
    await t.kernel.stop();
    const k = await unlock(t.dataDir, [notesPlugin(3)]);
    expect(await upgrades(k)).toEqual([]);
    expect(fs.existsSync(path.join(t.dataDir, 'upgrade-backups'))).toBe(false);
  });
});

describe('opening an older data dir', () => {
  it('backs up the old files, migrates every record through each step, stamps and logs the upgrade', async () => {
    const dataDir = await v1DataDir();
    expect(await stamps(dataDir)).toEqual({ notes: 1, tags: 1, kernel: 1 });
    // A keys-journal rollback copy left by a crash is migrated too, so rolling back keeps the new format.
    fs.copyFileSync(path.join(dataDir, 'notes.db'), path.join(dataDir, '.notes.db.rollback'));
    const before = tree(dataDir);

    const k = await unlock(dataDir, [notesPlugin(3)]);
    expect(await k.commands.execute('notes.all')).toEqual(V3_DATA);
    expect(await stored(dataDir, '.notes.db.rollback')).toEqual(V3_DATA.notes);
    expect(await stamps(dataDir)).toEqual({ notes: 3, tags: 2, kernel: 1 });
    expect(leftovers(dataDir)).toEqual([]);

    const [name, ...more] = fs.readdirSync(path.join(dataDir, 'upgrade-backups'));
    expect(more).toEqual([]);
    expect(name).toMatch(/^\d{8}T\d{6}\.\d{3}Z-v1-v3$/);
    expect(tree(path.join(dataDir, 'upgrade-backups', name!))).toEqual(before);

    const [event, ...others] = await upgrades(k);
    expect(others).toEqual([]);
    expect(event).toMatchObject<Partial<EventRecord>>({
      actor: 'kernel',
      details: {
        backup: `upgrade-backups/${name}`,
        collections: [
          { name: 'notes', from: 1, to: 3 },
          { name: 'tags', from: 1, to: 2 },
        ],
      },
    });
    expect((await k.log.verify()).ok).toBe(true);

    await k.stop();
    const again = await unlock(dataDir, [notesPlugin(3)]);
    expect(await upgrades(again)).toHaveLength(1);
    expect(fs.readdirSync(path.join(dataDir, 'upgrade-backups'))).toEqual([name]);
  });

  it('migrates from any older version: v2 data to v3 runs only the last step', async () => {
    const dataDir = await v1DataDir();
    await (await unlock(dataDir, [notesPlugin(2)])).stop();
    expect(await stamps(dataDir)).toEqual({ notes: 2, tags: 2, kernel: 1 });
    const k = await unlock(dataDir, [notesPlugin(3)]);
    expect(await k.commands.execute('notes.all')).toEqual(V3_DATA);
    expect((await upgrades(k)).map((e) => e.details?.collections)).toEqual([[{ name: 'notes', from: 2, to: 3 }], [
      { name: 'notes', from: 1, to: 2 },
      { name: 'tags', from: 1, to: 2 },
    ]]);
    expect(fs.readdirSync(path.join(dataDir, 'upgrade-backups')).map((n) => n.slice(-6)).sort()).toEqual(['-v1-v2', '-v2-v3']);
  });

  it('a migration that fails or breaks a unique index leaves the data as it was, the kernel locked, and the next unlock retries', async () => {
    const dataDir = await v1DataDir();
    const before = tree(dataDir);
    const failing = notesPlugin(3, (m, name, v) => (name === 'tags' ? () => { throw new Error(`tag step ${v} broke`); } : m));
    const k = await Kernel.create({ dataDir, plugins: [failing] });
    kernels.push(k);
    await expect(k.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE })).rejects.toMatchObject({
      code: 'E_UPGRADE_FAILED',
      message: 'Upgrading collection "tags" to version 2 failed: tag step 2 broke. Nothing was changed.',
    });
    expect(k.state).toBe('locked');
    expect(tree(dataDir, 'upgrade-backups')).toEqual(before);

    // Records that collide on a unique index are refused the same way, by nedb itself.
    const colliding = notesPlugin(3, (m, name) => (name === 'tags' ? (doc) => ({ ...m(doc), _id: 'same' }) : m));
    const k2 = await Kernel.create({ dataDir, plugins: [colliding] });
    kernels.push(k2);
    await expect(k2.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE })).rejects.toMatchObject({
      code: 'E_UPGRADE_FAILED',
      message: 'Upgrading collection "tags" to version 2 failed: two records would have the same value of a unique index. Nothing was changed.',
    });
    expect(tree(dataDir, 'upgrade-backups')).toEqual(before);
    expect(leftovers(dataDir)).toEqual([]);

    const fixed = await unlock(dataDir, [notesPlugin(3)]);
    expect(await fixed.commands.execute('notes.all')).toEqual(V3_DATA);
  });

  it('refuses a collection stored in a newer version than this code reads, even one it does not know, changing nothing', async () => {
    const dataDir = await v1DataDir();
    const vault = await Vault.open(dataDir, TEST_PASSPHRASE);
    fs.appendFileSync(path.join(dataDir, 'schema.db'), vault.seal(JSON.stringify({ _id: 'later', version: 2 })) + '\n');
    vault.lock();
    const before = tree(dataDir);
    const k = await Kernel.create({ dataDir, plugins: [notesPlugin(3)] });
    kernels.push(k);
    await expect(k.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE })).rejects.toMatchObject({
      code: 'E_SCHEMA_NEWER',
      message: expect.stringContaining('collection "later" is version 2, this Keyward reads up to version 1'),
    });
    expect(tree(dataDir)).toEqual(before);
  });
});

describe('an upgrade killed part-way', () => {
  function runChild(dataDir: string, killAt: string): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', CHILD, dataDir, killAt], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ signal: (err as { signal?: NodeJS.Signals } | null)?.signal ?? null, stdout, stderr }),
      );
    });
  }

  for (const [killAt, state] of [
    ['migrating', 'before the commit point the old files are untouched'],
    ['renaming', 'after the commit point one file is new and one old'],
    ['finishing', 'at the very end the upgrade is already logged'],
  ] as const) {
    it(`while ${killAt}: ${state}; the next unlock ends with every collection migrated once and logged once`, async () => {
      const dataDir = await v1DataDir();
      const notesBefore = fs.readFileSync(path.join(dataDir, 'notes.db'));
      const run = await runChild(dataDir, killAt);
      expect(run.stderr).toBe('');
      expect(run.signal).toBe('SIGKILL');
      if (killAt === 'migrating') {
        expect(fs.readFileSync(path.join(dataDir, 'notes.db')).equals(notesBefore)).toBe(true);
        expect(fs.existsSync(path.join(dataDir, 'upgrade.json'))).toBe(false);
      } else {
        expect(fs.existsSync(path.join(dataDir, 'upgrade.json'))).toBe(true);
      }

      const k = await unlock(dataDir, [notesPlugin(3)]);
      expect(await k.commands.execute('notes.all')).toEqual(V3_DATA);
      expect(await stamps(dataDir)).toEqual({ notes: 3, tags: 2, kernel: 1 });
      expect(await upgrades(k)).toHaveLength(1);
      expect(leftovers(dataDir)).toEqual([]);
      expect(fs.readdirSync(path.join(dataDir, 'upgrade-backups')).every((n) => !n.startsWith('.'))).toBe(true);
      expect((await k.log.verify()).ok).toBe(true);
    });
  }

  it('after the commit point, files put back by a rolled-back restore are not overwritten: the marker no longer matches and is dropped', async () => {
    const dataDir = await v1DataDir();
    const older = fs.readFileSync(path.join(dataDir, 'notes.db'));
    const v1 = await unlock(dataDir, [notesPlugin(1)]);
    await v1.commands.execute('notes.add', { notes: [{ _id: 'n4', text: 'only in the restored data' }], tags: [] } as never);
    await v1.stop();
    expect((await runChild(dataDir, 'renaming')).signal).toBe('SIGKILL');
    // What restore.ts's recovery does when the process died inside a restore: the old files come back.
    fs.writeFileSync(path.join(dataDir, 'notes.db'), older);

    const k = await unlock(dataDir, [notesPlugin(3)]);
    expect(await k.commands.execute('notes.all')).toEqual(V3_DATA);
    expect(await stamps(dataDir)).toEqual({ notes: 3, tags: 2, kernel: 1 });
    expect(leftovers(dataDir)).toEqual([]);
  });
});
