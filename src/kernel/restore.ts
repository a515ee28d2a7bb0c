/**
 * Replacing the whole data of an installation (restore from backup) in one step that a crash
 * cannot leave half done.
 *
 * The new files are first written to `<dataDir>/.restore-new-<stamp>/` and checked there. Then:
 * 1. `restore.journal.json` is written atomically, naming the two folders and the entries that
 *    go away and come in;
 * 2. every data entry of the data dir is moved into `<dataDir>/.restore-old-<stamp>/`;
 * 3. every staged file is moved into the data dir;
 * 4. the kernel opens the new data (vault, event log, plugins); only when that works is the
 *    journal deleted — the commit point — and then the old folder.
 *
 * {@link recoverRestore} runs when a kernel is created: a journal left behind means a restore was
 * cut short (a crash, a kill, a failed reopen), and the old entries are moved back. Stray folders
 * without a journal are left-overs of staging or of a finished restore and are deleted.
 * All moves are renames inside one folder, so each is atomic.
 */
import fs from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { syncDir, writeFileAtomic } from './atomic-file.js';
import { LOCK_FILE } from './data-lock.js';
import { CommandError } from './errors.js';
import { EventLog } from './eventlog.js';
import type { CollectionSchema } from './api.js';
import { checkNotNewer } from './upgrade.js';
import { Vault, VaultError } from './vault.js';

export const RESTORE_JOURNAL = 'restore.journal.json';
const OLD_PREFIX = '.restore-old-';
const NEW_PREFIX = '.restore-new-';

/**
 * Entries of the data dir that belong to this machine, not to the installation's data: never in a
 * backup, never replaced by a restore. The installation identity (licence checksum) must change on
 * a new machine; pre-upgrade backups and the outbox folders are copies, not data.
 */
export const NOT_DATA: readonly string[] = [LOCK_FILE, 'keyward.config.json', 'installation.json', 'upgrade-backups', 'outbox', RESTORE_JOURNAL];

/** A file of the installation's data, as a backup carries it. */
export interface DataFile {
  /** A plain name at the top of the data dir (`users.db`). */
  name: string;
  data: Uint8Array;
}

/** Whether `name` (an entry at the top of the data dir) is installation data. Dot files are temporary files and restore folders. */
export function isDataEntry(name: string): boolean {
  return !name.startsWith('.') && !NOT_DATA.includes(name);
}

/** Why `name` cannot be a data file of a backup, or undefined if it can. */
export function dataFileNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(name)) return 'is not a plain file name';
  if (!isDataEntry(name)) return 'is not installation data';
  return undefined;
}

/** The data files in the data dir now (regular files only), sorted by name. */
export async function listDataFiles(dataDir: string): Promise<string[]> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return entries.filter((e) => e.isFile() && isDataEntry(e.name)).map((e) => e.name).sort();
}

interface JournalDoc {
  format: 'keyward-restore';
  version: 1;
  old: string;
  staged: string;
  /** Data entries of the data dir before the restore. */
  original: string[];
  /** Files the restore brings in. */
  incoming: string[];
}

/** A restore being carried out: staged, then swapped in, then committed or rolled back. */
export class DataSwap {
  private constructor(
    private readonly dataDir: string,
    private readonly stamp: string,
    private readonly files: string[],
  ) {}

  /** The staging folder, readable as a data dir to check the new data before anything is touched. */
  get stagedDir(): string {
    return path.join(this.dataDir, NEW_PREFIX + this.stamp);
  }

  private get oldDir(): string {
    return path.join(this.dataDir, OLD_PREFIX + this.stamp);
  }

