/** Where a generated file goes on disk (`--out`): a checked folder, a new name, an atomic write. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CommandError, writeFileAtomic } from '../../src/kernel/index.js';

export const FILE_PREFIX = 'update-';

/** 20261202T101500123: to the millisecond, so every file made has its own name. */
export function stampOf(d: Date): string {
  return d.toISOString().replace(/[-:.Z]/g, '');
}

export async function checkFolder(dir: string): Promise<void> {
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new CommandError('E_INVALID_ARGS', `out: ${dir} is not a folder`, { field: 'out' });
}

/**
 * Write the file under a temporary name and rename it (writeFileAtomic), never replacing a file;
 * temporary files a killed run left behind are removed first.
 */
export async function writeInto(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  for (const f of await fs.readdir(dir)) if (f.startsWith(`.${FILE_PREFIX}`) && f.endsWith('.tmp')) await fs.rm(path.join(dir, f), { force: true });
  const file = path.join(dir, name);
  try {
    await writeFileAtomic(file, bytes, { exclusive: true, mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CommandError('E_EXISTS', `${file} exists already; nothing was written`, { file });
    throw err;
  }
  return file;
}
