import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataSwap, dataFileNameProblem, listDataFiles, recoverRestore, RESTORE_JOURNAL } from './restore.js';

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

async function dataDir(files: Record<string, string>): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'keyward-restore-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

async function contents(d: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(d, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name)) out[name] = await readFile(path.join(d, name), 'utf8');
  return out;
}

const OLD = { 'vault.json': 'old vault', 'users.db': 'old users', 'only-old.db': 'gone after restore', 'keyward.config.json': 'config', 'installation.json': 'this machine' };

describe('the data swap', () => {
  it('swaps the data files and leaves the machine’s own files alone', async () => {
    const d = await dataDir(OLD);
    const swap = await DataSwap.stage(d, [
      { name: 'vault.json', data: Buffer.from('new vault') },
      { name: 'users.db', data: Buffer.from('new users') },
      { name: 'only-new.db', data: Buffer.from('new') },
    ]);
    await swap.swapIn();
    await swap.commit();
    expect(await contents(d)).toEqual({ 'vault.json': 'new vault', 'users.db': 'new users', 'only-new.db': 'new', 'keyward.config.json': 'config', 'installation.json': 'this machine' });
    expect((await readdir(d)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('is undone by recoverRestore when cut short after the swap, before the commit', async () => {
    const d = await dataDir(OLD);
    const swap = await DataSwap.stage(d, [{ name: 'vault.json', data: Buffer.from('new vault') }, { name: 'only-new.db', data: Buffer.from('new') }]);
    await swap.swapIn();
    expect(await recoverRestore(d)).toBe(true);
    expect(await contents(d)).toEqual(OLD);
    expect((await readdir(d)).filter((n) => n.startsWith('.') || n === RESTORE_JOURNAL)).toEqual([]);
  });

  it('removes a staging folder left without a journal, touching no data', async () => {
    const d = await dataDir(OLD);
    await DataSwap.stage(d, [{ name: 'vault.json', data: Buffer.from('new vault') }]);
    expect(await recoverRestore(d)).toBe(false);
    expect(await contents(d)).toEqual(OLD);
    expect(await readdir(d)).toEqual(expect.not.arrayContaining([expect.stringMatching(/^\.restore/)]));
  });

  it('takes only plain names of installation data', async () => {
    expect(dataFileNameProblem('users.db')).toBeUndefined();
    for (const bad of ['../x', '/etc/passwd', 'a/b', '.hidden', 'keyward.lock', 'installation.json', 'upgrade-backups', 'outbox', '']) {
      expect(dataFileNameProblem(bad), bad).toBeDefined();
    }
    const d = await dataDir(OLD);
    await expect(DataSwap.stage(d, [{ name: '../x', data: Buffer.from('x') }])).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
    expect(await listDataFiles(d)).toEqual(['only-old.db', 'users.db', 'vault.json']);
  });
});
