import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The names in `dir` now, or `null` if it does not exist: what `removeCreated` must leave alone. */
export async function snapshot(dir: string): Promise<Set<string> | null> {
  try {
    return new Set(await readdir(dir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Removes whatever appeared in `dir` since `before` was taken — the whole dir if it did not exist. */
export async function removeCreated(dir: string, before: Set<string> | null): Promise<void> {
  if (before === null) return rm(dir, { recursive: true, force: true });
  for (const name of await readdir(dir).catch(() => [])) {
    if (!before.has(name)) await rm(join(dir, name), { recursive: true, force: true });
  }
}
