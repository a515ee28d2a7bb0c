/** Destructive commands: refused without --yes when no one can be asked, run with it. In-process, to add such a command. */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestKernel, definePlugin } from '../kernel/index.js';
import { builtinPlugins } from '../../plugins/index.js';
import { main } from './main.js';
import type { CliIo } from './prompt.js';

let wiped = 0;
const wiper = definePlugin({
  id: 'wiper',
  activate(ctx) {
    ctx.commands.register({ id: 'wiper.wipe', title: 'Wipe everything', destructive: true, handler: () => ({ wiped: ++wiped }) });
  },
});
const plugins = [...builtinPlugins, wiper];

/** Streams that are not terminals, capturing what is written. */
function captureIo(env: NodeJS.ProcessEnv): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (d) => (chunks.out += d));
  stderr.on('data', (d) => (chunks.err += d));
  return {
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    stdout,
    stderr: stderr as unknown as NodeJS.WriteStream,
    env,
    out: () => chunks.out,
    err: () => chunks.err,
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('destructive commands in the CLI', () => {
  it('refuses with exit 2 when there is no terminal and no --yes, and runs with --yes', async () => {
    const t = await createTestKernel({ plugins });
    cleanups.push(t.cleanup);
    await t.kernel.stop();
    const env = { KEYWARD_PASSPHRASE: t.passphrase };

    const refused = captureIo(env);
    expect(await main(['--data-dir', t.dataDir, 'run', 'wiper.wipe'], refused, plugins)).toBe(2);
    expect(refused.err()).toMatch(/wiper\.wipe \(Wipe everything\) cannot be undone: add --yes/);
    expect(wiped).toBe(0);

    const confirmed = captureIo(env);
    expect(await main(['--data-dir', t.dataDir, 'run', 'wiper.wipe', '--yes', '--json'], confirmed, plugins)).toBe(0);
    expect(JSON.parse(confirmed.out())).toEqual({ wiped: 1 });
    expect(wiped).toBe(1);

    // A non-destructive command needs no confirmation.
    const plain = captureIo(env);
    expect(await main(['--data-dir', t.dataDir, 'run', 'settings.get'], plain, plugins)).toBe(0);
    expect(plain.out()).toContain('secretSet: true');
  });
});
