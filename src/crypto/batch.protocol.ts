/** Messages between {@link issueKeySets} (./batch.ts) and its worker (./batch.worker.ts). */

/** A key set packed for transfer: SSK (32) || PVT (65) || RSK (257), the contract lengths. */
export const PACKED = { ssk: 0, pvt: 32, rsk: 97, bytes: 32 + 65 + 257 } as const;

export type ToWorker = { type: 'chunk'; start: number; identities: Uint8Array[] } | { type: 'close' };

export type FromWorker =
  | { type: 'done'; start: number; count: number; packed: Uint8Array }
  | { type: 'error'; code?: string; field?: string; message: string };
