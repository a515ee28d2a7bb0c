/**
 * Worker thread of {@link issueKeySetChunk} (./batch.ts). Receives the master secrets once as
 * transferred buffers (workerData), then chunks of identities; answers each chunk with its
 * checked key sets packed into one transferred buffer, and zeroises its secrets on 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { zeroise } from './bytes.js';
import { CryptoError } from './errors.js';
import { PACKED, type FromWorker, type ToWorker } from './batch.protocol.js';
import { issueKeySetChunk, type MasterSecrets } from './keyset.js';
import { precomputeBaseTable } from './sakke-fixed-base.js';

const master = workerData as MasterSecrets;
const port = parentPort!;
// Build P's fixed-base table while the first chunk is on its way.
precomputeBaseTable();

function issueChunk(start: number, identities: Uint8Array[]): Uint8Array {
  const packed = new Uint8Array(identities.length * PACKED.bytes);
  issueKeySetChunk(master, identities, start).forEach((set, i) => {
    const at = i * PACKED.bytes;
    packed.set(set.ssk, at + PACKED.ssk);
    packed.set(set.pvt, at + PACKED.pvt);
    packed.set(set.rsk, at + PACKED.rsk);
    zeroise(set.ssk, set.rsk);
  });
  return packed;
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'close') {
    zeroise(master.ksak, master.z);
    port.close();
    return;
  }
  try {
    const packed = issueChunk(msg.start, msg.identities);
    const reply: FromWorker = { type: 'done', start: msg.start, count: msg.identities.length, packed };
    port.postMessage(reply, [packed.buffer as ArrayBuffer]);
  } catch (e) {
    // Our CryptoErrors name fields and checks, never values; anything else is reported generically.
    const reply: FromWorker =
      e instanceof CryptoError
        ? { type: 'error', code: e.code, field: e.field, message: e.message }
        : { type: 'error', message: 'key issuing failed in a batch worker' };
    port.postMessage(reply);
  }
});
