/**
 * All-or-nothing writes across collection files (DESIGN §5: "staged and committed; a crash leaves
 * the old state"). nedb appends every change to its file, so a write that spans many records or
 * two collections (users and their keys) could be cut short by a crash. The journal makes it one
 * unit:
 *
 * 1. copy each file to `.<file>.rollback` and fsync the copies;
 * 2. write `keys.journal.json` atomically, naming the files (and whether each existed);
 * 3. make the changes through nedb as usual;
 * 4. fsync the changed files, then delete the journal — the commit point;
 * 5. delete the copies.
 *
 * {@link Journal.recover} runs when the keys plugin starts, before any collection loads (the keys
 * plugin starts before every plugin that requires it): a journal left behind means a write was
 * cut short, and every file it names goes back to its copy. Copies without a journal are strays
 * from steps 1 or 5 and are deleted.
 */
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { fsyncFile, ignoreMissing, syncDir, writeFileAtomic } from '../../src/kernel/index.js';

export const JOURNAL_FILE = 'keys.journal.json';
const ROLLBACK_SUFFIX = '.rollback';

interface JournalDoc {
  format: 'keyward-journal';
  version: 1;
  /** Collection file names inside the data dir, and whether each existed before the write. */
  files: { name: string; existed: boolean }[];
}

/** A datastore file taking part in a journaled write, and how to re-read it after a failed one. */
export interface JournaledFile {
  /** File name inside the data dir, e.g. `users.db`. */
  file: string;
  /** Re-read the file into memory (after a failed write put the old file back). */
  reload(): Promise<void>;
}

export class Journal {
  /** Journaled writes run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataDir: string) {}

  /** Undo a write cut short by a crash (see the module comment). Call before any named file is loaded. */
  async recover(): Promise<{ rolledBack: string[] }> {
    const journal = await this.readJournal();
    const rolledBack: string[] = [];
    if (journal) {
      for (const { name, existed } of journal.files) {
        const target = this.at(name);
        if (existed) await fs.rename(this.at(rollbackName(name)), target).catch(ignoreMissing);
        else await fs.rm(target, { force: true });
        rolledBack.push(name);
      }
      await syncDir(this.dataDir);
      await fs.rm(this.at(JOURNAL_FILE), { force: true });
      await syncDir(this.dataDir);
    }
    await this.removeCopies();
    return { rolledBack };
  }

  /**
   * Run `write` so that its changes to `files` happen completely or not at all. A write that
   * throws puts the files back and reloads them before the error is passed on; a crash is undone
   * by {@link recover} at the next start.
   */
  run<T>(files: JournaledFile[], write: () => Promise<T>): Promise<T> {
    const go = () => this.runNow(files, write);
    const result = this.queue.then(go, go);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow<T>(files: JournaledFile[], write: () => Promise<T>): Promise<T> {
    const entries: JournalDoc['files'] = [];
    for (const { file } of files) {
      const copied = await fs
        .copyFile(this.at(file), this.at(rollbackName(file)), constants.COPYFILE_FICLONE)
        .then(() => true, ignoreMissing);
      if (copied) await fsyncFile(this.at(rollbackName(file)));
      entries.push({ name: file, existed: copied === true });
    }
    const doc: JournalDoc = { format: 'keyward-journal', version: 1, files: entries };
    await writeFileAtomic(this.at(JOURNAL_FILE), JSON.stringify(doc) + '\n');
    let result: T;
    try {
      result = await write();
      for (const { file } of files) await fsyncFile(this.at(file)).catch(ignoreMissing);
      // The commit point: once the journal is gone, the next start keeps the new files.
      await fs.rm(this.at(JOURNAL_FILE));
      await syncDir(this.dataDir);
    } catch (err) {
      await this.recover();
      for (const f of files) await f.reload();
      throw err;
    }
    await this.removeCopies();
    return result;
  }

  private async readJournal(): Promise<JournalDoc | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.at(JOURNAL_FILE), 'utf8');
    } catch (err) {
      ignoreMissing(err);
      return undefined;
    }
    // writeFileAtomic means the journal is whole or absent; anything else is not ours to guess at.
    const doc = JSON.parse(text) as JournalDoc;
    if (doc.format !== 'keyward-journal' || doc.version !== 1 || !Array.isArray(doc.files)) {
      throw new Error(`${JOURNAL_FILE} in ${this.dataDir} is not a Keyward journal; move it away to start`);
    }
    return doc;
  }

  private async removeCopies(): Promise<void> {
    for (const name of await fs.readdir(this.dataDir)) {
      if (name.startsWith('.') && name.endsWith(ROLLBACK_SUFFIX)) await fs.rm(this.at(name), { force: true });
    }
  }

  private at(name: string): string {
    if (name !== path.basename(name)) throw new Error(`journal: "${name}" must be a file name inside the data dir`);
    return path.join(this.dataDir, name);
  }
}

function rollbackName(file: string): string {
  return `.${file}${ROLLBACK_SUFFIX}`;
}
