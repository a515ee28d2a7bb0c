import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from './data-lock.js';
import { Kernel } from './kernel.js';
import { TEST_PASSPHRASE, createTestKernel, type TestKernel } from './testing.js';

let first: TestKernel;
beforeEach(async () => {
  first = await createTestKernel({ plugins: [] });
});
afterEach(() => first.cleanup());

const second = (lockWaitMs: number) => Kernel.create({ dataDir: first.dataDir, plugins: [], lockWaitMs });

describe('the data dir lock', () => {
  it('lets one process at a time open the data: a second is refused with E_BUSY naming the holder', async () => {
    expect(readFileSync(join(first.dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    const other = await second(200);
    await expect(other.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE })).rejects.toMatchObject({
      code: 'E_BUSY',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    expect(other.state).toBe('locked');
  });

  it('waits for the holder to let go, and is released on stop', async () => {
    const other = await second(10_000);
    const unlocking = other.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
    await new Promise((r) => setTimeout(r, 300));
    expect(other.state).toBe('locked');
    await first.kernel.stop();
    await unlocking;
    expect(other.state).toBe('ready');
    await other.stop();
    expect(existsSync(join(first.dataDir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock left by a process that is gone', async () => {
    await first.kernel.stop();
    const gone = spawn(process.execPath, ['-e', '']);
    const pid = gone.pid!;
    await new Promise((r) => gone.on('exit', r));
    writeFileSync(join(first.dataDir, LOCK_FILE), `${pid}\n`);
    const other = await second(0);
    await other.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
    expect(readFileSync(join(first.dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await other.stop();
  });
});
