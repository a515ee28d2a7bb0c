/**
 * Schema versions of collections and the upgrade of an older data dir (api.ts `CollectionSchema`,
 * docs/upgrade.md). Runs at unlock with the data dir lock held, before any plugin starts:
 *
 * 1. finish an upgrade cut short (see below), or throw away what an uncommitted one staged;
 * 2. read the stored versions (`schema.db`; a collection without one is version 1, as in data dirs
 *    from before versions existed) and refuse with `E_SCHEMA_NEWER`, writing nothing, if any is
 *    above what this code reads;
 * 3. if some collection is older: copy every data file to `upgrade-backups/<time>-v<from>-v<to>/`
 *    (made as a hidden `.partial` folder and renamed when complete), then write each such
 *    collection's records, migrated, into a new file `.<file>.upgrade` beside it (its keys-journal
 *    rollback copy too, so a rollback at plugin start restores the old records in the new format);
 * 4. write `upgrade.json` naming the staged files with the SHA-256 of each original and staged
 *    file — the commit point — then rename them over the originals, stamp the new versions, record
 *    `kernel.upgrade` in the event log and delete `upgrade.json`. A crash before the commit point
 *    leaves the old files (the next unlock retries); after it, the next unlock repeats step 4 from
 *    the marker, which is safe to repeat. The digests make sure the marker still belongs to the
 *    files there: a restore rolled back after a crash (restore.ts) puts other files in place, and
 *    then the marker and its staged files are dropped instead of renamed over them;
 * 5. stamp every collection that has no version yet with the version this code writes.
 */
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Collection, CollectionSchema, IEventLog, Migration, PluginDefinition } from './api.js';
import { fsyncFile, ignoreMissing, syncDir, writeFileAtomic } from './atomic-file.js';
import { LOCK_FILE } from './data-lock.js';
import { CommandError, KernelError } from './errors.js';
import { sealedStore, type Sealer } from './registries/collections.js';
import type { UpgradeReport, UpgradeStep } from './upgrade-report.js';

/** The kernel's collection of stored versions: one record `{ _id: <collection>, version }` each. */
export const SCHEMA_COLLECTION = 'schema';
/** Where automatic backups go, inside the data dir. Never part of a normal backup. */
export const UPGRADE_BACKUPS_DIR = 'upgrade-backups';
/** Present only between the commit point and the end of an upgrade. */
export const UPGRADE_MARKER = 'upgrade.json';

export type SchemaDoc = { _id: string; version: number };

interface Marker {
  format: 'keyward-upgrade';
  version: 1;
  /** The automatic backup, relative to the data dir. */
  backup: string;
  collections: UpgradeStep[];
  /** Files in the data dir whose staged copies replace them, with the SHA-256 (hex) of the old and new content. */
  files: { name: string; old: string; new: string }[];
}

/** A collection file name: a collection name (collections.ts) plus `.db`. */
const COLLECTION_FILE = /^([a-z0-9][a-z0-9_.-]*)\.db$/;
const STAGED = /^\..+\.upgrade~?$/;
const KERNEL_COLLECTIONS = ['kernel', SCHEMA_COLLECTION];

/** Every plugin's declared schemas by collection name; a wiring mistake is a KernelError. */
export function declaredSchemas(plugins: PluginDefinition<any, any, any>[]): Map<string, CollectionSchema> {
  const declared = new Map<string, CollectionSchema>();
  const owners = new Map<string, string>();
  for (const def of plugins) {
    for (const [name, schema] of Object.entries(def.collections ?? {})) {
      const where = `Plugin "${def.id}": collection "${name}"`;
      if (KERNEL_COLLECTIONS.includes(name) || !COLLECTION_FILE.test(`${name}.db`)) throw new KernelError(`${where} is not a name a plugin can use`);
      if (owners.has(name)) throw new KernelError(`${where} is already declared by plugin "${owners.get(name)}"`);
      if (!Number.isInteger(schema.version) || schema.version < 1) throw new KernelError(`${where}: version must be a whole number ≥ 1`);
      for (let v = 2; v <= schema.version; v++) {
        if (typeof schema.migrations?.[v] !== 'function') throw new KernelError(`${where} is version ${schema.version} but has no migration to version ${v}`);
      }
      owners.set(name, def.id);
      declared.set(name, schema);
    }
  }
  return declared;
}

