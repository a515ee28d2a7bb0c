/**
 * The monthly update at scale (issue 8 targets on the 2-core reference machine): a 10,000-user
 * domain generates its update file ≤ 15 s when next month's keys must be made (10,000 key sets)
 * and ≤ 3 s when every key exists.
 *
 * Printed (one JSON object per line, as bench/run.ts expects):
 * - updates_generate_new_keys_10000: `updates.generate` for next month, whose following month has
 *   no keys yet: issuing (worker pool, every key checked), the journaled store, then the file;
 * - updates_generate_existing_10000: `updates.generate` for this month, every key reused;
 * each with its phases (until the pool's first key set, issuing, storing, entries and file) and the file size.
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

interface Timing {
  ms: number;
  /** Until the first key set came back from the pool (checking, then starting the workers). */
  startMs: number;
  /** Issuing key sets (worker pool, every key checked). */
  issueMs: number;
  /** The journaled write of the new key sets. */
  storeMs: number;
  cpuMs: number;
  r: GenerateResult;
}

async function timed(kernel: Kernel, month: Period, out: string): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const at: Record<string, number> = {};
  const r = (await kernel.commands.execute('updates.generate', { month: month.toString(), out }, {
    actor: 'bench',
    onProgress: (p) => {
      const now = performance.now();
      if (p.message === 'Generating keys' && p.done > 0) at.firstKey ??= now;
      if (p.message === 'Generating keys' && p.done === p.total) at.issued ??= now;
      if (p.message === 'Storing keys') at.stored ??= now;
    },
  })) as unknown as GenerateResult;
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const startMs = (at.firstKey ?? t0) - t0;
  const issueMs = (at.issued ?? t0) - (at.firstKey ?? t0);
  const storeMs = (at.stored ?? t0) - (at.issued ?? t0);
  return { ms: end - t0, startMs, issueMs, storeMs, cpuMs: (cpu.user + cpu.system) / 1000, r };
}

function emit(op: string, t: Timing): void {
  console.log(JSON.stringify({
    op,
    ms_per_op: Number(t.ms.toFixed(1)),
    n: 1,
    total_s: seconds(t.ms),
    until_first_key_s: seconds(t.startMs),
    issue_s: seconds(t.issueMs),
    store_s: seconds(t.storeMs),
    entries_and_file_s: seconds(t.ms - t.startMs - t.issueMs - t.storeMs),
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
