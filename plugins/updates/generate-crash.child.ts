/**
 * Run by generate-crash.test.ts as its own process: unlocks the data dir, generates the update for
 * `month` into `out` and kills itself with SIGKILL — no cleanup, no finally blocks — at the first
 * progress report whose message is `killAt` ("Generating keys" with some keys done, or "Storing
 * keys", inside the journaled write after the keys were appended).
 * Usage: node --import tsx generate-crash.child.ts <dataDir> <out> <month> <killAt>
 */
import { Kernel, TEST_PASSPHRASE } from '../../src/kernel/index.js';
import { builtinPlugins } from '../index.js';

const [dataDir, out, month, killAt] = process.argv.slice(2) as [string, string, string, string];
const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
await kernel.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
await kernel.commands.execute('updates.generate', { out, month }, {
  onProgress: (p) => {
    if (p.message === killAt && p.done > 0) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('generation finished without being killed\n');
await kernel.stop();