/** The upgrade of one data dir in one session (see the module comment). */
export class Upgrade {
  private done?: UpgradeReport;

  constructor(
    private readonly dataDir: string,
    private readonly sealer: Sealer,
    private readonly log: IEventLog,
    private readonly stamps: Collection<SchemaDoc>,
    private readonly declared: Map<string, CollectionSchema>,
  ) {}

  /** Steps 1–5 of the module comment; says what was upgraded, if anything (a finished interrupted upgrade too). */
  async beforeStart(): Promise<UpgradeReport | undefined> {
    await this.recover();
    const stored = await this.readStamps();
    const files = await collectionFiles(this.dataDir);
    refuseNewer(this.dataDir, stored, files, this.declared);
    const steps: UpgradeStep[] = [];
    for (const name of files) {
      const to = this.declared.get(name)?.version ?? 1;
      const from = stored.get(name) ?? 1;
      if (from < to) steps.push({ name, from, to });
    }
    if (steps.length) await this.migrate(steps);
    // Declared ones too before they exist: a file a plugin creates later must not pass for version 1.
    await this.stampMissing(new Set([...files, ...this.declared.keys(), 'kernel']), await this.readStamps());
    return this.done;
  }

  /**
   * After the plugins started: stamps the collections they created. One first written later still
   * reads as version 1 until the next unlock stamps it, which is right: undeclared means version 1.
   */
  async afterStart(): Promise<void> {
    await this.stampMissing(new Set(await collectionFiles(this.dataDir)), await this.readStamps());
  }

  private async migrate(steps: UpgradeStep[]): Promise<void> {
    const backup = await this.backup(Math.min(...steps.map((s) => s.from)), Math.max(...steps.map((s) => s.to)));
    const files: Marker['files'] = [];
    try {
      for (const step of steps) {
        for (const name of [`${step.name}.db`, `.${step.name}.db.rollback`]) {
          if (!(await exists(this.at(name)))) continue;
          await this.stage(name, step);
          files.push({ name, old: await digest(this.at(name)), new: await digest(this.at(stagedName(name))) });
        }
      }
    } catch (err) {
      await this.removeStaged();
      throw err;
    }
    const marker: Marker = { format: 'keyward-upgrade', version: 1, backup, collections: steps, files };
    await writeFileAtomic(this.at(UPGRADE_MARKER), JSON.stringify(marker, null, 2) + '\n');
    await this.finish(marker);
  }

  /** Copies every data file (not the lock, not folders) into a new folder under upgrade-backups/. */
  private async backup(from: number, to: number): Promise<string> {
    const root = this.at(UPGRADE_BACKUPS_DIR);
    await fs.mkdir(root, { recursive: true, mode: 0o700 });
    // ISO 8601 basic format: no ":" (not allowed in Windows file names).
    const time = new Date().toISOString().replace(/[-:]/g, '');
    let name = `${time}-v${from}-v${to}`;
    for (let n = 2; await exists(path.join(root, name)); n++) name = `${time}-v${from}-v${to}-${n}`;
    const partial = path.join(root, `.${name}.partial`);
    await fs.mkdir(partial, { mode: 0o700 });
    for (const entry of await fs.readdir(this.dataDir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name === LOCK_FILE) continue;
      const copy = path.join(partial, entry.name);
      await fs.copyFile(this.at(entry.name), copy, constants.COPYFILE_EXCL);
      await fsyncFile(copy);
    }
    await syncDir(partial);
    await fs.rename(partial, path.join(root, name));
    await syncDir(root);
    return `${UPGRADE_BACKUPS_DIR}/${name}`;
  }

  /**
   * Writes `.<file>.upgrade`: the file's records run through the step's migrations, written by nedb
   * into a new file with the same indexes (so a migration that breaks a unique index fails here).
   */
  private async stage(file: string, step: UpgradeStep): Promise<void> {
    const { docs, indexes } = await this.readFile(file);
    const migrations = this.declared.get(step.name)!.migrations!;
    const out: Record<string, unknown>[] = [];
    for (const doc of docs) {
      let next: Record<string, unknown> | null = doc;
      for (let v = step.from + 1; v <= step.to && next !== null; v++) next = runMigration(migrations[v]!, next, step.name, v);
      if (next !== null) out.push(next);
    }
    const staged = this.at(stagedName(file));
    await fs.rm(staged, { force: true });
    const store = sealedStore<Record<string, unknown>>(staged, this.sealer);
    for (const index of indexes) await store.ensureIndex(index);
    await store.insert(out).catch((err: Error & { errorType?: string }) => {
      // nedb's own message quotes the clashing value; say what happened without it.
      const why = err.errorType === 'uniqueViolated' ? 'two records would have the same value of a unique index' : err.message;
      throw new CommandError('E_UPGRADE_FAILED', `Upgrading collection "${step.name}" to version ${step.to} failed: ${why}. Nothing was changed.`);
    });
    await fsyncFile(staged);
  }

