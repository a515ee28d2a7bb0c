/**
 * Run by import-crash.test.ts as its own process: unlocks the data dir, imports the file and kills
 * itself with SIGKILL — no cleanup, no finally blocks — at the first progress report whose message
 * is `killAt` ("Generating keys" with some keys done, or "Storing users", inside the commit).
 * Usage: node --import tsx import-crash.child.ts <dataDir> <file.txt> <killAt>
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kernel, TEST_PASSPHRASE } from '../../src/kernel/index.js';
import { builtinPlugins } from '../index.js';

const [dataDir, file, killAt] = process.argv.slice(2) as [string, string, string];
const kernel = await Kernel.create({ dataDir, plugins: builtinPlugins });
await kernel.commands.execute('kernel.unlock', { passphrase: TEST_PASSPHRASE });
await kernel.commands.execute(
  'users.import',
  { fileName: path.basename(file), contentBase64: fs.readFileSync(file).toString('base64') },
  {
    onProgress: (p) => {
      if (p.message === killAt && (p.message !== 'Generating keys' || p.done > 0)) process.kill(process.pid, 'SIGKILL');
    },
  },
);
process.stdout.write('import finished without being killed\n');
await kernel.stop();
