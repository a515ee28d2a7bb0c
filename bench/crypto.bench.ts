/**
 * Crypto core speed (issue 2 targets on the 2-core reference machine): rsk_issue ≤ 2.0 ms,
 * ssk_issue ≤ 0.2 ms, pairing ≤ 30 ms, keyset_batch_10000 ≤ 15 s wall. Single-core figures
 * run on this thread; the batch uses every core and includes every check it makes.
 * ssk_validate and rsk_matches are printed too: they are the batch's per-key checks.
 * rsk_validate_pairing is what a received RSK costs: sakke_point_decode (the RSK's checked
 * decoding, two square roots for the subgroup test) plus [a]P + Z plus the pairing. The
 * machine is shared, so the pairing and batch lines also give CPU time (all threads).
 */
import { availableParallelism } from 'node:os';
import { issueKeySets } from '../src/crypto/batch.js';
import { generateEccsiMasterKeys, issueSsk, validateSsk } from '../src/crypto/eccsi.js';
import { Period, userIdentity } from '../src/crypto/identity.js';
import { pairing } from '../src/crypto/pairing.js';
import { decodePoint } from '../src/crypto/sakke-curve.js';
import { precomputeBaseTable } from '../src/crypto/sakke-fixed-base.js';
import { generateSakkeMasterKeys, issueRsk, rskMatches, validateRsk } from '../src/crypto/sakke.js';

function emit(op: string, totalMs: number, n: number, extra: Record<string, number> = {}): void {
  console.log(JSON.stringify({ op, ms_per_op: Number((totalMs / n).toFixed(4)), n, ...extra }));
}

/** Runs f(i) for i < n after a short warm-up and returns the total milliseconds. */
function time(n: number, f: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(10, n); i++) f(n + i);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f(i);
  return performance.now() - t0;
}

/** As {@link time}, as emit's arguments, with the CPU milliseconds per operation as an extra. */
function timeWithCpu(n: number, f: (i: number) => unknown): [number, number, { cpu_ms_per_op: number }] {
  const c0 = process.cpuUsage();
  const ms = time(n, f);
  const cpu = process.cpuUsage(c0);
  // The warm-up runs are in the CPU figure too: min(10, n) more calls.
  const cpuMs = (cpu.user + cpu.system) / 1000 / (n + Math.min(10, n));
  return [ms, n, { cpu_ms_per_op: Number(cpuMs.toFixed(4)) }];
}

export default async function run(): Promise<void> {
  const period = Period.parse('2026-12');
  const ids = Array.from({ length: 10_000 }, (_, i) => userIdentity(period, `+4670${String(i).padStart(7, '0')}`));
  const eccsi = generateEccsiMasterKeys();
  const t0 = performance.now();
  precomputeBaseTable();
  const tableMs = performance.now() - t0;
  const sakke = generateSakkeMasterKeys();

  const rskN = 300;
  emit('rsk_issue', time(rskN, (i) => issueRsk(sakke.z, ids[i % ids.length])), rskN, {
    table_ms: Math.round(tableMs),
  });

  const sskN = 5000;
  const ssks = ids.slice(0, sskN).map((id) => ({ id, ...issueSsk(eccsi.ksak, eccsi.kpak, id) }));
  emit('ssk_issue', time(sskN, (i) => issueSsk(eccsi.ksak, eccsi.kpak, ids[i % ids.length])), sskN);
  const valN = 2000;
  emit('ssk_validate', time(valN, (i) => validateSsk(eccsi.kpak, ssks[i].id, ssks[i].ssk, ssks[i].pvt)), valN);

  const rsks = ids.slice(0, 300).map((id) => ({ id, rsk: issueRsk(sakke.z, id) }));
  emit('rsk_matches', time(300, (i) => rskMatches(sakke.z, rsks[i % 300].id, rsks[i % 300].rsk)), 300);

  const Z = decodePoint(sakke.Z, 'Z');
  const K = decodePoint(rsks[0].rsk, 'RSK');
  const pairN = 20;
  emit('pairing', ...timeWithCpu(pairN, () => pairing(Z, K)));
  emit(
    'rsk_validate_pairing',
    ...timeWithCpu(pairN, (i) => validateRsk(sakke.Z, rsks[i % 300].id, rsks[i % 300].rsk)),
  );
  emit('sakke_point_decode', ...timeWithCpu(100, (i) => decodePoint(rsks[i % 300].rsk, 'RSK')));

  // Honest batch figure: worker start-up (each builds its table), issuing and both checks.
  const master = { ksak: eccsi.ksak, kpak: eccsi.kpak, z: sakke.z };
  const c0 = process.cpuUsage(); // counts the worker threads too
  const b0 = performance.now();
  const sets = await issueKeySets(master, ids);
  const batchMs = performance.now() - b0;
  const cpu = process.cpuUsage(c0);
  if (sets.length !== ids.length) throw new Error('batch returned the wrong number of key sets');
  emit('keyset_batch_10000', batchMs, ids.length, {
    total_s: Number((batchMs / 1000).toFixed(2)),
    // CPU seconds over all threads: wall time on an otherwise idle machine is about cpu_s / workers.
    cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    workers: availableParallelism(),
  });
}
