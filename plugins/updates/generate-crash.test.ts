/**
 * A generation killed part-way (SIGKILL in a child process, on a real data dir) leaves no update
 * file and no half-made month of keys; the next run completes it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Period } from '../../src/crypto/index.js';
import { Kernel, TEST_PASSPHRASE, createTestKernel } from '../../src/kernel/index.js';
import { builtinPlugins } from '../index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'generate-crash.child.ts');
const ROOT = path.resolve(here, '..', '..');
const N = 30;
const month = Period.of(new Date()).next();

function runChild(dataDir: string, out: string, killAt: string): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', CHILD, dataDir, out, month.toString(), killAt], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ signal: (err as { signal?: NodeJS.Signals } | null)?.signal ?? null, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

let dataDir: string;
let out: string;

beforeAll(async () => {
  const t = await createTestKernel({ plugins: builtinPlugins });
  dataDir = t.dataDir;
  const file = Array.from({ length: N }, (_, i) => `C${i}\tCrash\t+4673${String(i).padStart(6, '0')}\t\n`).join('');
  await t.kernel.commands.execute('users.import', { fileName: 'crash.txt', contentBase64: Buffer.from(file).toString('base64') });
  await t.kernel.stop();
  out = fs.mkdtempSync(path.join(path.dirname(dataDir), 'keyward-updates-crash-out-'));
}, 120_000);
afterAll(() => {
  for (const d of [dataDir, out]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** Months with keys per user after reopening the data dir as after a crash. */
async function monthsPerUser(): Promise<Set<string>> {
  const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
  try {
    await kernel.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
    expect(fs.readdirSync(dataDir).filter((f) => /journal|rollback/.test(f))).toEqual([]);
    const seen = new Set<string>();
    for (let i = 0; i < N; i++) {
      const d = (await kernel.commands.execute('users.show', { mobile: `+4673${String(i).padStart(6, '0')}` })) as { keyPeriods: string[] };
      seen.add(d.keyPeriods.join(','));
    }
    return seen;
  } finally {
    await kernel.stop();
  }
}

describe('updates.generate killed part-way', () => {
  const before = [month.previous(), month].map(String).join(',');

  it('while issuing keys: no file, and no user has keys of the new month', async () => {
    const run = await runChild(dataDir, out, 'Generating keys');
    expect(run.stderr).toBe('');
    expect(run.signal).toBe('SIGKILL');
    expect(fs.readdirSync(out)).toEqual([]);
    expect(await monthsPerUser()).toEqual(new Set([before]));
  }, 120_000);

  it('inside the journaled write, after the keys were appended: rolled back at the next start', async () => {
    const run = await runChild(dataDir, out, 'Storing keys');
    expect(run.signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dataDir, 'keys.journal.json'))).toBe(true);
    expect(fs.readdirSync(out)).toEqual([]);
    expect(await monthsPerUser()).toEqual(new Set([before]));
  }, 120_000);

  it('then completes: every user has both months and the file is there', async () => {
    const run = await runChild(dataDir, out, 'never');
    expect(run.stdout).toContain('finished without being killed');
    expect(fs.readdirSync(out)).toEqual([expect.stringMatching(new RegExp(`^update-${month}_\\d{8}T\\d{9}\\.kwu$`))]);
    expect(await monthsPerUser()).toEqual(new Set([[month.previous(), month, month.next()].map(String).join(',')]));
  }, 120_000);
});