  /** Step 4 from the commit point on; safe to repeat. */
  private async finish(marker: Marker): Promise<void> {
    if (!(await this.belongsHere(marker))) {
      await fs.rm(this.at(UPGRADE_MARKER));
      await syncDir(this.dataDir);
      return;
    }
    for (const { name } of marker.files) {
      await fs.rename(this.at(stagedName(name)), this.at(name)).catch(ignoreMissing);
    }
    await syncDir(this.dataDir);
    for (const { name, to } of marker.collections) await this.stamps.update({ _id: name }, { _id: name, version: to }, { upsert: true });
    const last = (await this.log.list({ limit: 1, action: 'kernel.upgrade' })).records[0];
    if (last?.details?.backup !== marker.backup) {
      await this.log.record({
        actor: 'kernel',
        action: 'kernel.upgrade',
        details: { backup: marker.backup, collections: marker.collections.map((s) => ({ ...s })) },
      });
    }
    await fs.rm(this.at(UPGRADE_MARKER));
    await syncDir(this.dataDir);
    this.done = { backup: marker.backup, collections: marker.collections };
  }

  /** Whether each file the marker names is still its old content with the staged file beside it, or already the new content. */
  private async belongsHere(marker: Marker): Promise<boolean> {
    for (const f of marker.files) {
      const staged = await digest(this.at(stagedName(f.name))).catch(ignoreMissing);
      const now = await digest(this.at(f.name)).catch(ignoreMissing);
      if (staged === false ? now !== f.new : staged !== f.new || now !== f.old) return false;
    }
    return true;
  }

  /** Step 1: finish a committed upgrade; drop staged files and partial backups of an uncommitted one. */
  private async recover(): Promise<void> {
    const marker = await this.readMarker();
    if (marker) await this.finish(marker);
    await this.removeStaged();
    const root = this.at(UPGRADE_BACKUPS_DIR);
    for (const name of await fs.readdir(root).catch(() => [] as string[])) {
      if (name.startsWith('.') && name.endsWith('.partial')) await fs.rm(path.join(root, name), { recursive: true, force: true });
    }
  }

  private async readMarker(): Promise<Marker | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.at(UPGRADE_MARKER), 'utf8');
    } catch (err) {
      ignoreMissing(err);
      return undefined;
    }
    // writeFileAtomic means the marker is whole or absent; anything else is not ours to guess at.
    const m = JSON.parse(text) as Marker;
    const hex = (h: unknown) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);
    const fileOk = (f: Marker['files'][number]) => typeof f?.name === 'string' && f.name === path.basename(f.name) && hex(f.old) && hex(f.new);
    if (m.format !== 'keyward-upgrade' || m.version !== 1 || !Array.isArray(m.files) || !m.files.every(fileOk) || !Array.isArray(m.collections)) {
      throw new CommandError('E_CORRUPT', `${this.at(UPGRADE_MARKER)} is not a Keyward upgrade marker; move it away to start`);
    }
    return m;
  }

  private async removeStaged(): Promise<void> {
    for (const name of await fs.readdir(this.dataDir)) {
      if (STAGED.test(name)) await fs.rm(this.at(name), { force: true });
    }
  }

  /** The stored versions (see {@link readFile}). */
  private readStamps(): Promise<Map<string, number>> {
    return readStamps(this.dataDir, this.sealer);
  }

  private readFile(file: string): Promise<{ docs: Record<string, unknown>[]; indexes: { fieldName: string }[] }> {
    return readCollectionFile(this.dataDir, file, this.sealer);
  }

  private async stampMissing(names: Set<string>, stored: Map<string, number>): Promise<void> {
    for (const name of names) {
      if (!stored.has(name)) await this.stamps.insert({ _id: name, version: this.declared.get(name)?.version ?? 1 });
    }
  }

  private at(name: string): string {
    return path.join(this.dataDir, name);
  }
}

