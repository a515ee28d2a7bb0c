/**
 * Run by restore-crash.test.ts as its own process: unlocks the data dir and restores the backup,
 * killing itself with SIGKILL — no cleanup, no finally blocks — part-way through the swap:
 * `journal` as soon as the restore journal exists (the old data is being moved aside), `reopen`
 * when the kernel takes the data dir lock again to open the restored data (before the commit).
 * Usage: node --import tsx restore-crash.child.ts <dataDir> <backup file> <backup passphrase> <journal|reopen>
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kernel, TEST_PASSPHRASE } from '../../src/kernel/index.js';
import { builtinPlugins } from '../index.js';

const [dataDir, file, backupPassphrase, killAt] = process.argv.slice(2) as [string, string, string, 'journal' | 'reopen'];
const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
await kernel.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
let swapping = false;
fs.watch(dataDir, () => {
  const journal = fs.existsSync(path.join(dataDir, 'restore.journal.json'));
  if (killAt === 'journal' && journal) process.kill(process.pid, 'SIGKILL');
  // The lock is held while files move, released, then taken again to open the restored data.
  const locked = fs.existsSync(path.join(dataDir, 'keyward.lock'));
  if (journal && !locked) swapping = true;
  if (killAt === 'reopen' && swapping && journal && locked) process.kill(process.pid, 'SIGKILL');
});
await kernel.commands.execute('backup.restore', {
  fileName: path.basename(file),
  contentBase64: fs.readFileSync(file).toString('base64'),
  backupPassphrase,
  passphrase: TEST_PASSPHRASE,
});
process.stdout.write('restore finished without being killed\n');
await kernel.stop();
