/**
 * Users at scale (issue 4 targets on the 2-core reference machine): import 10,000 users from the
 * manual's TSV with keys for two months each (20,000 key sets) ≤ 30 s; list shown ≤ 1 s.
 *
 * Printed (one JSON object per line, as bench/run.ts expects):
 * - users_import_10000: wall time of `users.import`, split into checking the file, issuing the keys
 *   (worker pool, every key checked) and storing (the journaled write of keys and users);
 * - users_list_10000: the `users.list` command (what the Users view fetches), through the command bus;
 * - users_add_at_10000: one `users.add` with 10,000 users stored (journal copies of the big files included);
 * - users_reopen_10000: unlocking a data dir with 10,000 users (loading and decrypting the collections);
 * - users_delete_10000: deleting them all with their keys, one event-log record each.
 * The browser's render of the list is measured beside this by the UI bench, which can seed its data
 * dir with {@link seedUsers}.
 */
import { availableParallelism } from 'node:os';
import { Kernel, createTestKernel, type Kernel as KernelType } from '../src/kernel/index.js';
import { builtinPlugins } from '../plugins/index.js';

const N = 10_000;

function emit(op: string, totalMs: number, n: number, extra: Record<string, number> = {}): void {
  console.log(JSON.stringify({ op, ms_per_op: Number((totalMs / n).toFixed(4)), n, ...extra }));
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

/** The manual's TSV for `n` users with distinct numbers. */
export function userFile(n: number): string {
  return Array.from({ length: n }, (_, i) => `First${i}\tLast${i}\t+4670${String(i).padStart(7, '0')}\tBench user ${i}\n`).join('');
}

/** Import `n` users into a ready kernel; returns the phase timings in ms. */
export async function seedUsers(
  kernel: KernelType,
  n: number,
): Promise<{ validate: number; keys: number; store: number; total: number; cpu: number }> {
  const contentBase64 = Buffer.from(userFile(n)).toString('base64');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let keysStart = t0;
  let storeStart = t0;
  await kernel.commands.execute('users.import', { fileName: 'bench.txt', contentBase64 }, {
    actor: 'bench',
    onProgress: (p) => {
      if (p.message === 'Generating keys' && p.done === 0) keysStart = performance.now();
      if (p.message === 'Storing keys') storeStart = performance.now();
    },
  });
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return { validate: keysStart - t0, keys: storeStart - keysStart, store: end - storeStart, total: end - t0, cpu: (cpu.user + cpu.system) / 1000 };
}

export default async function run(): Promise<void> {
  const t = await createTestKernel({ plugins: builtinPlugins });
  try {
    const phases = await seedUsers(t.kernel, N);
    emit('users_import_10000', phases.total, N, {
      total_s: seconds(phases.total),
      check_s: seconds(phases.validate),
      keys_s: seconds(phases.keys),
      store_s: seconds(phases.store),
      // CPU of this process and its worker threads: on a busy shared machine, cpu_s / workers is
      // what the wall time would be with the cores to ourselves.
      cpu_s: seconds(phases.cpu),
      workers: availableParallelism(),
    });

    const l0 = performance.now();
    const list = (await t.kernel.commands.execute('users.list')) as { total: number };
    const listMs = performance.now() - l0;
    if (list.total !== N) throw new Error(`users.list returned ${list.total} users, expected ${N}`);
    emit('users_list_10000', listMs, 1, { total_s: seconds(listMs) });

    const a0 = performance.now();
    await t.kernel.commands.execute('users.add', { firstName: 'One', lastName: 'More', mobile: '+46799999999' }, { actor: 'bench' });
    const addMs = performance.now() - a0;
    emit('users_add_at_10000', addMs, 1, { total_s: seconds(addMs) });

    await t.kernel.stop();
    const r0 = performance.now();
    const reopened = await Kernel.create({ dataDir: t.dataDir, plugins: builtinPlugins });
    await reopened.commands.execute('kernel.unlock', { passphrase: t.passphrase });
    const reopenMs = performance.now() - r0;
    emit('users_reopen_10000', reopenMs, 1, { total_s: seconds(reopenMs) });
    t.kernel = reopened;

    const all = ((await reopened.commands.execute('users.list')) as { users: { mobile: string }[] }).users.map((u) => u.mobile);
    const d0 = performance.now();
    await reopened.commands.execute('users.delete', { mobiles: all }, { actor: 'bench' });
    const deleteMs = performance.now() - d0;
    emit('users_delete_10000', deleteMs, all.length, { total_s: seconds(deleteMs) });
  } finally {
    await t.cleanup();
  }
}
