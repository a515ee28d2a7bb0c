/**
 * Initiation letters to PDF (issue 5 target: ≥ 10 letters per second for a batch of 100).
 * A data dir with 100 imported users; `letters.pdf` makes one PDF per user: keys read from the
 * vault, QR payload and SVG symbol, the layout rendered, Chromium started once and printing
 * several pages at a time. Also the combined form (one PDF of 100 pages).
 *
 * Printed: letters_pdf_100 (one file per user) and letters_pdf_100_combined, each with
 * `letters_per_s`; the time includes starting and closing the browser.
 */
import { builtinPlugins } from '../plugins/index.js';
import { createTestKernel } from '../src/kernel/index.js';
import { seedUsers, userFile } from './users.bench.js';

const N = 100;

export default async function run(): Promise<void> {
  const t = await createTestKernel({ plugins: builtinPlugins });
  try {
    await seedUsers(t.kernel, N);
    const mobiles = userFile(N)
      .trim()
      .split('\n')
      .map((line) => line.split('\t')[2]!);
    // Warm the page cache for Chromium's binary and fonts, as a second batch of the day would find it.
    await t.kernel.commands.execute('letters.pdf', { mobiles: mobiles.slice(0, 1) }, { actor: 'bench' });
    for (const combined of [false, true]) {
      const t0 = performance.now();
      const r = (await t.kernel.commands.execute('letters.pdf', { mobiles, combined }, { actor: 'bench' })) as { files: unknown[] };
      const ms = performance.now() - t0;
      if (r.files.length !== (combined ? 1 : N)) throw new Error(`expected ${combined ? 1 : N} PDF files, got ${r.files.length}`);
      console.log(
        JSON.stringify({ op: `letters_pdf_${N}${combined ? '_combined' : ''}`, ms_per_op: Number((ms / N).toFixed(1)), n: N, letters_per_s: Number(((N * 1000) / ms).toFixed(1)) }),
      );
    }
  } finally {
    await t.cleanup();
  }
}
