/**
 * All-or-nothing file writes: a crash or a full disk leaves either the old file or the
 * new one, never a half-written mix.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** File permissions of the new file (default 0o600: data files are for the administrator only). */
  mode?: number;
  /** Fail with an `EEXIST` error instead of replacing an existing file. */
  exclusive?: boolean;
}

/**
 * Write `data` to `file` atomically: write a temporary file beside it, fsync it, then move it
 * into place (rename, or link when `exclusive`, which fails if the target exists) and fsync
 * the directory so the new name survives a crash.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', opts.mode ?? 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (opts.exclusive) {
      // link() refuses an existing target, unlike rename(): creation and "must not exist" in one step.
      await fs.link(tmp, file);
    } else {
      await fs.rename(tmp, file);
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
  await syncDir(dir);
}

/** Make a directory entry change (create, rename) durable. Not supported on Windows, where it is not needed. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync a file that exists (its content survives a crash once this resolves). */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `false` for a file that does not exist; other errors are rethrown (for `.catch` on fs calls). */
export function ignoreMissing(err: unknown): false {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
  throw err;
}
