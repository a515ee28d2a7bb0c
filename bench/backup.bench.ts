/**
 * Backup and restore of a 10,000-user domain (issue 9 target on the 2-core reference machine:
 * ≤ 10 s each). The domain is built with the users bench's import (keys for two months each).
 *
 * Printed (one JSON object per line, as bench/run.ts expects):
 * - backup_create_10000: `backup.create` into a folder — copying the data files, the ZIP archive,
 *   scrypt (N=2^17) and AES-256-GCM, writing the file;
 * - backup_restore_10000: `backup.restore` of that file over the same installation — scrypt,
 *   decryption, every check (manifest, hashes, vault, every record, the event log chain), the swap,
 *   and reopening the restored data with every plugin.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestKernel } from '../src/kernel/index.js';
import { builtinPlugins } from '../plugins/index.js';
import type { BackupCreateResult } from '../plugins/backup/tokens.js';
import { seedUsers } from './users.bench.js';

const N = 10_000;
const BACKUP_PASSPHRASE = 'bench backup passphrase';

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

function emit(op: string, ms: number, extra: Record<string, number>): void {
  console.log(JSON.stringify({ op, ms_per_op: Number(ms.toFixed(1)), n: 1, total_s: seconds(ms), ...extra }));
}

export default async function run(): Promise<void> {
  const t = await createTestKernel({ plugins: builtinPlugins });
  const out = await mkdtemp(path.join(tmpdir(), 'keyward-bench-backup-'));
  try {
    await seedUsers(t.kernel, N);

    const b0 = performance.now();
    const made = (await t.kernel.commands.execute('backup.create', { backupPassphrase: BACKUP_PASSPHRASE, out }, { actor: 'bench' })) as BackupCreateResult;
    const backupMs = performance.now() - b0;
    emit('backup_create_10000', backupMs, { size_mb: Number((made.size / 2 ** 20).toFixed(1)), files: made.files });

    const contentBase64 = (await readFile(path.join(out, made.fileName))).toString('base64');
    const r0 = performance.now();
    await t.kernel.commands.execute('backup.restore', { fileName: made.fileName, contentBase64, backupPassphrase: BACKUP_PASSPHRASE, passphrase: t.passphrase }, { actor: 'bench' });
    const restoreMs = performance.now() - r0;
    const list = (await t.kernel.commands.execute('users.list')) as { total: number };
    if (list.total !== N) throw new Error(`after the restore users.list returned ${list.total} users, expected ${N}`);
    emit('backup_restore_10000', restoreMs, {});
  } finally {
    await t.cleanup();
    await rm(out, { recursive: true, force: true });
  }
}
