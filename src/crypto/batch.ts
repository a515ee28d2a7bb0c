/**
 * Batch issuing: key sets for many identities spread over worker threads, with progress,
 * cancellation, and every key checked (see ./keyset.ts) before the batch resolves.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { zeroise } from './bytes.js';
import { decodePoint, decodeScalar } from './p256.js';
import { CryptoError, type CryptoErrorCode } from './errors.js';
import type { KeySet, MasterSecrets } from './keyset.js';
import { PACKED, type FromWorker, type ToWorker } from './batch.protocol.js';

export interface IssueKeySetsOptions {
  /** Worker threads to use; default one per core (os.availableParallelism()). */
  workers?: number;
  /** Called after each finished chunk with the number of identities done so far. */
  onProgress?(done: number, total: number): void;
  /** Aborting terminates the workers and rejects with CryptoError 'E_CANCELLED'. */
  signal?: AbortSignal;
}

/** Identities per message: small enough for smooth progress and load balance, big enough to amortise messaging. */
const MAX_CHUNK = 50;
const CHUNKS_PER_WORKER = 8;

/**
 * Under tsx or vitest this module is TypeScript, and so is its worker. Node 20 ignores a
 * loader given in a worker's execArgv ('--import tsx' still fails with "Unknown file
 * extension .ts"), so the worker starts from a line of JS that registers tsx, then imports it.
 */
function workerEntry(): { filename: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { filename: new URL('./batch.worker.js', import.meta.url), eval: false };
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const worker = JSON.stringify(new URL('./batch.worker.ts', import.meta.url).href);
  return { filename: `import(${tsx}).then((tsx) => { tsx.register(); return import(${worker}); });`, eval: true };
}

function cancelled(): CryptoError {
  return new CryptoError('E_CANCELLED', 'key issuing was cancelled');
}

function workerError(msg: Extract<FromWorker, { type: 'error' }>): Error {
  if (!msg.code) return new Error(msg.message);
  const prefix = msg.field ? `${msg.field}: ` : '';
  const text = msg.message.startsWith(prefix) ? msg.message.slice(prefix.length) : msg.message;
  return new CryptoError(msg.code as CryptoErrorCode, text, msg.field);
}

/**
 * Issue ECCSI SSK/PVT and SAKKE RSK for every identity, in order, over worker threads.
 * Each key is checked before it is returned ([a+z]RSK == P, RFC 6507 §5.1.2); a failed check
 * rejects the whole batch with 'E_INVALID_KEY' naming the identity's index. The master
 * secrets reach each worker as a transferred copy and are zeroised there when it finishes.
 */
export async function issueKeySets(
  master: MasterSecrets,
  identities: Uint8Array[],
  opts: IssueKeySetsOptions = {},
): Promise<KeySet[]> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw cancelled();
  decodeScalar(master.ksak, 'KSAK');
  decodePoint(master.kpak, 'KPAK');
  const total = identities.length;
  if (total === 0) return [];
  const workerCount = opts.workers ?? availableParallelism();
  if (!Number.isInteger(workerCount) || workerCount < 1)
    throw new CryptoError('E_RANGE', 'must be a whole number of at least 1', 'workers');

  const chunk = Math.max(1, Math.min(MAX_CHUNK, Math.ceil(total / (workerCount * CHUNKS_PER_WORKER))));
  const results: KeySet[] = new Array(total);
  const entry = workerEntry();
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let settled = false;

  return new Promise<KeySet[]>((resolve, reject) => {
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      for (const set of results) if (set) zeroise(set.ssk, set.rsk);
      reject(err);
    };
    const onAbort = () => fail(cancelled());
    signal?.addEventListener('abort', onAbort, { once: true });

    const feed = (w: Worker): boolean => {
      if (next >= total) return false;
      const msg: ToWorker = { type: 'chunk', start: next, identities: identities.slice(next, next + chunk) };
      next += msg.identities.length;
      w.postMessage(msg);
      return true;
    };

    const finish = () => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // 'close' lets each worker zeroise its copy of the master secrets and exit by itself.
      for (const w of workers) w.postMessage({ type: 'close' } satisfies ToWorker);
      resolve(results);
    };

    const onMessage = (w: Worker, msg: FromWorker) => {
      if (settled) return;
      if (msg.type === 'error') return fail(workerError(msg));
      for (let i = 0; i < msg.count; i++) {
        const at = i * PACKED.bytes;
        results[msg.start + i] = {
          identity: identities[msg.start + i],
          ssk: msg.packed.slice(at + PACKED.ssk, at + PACKED.pvt),
          pvt: msg.packed.slice(at + PACKED.pvt, at + PACKED.rsk),
          rsk: msg.packed.slice(at + PACKED.rsk, at + PACKED.bytes),
        };
      }
      zeroise(msg.packed);
      done += msg.count;
      try {
        onProgress?.(done, total);
      } catch (e) {
        return fail(e instanceof Error ? e : new Error(String(e)));
      }
      if (done === total) finish();
      else feed(w);
    };

    const count = Math.min(workerCount, Math.ceil(total / chunk));
    for (let i = 0; i < count && !settled; i++) {
      const secrets: MasterSecrets = {
        ksak: Uint8Array.from(master.ksak),
        kpak: Uint8Array.from(master.kpak),
        z: Uint8Array.from(master.z),
      };
      const w = new Worker(entry.filename, {
        eval: entry.eval,
        workerData: secrets,
        transferList: [secrets.ksak.buffer as ArrayBuffer, secrets.z.buffer as ArrayBuffer],
      });
      workers.push(w);
      w.on('message', (msg: FromWorker) => onMessage(w, msg));
      // Issuing errors are caught inside the worker; what escapes is a load failure (no key material).
      w.on('error', (err) => fail(new Error(`a key issuing worker crashed: ${err.message}`)));
      w.on('exit', (code) => {
        if (!settled && code !== 0) fail(new Error(`a key issuing worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}
