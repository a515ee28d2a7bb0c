/**
 * The monthly update at scale (issue 8 targets on the 2-core reference machine): a 10,000-user
 * domain generates its update file ≤ 15 s when next month's keys must be made (10,000 key sets)
 * and ≤ 3 s when every key exists.
 *
 * Printed (one JSON object per line, as bench/run.ts expects):
 * - updates_generate_new_keys_10000: `updates.generate` for next month, whose following month has
 *   no keys yet: issuing (worker pool, every key checked), the journaled store, then the file;
 * - updates_generate_existing_10000: `updates.generate` for this month, every key reused;
 * each with the phases (keys, entries) and the file size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Period } from '../src/crypto/index.js';
import { createTestKernel, type Kernel } from '../src/kernel/index.js';
import { builtinPlugins } from '../plugins/index.js';
import type { GenerateResult } from '../plugins/updates/tokens.js';
import { seedUsers } from './users.bench.js';

const N = 10_000;
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

async function timed(kernel: Kernel, month: Period, out: string): Promise<{ ms: number; keysMs: number; cpuMs: number; r: GenerateResult }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let entriesAt = t0;
  const r = (await kernel.commands.execute('updates.generate', { month: month.toString(), out }, {
    actor: 'bench',
    onProgress: (p) => {
      if (p.message === 'Writing entries' && entriesAt === t0) entriesAt = performance.now();
    },
  })) as unknown as GenerateResult;
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, keysMs: entriesAt - t0, cpuMs: (cpu.user + cpu.system) / 1000, r };
}

function emit(op: string, t: { ms: number; keysMs: number; cpuMs: number; r: GenerateResult }): void {
  console.log(JSON.stringify({
    op,
    ms_per_op: Number(t.ms.toFixed(1)),
    n: 1,
    total_s: seconds(t.ms),
    keys_s: seconds(t.keysMs),
    entries_and_file_s: seconds(t.ms - t.keysMs),
    // CPU of this process and its worker threads: what the run costs whatever else the shared
    // machine is doing (key issuing spreads it over the workers; the entries run on one thread).
    cpu_s: seconds(t.cpuMs),
    key_sets_made: t.r.keysMade,
    endpoints: t.r.endpoints,
    file_mb: Number((t.r.bytes / 1e6).toFixed(1)),
    workers: availableParallelism(),
  }));
}

export default async function run(): Promise<void> {
  const t = await createTestKernel({ plugins: builtinPlugins });
  const out = await mkdtemp(path.join(tmpdir(), 'keyward-bench-updates-'));
  try {
    await seedUsers(t.kernel, N); // keys for this month and the next
    const now = Period.of(new Date());
    emit(`updates_generate_new_keys_${N}`, await timed(t.kernel, now.next(), out));
    emit(`updates_generate_existing_${N}`, await timed(t.kernel, now, out));
  } finally {
    await t.cleanup();
    await rm(out, { recursive: true, force: true });
  }
}
