/**
 * The import's all-or-nothing guarantee against a process killed part-way: a child process runs
 * the real `users.import` on a real data dir and SIGKILLs itself mid-way; the data dir is then
 * reopened as after a crash.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, createTestKernel, type LogVerifyResult } from '../../src/kernel/index.js';
import { builtinPlugins } from '../index.js';
import type { UserSummary } from './tokens.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'import-crash.child.ts');
const ROOT = path.resolve(here, '..', '..');

function runChild(dataDir: string, file: string, killAt: string): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', CHILD, dataDir, file, killAt], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ signal: (err as { signal?: NodeJS.Signals } | null)?.signal ?? null, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** Records (non-empty lines) of a collection file. */
const records = (file: Buffer) => file.toString('utf8').split('\n').filter(Boolean).length;

let dataDir: string;
let cleanup: () => Promise<void>;
let file: string;
let before: unknown;

beforeAll(async () => {
  const t = await createTestKernel({ plugins: builtinPlugins });
  cleanup = async () => fs.rmSync(t.dataDir, { recursive: true, force: true });
  dataDir = t.dataDir;
  await t.kernel.commands.execute('users.add', { firstName: 'Existing', lastName: 'User', mobile: '+46700000001' });
  before = await t.kernel.commands.execute('users.list');
  await t.kernel.stop();
  file = path.join(dataDir, '..', `${path.basename(dataDir)}-import.txt`);
  fs.writeFileSync(file, Array.from({ length: 60 }, (_, i) => `U${i}\tCrash\t+4672${String(i).padStart(6, '0')}\t\n`).join(''));
});
afterAll(async () => {
  fs.rmSync(file, { force: true });
  await cleanup?.();
});

/** Reopen the data dir as after a crash; checks users, keys and the event log, then runs `more`. */
async function reopen(more?: (k: Kernel) => Promise<void>): Promise<void> {
  const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
  try {
    await kernel.commands.execute('kernel.unlock', { passphrase: 'correct horse battery staple' });
    expect(await kernel.commands.execute('users.list')).toEqual(before);
    await expect(
      kernel.commands.execute('users.show', { mobile: '+46720000000' }),
    ).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect(fs.readdirSync(dataDir).filter((f) => /journal|rollback/.test(f))).toEqual([]);
    expect(((await kernel.commands.execute('log.verify')) as unknown as LogVerifyResult).ok).toBe(true);
    await more?.(kernel);
  } finally {
    await kernel.stop();
  }
}

describe('users.import killed part-way', () => {
  it('during key generation: the users are exactly as before', async () => {
    const run = await runChild(dataDir, file, 'Generating keys');
    expect(run.stderr).toBe('');
    expect(run.signal).toBe('SIGKILL');
    await reopen();
  });

  it('inside the commit, after the keys were appended: the journal rolls keys and users back', async () => {
    const keysBefore = fs.readFileSync(path.join(dataDir, 'keys.db'));
    const run = await runChild(dataDir, file, 'Storing users');
    expect(run.signal).toBe('SIGKILL');
    // Killed mid-commit: the journal and the copies are there and keys.db has grown.
    expect(fs.existsSync(path.join(dataDir, 'keys.journal.json'))).toBe(true);
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.rollback')).sort()).toEqual(['.keys.db.rollback', '.users.db.rollback']);
    expect(fs.statSync(path.join(dataDir, 'keys.db')).size).toBeGreaterThan(keysBefore.length);

    await reopen(async (kernel) => {
      // Back to the old records (nedb rewrites the file with fresh IVs when it loads, so count, not compare bytes).
      expect(records(fs.readFileSync(path.join(dataDir, 'keys.db')))).toBe(records(keysBefore));
      const passphrase = 'correct horse battery staple';
      const period = new Date().toISOString().slice(0, 7);
      await expect(kernel.commands.execute('keys.export', { uri: 'tel:+46720000000', period, passphrase })).rejects.toMatchObject({ code: 'E_NO_KEYS' });
      expect(await kernel.commands.execute('keys.export', { uri: 'tel:+46700000001', period, passphrase })).toMatchObject({ ssk: expect.any(String) });
      // The same file imports completely afterwards: nothing half-done stands in its way.
      expect(await kernel.commands.execute('users.import', { fileName: 'again.txt', contentBase64: fs.readFileSync(file).toString('base64') })).toEqual({ imported: 60 });
      const list = (await kernel.commands.execute('users.list')) as unknown as { total: number; users: UserSummary[] };
      expect(list.total).toBe(61);
    });
  });
});