  /** Writes `files` (names checked) into a new staging folder, each fsync'd. */
  static async stage(dataDir: string, files: DataFile[]): Promise<DataSwap> {
    const seen = new Set<string>();
    for (const f of files) {
      const problem = dataFileNameProblem(f.name);
      if (problem) throw new CommandError('E_INVALID_ARGS', `${JSON.stringify(f.name)} ${problem}; nothing was changed`);
      if (seen.has(f.name)) throw new CommandError('E_INVALID_ARGS', `${f.name} is given twice; nothing was changed`);
      seen.add(f.name);
    }
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const swap = new DataSwap(dataDir, `${Date.now()}-${process.pid}`, [...seen]);
    await mkdir(swap.stagedDir, { mode: 0o700 });
    try {
      for (const f of files) {
        const handle = await fs.promises.open(path.join(swap.stagedDir, f.name), 'wx', 0o600);
        try {
          await handle.writeFile(f.data);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      await syncDir(swap.stagedDir);
    } catch (err) {
      await swap.discard();
      throw err;
    }
    return swap;
  }

  /** Removes the staging folder (the restore did not go ahead). */
  async discard(): Promise<void> {
    await rm(this.stagedDir, { recursive: true, force: true });
  }

  /** Steps 1 to 3: journal, old entries aside, new files in. The caller holds the data dir lock. */
  async swapIn(): Promise<void> {
    const original = (await readdir(this.dataDir)).filter(isDataEntry);
    const doc: JournalDoc = {
      format: 'keyward-restore',
      version: 1,
      old: path.basename(this.oldDir),
      staged: path.basename(this.stagedDir),
      original,
      incoming: this.files,
    };
    await writeFileAtomic(path.join(this.dataDir, RESTORE_JOURNAL), JSON.stringify(doc, null, 2) + '\n');
    await mkdir(this.oldDir, { mode: 0o700 });
    for (const name of original) await rename(path.join(this.dataDir, name), path.join(this.oldDir, name));
    await syncDir(this.oldDir);
    for (const name of this.files) await rename(path.join(this.stagedDir, name), path.join(this.dataDir, name));
    await syncDir(this.dataDir);
  }

  /** Step 4: the new data works; drop the journal (the commit point), then the old data. */
  async commit(): Promise<void> {
    await rm(path.join(this.dataDir, RESTORE_JOURNAL), { force: true });
    await syncDir(this.dataDir);
    await rm(this.oldDir, { recursive: true, force: true });
    await this.discard();
  }
}

/**
 * Checks data staged in `dir` before it replaces anything: `passphrase` opens its vault, every
 * record of every collection file opens under the data key, the event log chain verifies, and no
 * collection is of a newer schema than `declared` (a backup made by a newer Keyward).
 */
export async function checkStagedData(dir: string, passphrase: string, declared: Map<string, CollectionSchema>): Promise<void> {
  const vault = await Vault.open(dir, passphrase).catch((err: unknown) => {
    if (err instanceof VaultError && err.code === 'E_WRONG_PASSPHRASE') {
      throw new CommandError('E_WRONG_PASSPHRASE', 'The administrator passphrase does not open the vault of the backup (give the one valid when the backup was made); nothing was changed');
    }
    if (err instanceof VaultError) throw new CommandError('E_CORRUPT', `The vault of the backup cannot be read (${err.code}); nothing was changed`);
    throw err;
  });
  try {
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.db')).sort()) {
      const lines = (await readFile(path.join(dir, name), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (line === '') return;
        try {
          vault.open(line);
        } catch {
          throw new CommandError('E_CORRUPT', `${name} of the backup: record on line ${i + 1} does not open under its vault; nothing was changed`);
        }
      });
    }
    const verified = await new EventLog(dir, vault).verify();
    if (!verified.ok) {
      throw new CommandError('E_CORRUPT', `The event log of the backup fails verification at record ${verified.problem?.seq}: ${verified.problem?.reason}; nothing was changed`);
    }
    await checkNotNewer(dir, vault, declared).catch((err: unknown) => {
      if (err instanceof CommandError && err.code === 'E_SCHEMA_NEWER') {
        throw new CommandError('E_SCHEMA_NEWER', `The backup was made by a newer Keyward: ${err.message.replace(/^.*?: /, '')}`, err.details);
      }
      throw err;
    });
  } finally {
    vault.lock();
  }
}

/**
 * Undoes a restore cut short (see the module comment) and removes stray restore folders.
 * Returns whether a restore was rolled back. Call while no session uses the data dir.
 */
export async function recoverRestore(dataDir: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, RESTORE_JOURNAL), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await removeStrays(dataDir);
    return false;
  }
  const doc = parseJournal(text, dataDir);
  const oldDir = path.join(dataDir, doc.old);
  for (const name of await readdir(oldDir).catch(() => [] as string[])) {
    await rename(path.join(oldDir, name), path.join(dataDir, name));
  }
  for (const name of doc.incoming) {
    if (!doc.original.includes(name)) await rm(path.join(dataDir, name), { recursive: true, force: true });
  }
  await syncDir(dataDir);
  await rm(path.join(dataDir, RESTORE_JOURNAL), { force: true });
  await syncDir(dataDir);
  await removeStrays(dataDir);
  return true;
}

async function removeStrays(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(OLD_PREFIX) || name.startsWith(NEW_PREFIX)) await rm(path.join(dataDir, name), { recursive: true, force: true });
  }
}

/** The journal as written by {@link DataSwap.swapIn}; anything else is refused rather than guessed at. */
function parseJournal(text: string, dataDir: string): JournalDoc {
  const bad = () => new CommandError('E_CORRUPT', `${path.join(dataDir, RESTORE_JOURNAL)} is damaged; the restore it records cannot be undone automatically`);
  let doc: JournalDoc;
  try {
    doc = JSON.parse(text) as JournalDoc;
  } catch {
    throw bad();
  }
  const names = (v: unknown) => Array.isArray(v) && v.every((n) => typeof n === 'string' && isDataEntry(n) && !n.includes('/') && !n.includes('\\'));
  const folder = (v: unknown, prefix: string) => typeof v === 'string' && v.startsWith(prefix) && !/[/\\]|\.\./.test(v);
  if (doc?.format !== 'keyward-restore' || !folder(doc.old, OLD_PREFIX) || !folder(doc.staged, NEW_PREFIX) || !names(doc.original) || !names(doc.incoming)) {
    throw bad();
  }
  return doc;
}