/**
 * Refuses (`E_SCHEMA_NEWER`, writing nothing) the data in `dataDir` if a collection's stored
 * version is above what this code reads. Also run by a restore on the staged backup, before the
 * swap, so a backup made by a newer Keyward changes nothing.
 */
export async function checkNotNewer(dataDir: string, sealer: Sealer, declared: Map<string, CollectionSchema>): Promise<void> {
  refuseNewer(dataDir, await readStamps(dataDir, sealer), await collectionFiles(dataDir), declared);
}

function refuseNewer(dataDir: string, stored: Map<string, number>, files: string[], declared: Map<string, CollectionSchema>): void {
  const newer = [...new Set([...stored.keys(), ...files])]
    .map((name) => ({ name, version: stored.get(name) ?? 1, supported: declared.get(name)?.version ?? 1 }))
    .filter((c) => c.version > c.supported);
  if (!newer.length) return;
  const { name, version, supported } = newer[0]!;
  throw new CommandError(
    'E_SCHEMA_NEWER',
    `${dataDir} was written by a newer Keyward: collection "${name}" is version ${version}, this Keyward reads up to version ${supported}. ` +
      'Nothing was changed; use that newer Keyward, or restore a backup made by this version.',
    { collections: newer },
  );
}

async function readStamps(dataDir: string, sealer: Sealer): Promise<Map<string, number>> {
  const { docs } = await readCollectionFile(dataDir, `${SCHEMA_COLLECTION}.db`, sealer);
  return new Map(docs.filter((d) => typeof d.version === 'number').map((d) => [d._id as string, d.version as number]));
}

/** Collections with a file in the data dir (their names), the kernel's stamps excepted. */
async function collectionFiles(dataDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await fs.readdir(dataDir, { withFileTypes: true })) {
    const name = entry.isFile() ? COLLECTION_FILE.exec(entry.name)?.[1] : undefined;
    if (name && name !== SCHEMA_COLLECTION) names.push(name);
  }
  return names.sort();
}

/**
 * A collection file's records and index definitions as nedb would load them (nedb's
 * persistence.treatRawData), read directly: nedb's load rewrites the file, and until the commit
 * point the old files must keep every byte (a refused unlock changes nothing).
 */
async function readCollectionFile(
  dataDir: string,
  file: string,
  sealer: Sealer,
): Promise<{ docs: Record<string, unknown>[]; indexes: { fieldName: string }[] }> {
  const text = await fs.readFile(path.join(dataDir, file), 'utf8').catch((err: unknown) => (ignoreMissing(err), ''));
  const byId = new Map<string, Record<string, unknown>>();
  const indexes = new Map<string, { fieldName: string }>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const doc = JSON.parse(sealer.open(line), reviveDates) as Record<string, any>;
    if (doc._id) {
      if (doc.$$deleted === true) byId.delete(doc._id);
      else byId.set(doc._id, doc);
    } else if (doc.$$indexCreated?.fieldName != null) indexes.set(doc.$$indexCreated.fieldName, doc.$$indexCreated);
    else if (typeof doc.$$indexRemoved === 'string') indexes.delete(doc.$$indexRemoved);
  }
  return { docs: [...byId.values()], indexes: [...indexes.values()] };
}

function runMigration(migration: Migration, doc: Record<string, unknown>, name: string, v: number): Record<string, unknown> | null {
  let next: unknown;
  try {
    next = migration(doc);
  } catch (err) {
    throw new CommandError('E_UPGRADE_FAILED', `Upgrading collection "${name}" to version ${v} failed: ${(err as Error).message}. Nothing was changed.`);
  }
  if (next !== null && (typeof next !== 'object' || Array.isArray(next))) {
    throw new CommandError('E_UPGRADE_FAILED', `Upgrading collection "${name}" to version ${v} failed: a migration returned neither a record nor null. Nothing was changed.`);
  }
  return next as Record<string, unknown> | null;
}

/** nedb's JSON form of a Date, `{"$$date": <ms>}` (its model.deserialize). */
function reviveDates(key: string, value: unknown): unknown {
  if (key === '$$date') return new Date(value as number);
  return value && typeof value === 'object' && '$$date' in value ? (value as { $$date: Date }).$$date : value;
}

function stagedName(file: string): string {
  return `.${file}.upgrade`;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    (err: unknown) => ignoreMissing(err),
  );
}

async function digest(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}
