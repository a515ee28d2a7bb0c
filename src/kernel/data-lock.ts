/**
 * One process at a time works on a data dir. nedb rewrites whole collection files, the keys
 * journal rolls back a write it finds unfinished when a plugin starts, and the event log's hash
 * chain has one writer: the app and the CLI on the same data at once would corrupt them.
 *
 * The lock is `<dataDir>/keyward.lock`, created exclusively and holding the owner's pid. A lock
 * whose process is gone (a crash, a power cut) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CommandError } from './errors.js';

export const LOCK_FILE = 'keyward.lock';
const RETRY_MS = 100;

export class DataDirLock {
  private constructor(private readonly file: string) {}

  /**
   * Takes the lock, waiting up to `waitMs` for another process to let go.
   * @throws CommandError 'E_BUSY' naming the process that holds it.
   */
  static async acquire(dataDir: string, waitMs: number): Promise<DataDirLock> {
    const file = path.join(dataDir, LOCK_FILE);
    const until = Date.now() + waitMs;
    for (;;) {
      const holder = tryCreate(file);
      if (holder === undefined) return new DataDirLock(file);
      if (!alive(holder)) {
        fs.rmSync(file, { force: true }); // left by a process that is gone
        continue;
      }
      if (Date.now() >= until) {
        throw new CommandError('E_BUSY', `${dataDir} is in use by another Keyward process (pid ${holder}); close it and try again`, { pid: holder });
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/** Creates the lock file with our pid; returns the holder's pid when it already exists. */
function tryCreate(file: string): number | undefined {
  try {
    fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    // A lock file being written this instant reads empty: treat it as held, by an unknown live pid.
    return Number.isInteger(pid) && pid > 0 ? pid : process.pid;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
