import { describe, expect, it } from 'vitest';
import { bytesToHex } from './bytes.js';
import { issueKeySets } from './batch.js';
import { eccsiSign, eccsiVerify, generateEccsiMasterKeys, validateSsk } from './eccsi.js';
import { CryptoError } from './errors.js';
import { Period, userIdentity } from './identity.js';
import { issueKeySet } from './keyset.js';
import { generateSakkeMasterKeys, rskMatches, sakkeDecapsulate, sakkeEncapsulate, validateRsk } from './sakke.js';

const eccsi = generateEccsiMasterKeys();
const sakke = generateSakkeMasterKeys();
const master = { ksak: eccsi.ksak, kpak: eccsi.kpak, z: sakke.z };
const period = Period.parse('2026-12');
const ids = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => userIdentity(period, `+4670${String(from + i).padStart(7, '0')}`));

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof CryptoError ? `${e.code}${e.field ? ' ' + e.field : ''}` : `not a CryptoError: ${e}`;
  }
  return 'resolved';
}

function expectValid(sets: Awaited<ReturnType<typeof issueKeySets>>, identities: Uint8Array[]) {
  expect(sets.map((s) => bytesToHex(s.identity))).toEqual(identities.map(bytesToHex));
  for (const s of sets) {
    expect([s.ssk.length, s.pvt.length, s.rsk.length]).toEqual([32, 65, 257]);
    expect(validateSsk(master.kpak, s.identity, s.ssk, s.pvt)).toBe(true);
    expect(rskMatches(master.z, s.identity, s.rsk)).toBe(true);
  }
}

describe('issueKeySets', () => {
  it('issues valid key sets in identity order with progress, on 2 workers', async () => {
    const identities = ids(12);
    const progress: [number, number][] = [];
    const sets = await issueKeySets(master, identities, { workers: 2, onProgress: (d, t) => progress.push([d, t]) });
    expectValid(sets, identities);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([12, 12]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0]);
    // The keys work end to end: RFC 6508 §6.1.2 pairing check, a signature, an SSV round trip.
    const s = sets[5];
    expect(validateRsk(sakke.Z, s.identity, s.rsk)).toBe(true);
    const msg = new TextEncoder().encode('hello');
    expect(eccsiVerify(msg, eccsiSign(msg, s.identity, s.ssk, s.pvt, master.kpak), s.identity, master.kpak)).toBe(true);
    const ssv = new Uint8Array(16).fill(7);
    const { R, H } = sakkeEncapsulate(ssv, sakke.Z, s.identity);
    expect(bytesToHex(sakkeDecapsulate(R, H, s.identity, s.rsk, sakke.Z))).toBe(bytesToHex(ssv));
  });

  it('issues valid key sets on 1 worker, and the same checks as the single-identity path', async () => {
    const identities = ids(3, 100);
    expectValid(await issueKeySets(master, identities, { workers: 1 }), identities);
    expectValid([issueKeySet(master, identities[0])], identities.slice(0, 1));
  });

  it('leaves the caller’s master secrets intact (workers get transferred copies)', async () => {
    const before = [master.ksak, master.kpak, master.z].map(bytesToHex);
    await issueKeySets(master, ids(2, 200), { workers: 2 });
    expect([master.ksak, master.kpak, master.z].map(bytesToHex)).toEqual(before);
  });

  it('cancels: rejects with E_CANCELLED before finishing', async () => {
    const ac = new AbortController();
    let last = 0;
    const total = 400;
    const result = issueKeySets(master, ids(total, 1000), {
      workers: 2,
      signal: ac.signal,
      onProgress: (done) => {
        last = done;
        ac.abort();
      },
    });
    expect(await rejection(result)).toBe('E_CANCELLED');
    expect(last).toBeLessThan(total);
    // The workers are gone: this process (worker threads included) stays idle afterwards,
    // where two live workers would burn about a second of CPU in this half second.
    await new Promise((r) => setTimeout(r, 100));
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 500));
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(200);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await rejection(issueKeySets(master, ids(2), { signal: ac.signal }))).toBe('E_CANCELLED');
  });

  it('an empty batch resolves to nothing without workers', async () => {
    expect(await issueKeySets(master, [])).toEqual([]);
  });

  it('reports malformed master keys and bad worker counts by field', async () => {
    expect(await rejection(issueKeySets({ ...master, ksak: master.ksak.subarray(1) }, ids(1)))).toBe('E_LENGTH KSAK');
    expect(await rejection(issueKeySets(master, ids(1), { workers: 0 }))).toBe('E_RANGE workers');
    // z is checked inside the worker; its CryptoError crosses back with code and field.
    expect(await rejection(issueKeySets({ ...master, z: master.z.subarray(1) }, ids(1), { workers: 1 }))).toBe(
      'E_LENGTH z',
    );
  });

  it('rejects the whole batch when a key fails its check (KPAK not matching KSAK)', async () => {
    const wrong = { ...master, kpak: generateEccsiMasterKeys().kpak };
    expect(await rejection(issueKeySets(wrong, ids(3), { workers: 1 }))).toBe('E_INVALID_KEY identity #0');
  });
});
