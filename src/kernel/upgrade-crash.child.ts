/**
 * Run by upgrade.test.ts as its own process: unlocks a version-1 notes data dir with the version-3
 * notes plugin (upgrade.testkit.ts) and kills itself with SIGKILL — no cleanup, no finally blocks —
 * at `killAt`: `migrating` (in the notes migration to v3, before the commit point), `renaming`
 * (after the first staged file replaced its original) or `finishing` (the upgrade logged, just
 * before upgrade.json is deleted).
 * Usage: node --import tsx upgrade-crash.child.ts <dataDir> <killAt>
 */
import { promises as fs } from 'node:fs';
import { Kernel } from './kernel.js';
import { TEST_PASSPHRASE } from './testing.js';
import { notesPlugin } from './upgrade.testkit.js';
import { UPGRADE_MARKER } from './upgrade.js';

const [dataDir, killAt] = process.argv.slice(2) as [string, string];
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('not killed');
};
if (killAt === 'renaming') {
  const rename = fs.rename;
  fs.rename = (async (from: string, to: string) => {
    await rename(from, to);
    if (from.endsWith('.upgrade')) die();
  }) as typeof fs.rename;
}
if (killAt === 'finishing') {
  const rm = fs.rm;
  fs.rm = (async (file: string, opts?: Parameters<typeof fs.rm>[1]) => {
    if (file.endsWith(UPGRADE_MARKER)) die();
    return rm(file, opts);
  }) as typeof fs.rm;
}
const plugin = notesPlugin(3, (m, name, v) => (killAt === 'migrating' && name === 'notes' && v === 3 ? (doc) => (doc._id === 'n3' ? die() : m(doc)) : m));
const kernel = await Kernel.create({ dataDir, plugins: [plugin] });
await kernel.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
process.stdout.write('unlocked without being killed\n');
await kernel.stop();
