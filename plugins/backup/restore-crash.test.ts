/**
 * A restore killed part-way leaves the installation as it was: a child process runs the real
 * `backup.restore` on a real data dir and SIGKILLs itself during the swap; the data dir is then
 * reopened as after a crash, and the half-done restore is rolled back.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, createTestKernel, listDataFiles, TEST_PASSPHRASE } from '../../src/kernel/index.js';
import { builtinPlugins } from '../index.js';
import type { BackupCreateResult } from './tokens.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'restore-crash.child.ts');
const ROOT = path.resolve(here, '..', '..');
const BACKUP_PASSPHRASE = 'backup phrase for the safe';

function runChild(dataDir: string, file: string, killAt: string): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', CHILD, dataDir, file, BACKUP_PASSPHRASE, killAt], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ signal: (err as { signal?: NodeJS.Signals } | null)?.signal ?? null, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

let dataDir: string;
let backupFile: string;
/** What the installation held before the restore: the user added after the backup, not the one in it. */
let before: { users: unknown; files: string[] };
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  const t = await createTestKernel({ plugins: builtinPlugins });
  dataDir = t.dataDir;
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-backup-out-'));
  cleanups.push(() => fs.rmSync(out, { recursive: true, force: true }));
  // The backup has one user; the installation then gets another and loses the first.
  await t.kernel.commands.execute('users.add', { firstName: 'In', lastName: 'Backup', mobile: '+46700000001' });
  const made = await t.kernel.commands.execute<BackupCreateResult>('backup.create', { backupPassphrase: BACKUP_PASSPHRASE, out });
  backupFile = path.join(out, made.fileName);
  await t.kernel.commands.execute('users.add', { firstName: 'After', lastName: 'Backup', mobile: '+46700000002' });
  await t.kernel.commands.execute('users.delete', { mobiles: ['+46700000001'] });
  await t.kernel.commands.execute('backup.compromisedDomains'); // nedb makes backup.db on first use
  before = { users: await t.kernel.commands.execute('users.list', {}), files: [] };
  await t.kernel.stop();
  // Bytes are not compared: every unlock rewrites the nedb files (fresh IVs) and records itself.
  before.files = await listDataFiles(dataDir);
}, 60_000);
afterAll(() => cleanups.forEach((c) => c()));

describe('a restore killed part-way', () => {
  for (const killAt of ['journal', 'reopen']) {
    it(`is rolled back at the next start (killed at ${killAt})`, async () => {
      const { signal, stdout, stderr } = await runChild(dataDir, backupFile, killAt);
      expect(stdout + stderr).not.toContain('restore finished');
      expect(signal).toBe('SIGKILL');
      // Killed before the commit point: the journal is still there.
      expect(fs.existsSync(path.join(dataDir, 'restore.journal.json'))).toBe(true);

      const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
      try {
        expect(fs.readdirSync(dataDir).filter((n) => n.startsWith('.restore') || n === 'restore.journal.json')).toEqual([]);
        expect(await listDataFiles(dataDir)).toEqual(before.files);
        await kernel.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
        expect(await kernel.commands.execute('users.list', {})).toEqual(before.users);
        expect(await kernel.commands.execute('log.verify')).toMatchObject({ ok: true });
      } finally {
        await kernel.stop();
      }
    }, 120_000);
  }
});
