import { token, type Collection } from '../../src/kernel/index.js';
import type { Period } from '../../src/crypto/index.js';

/**
 * One identity's keys for one month (RFC 6509 §3.2 identity, RFC 6507 SSK/PVT, RFC 6508 RSK).
 * Byte fields are owned by the caller, who zeroises `ssk` and `rsk` when done.
 */
export interface KeySetRecord {
  /** `tel:+<E.164>` for users, lines and gateways; `keyward:channel:<32 hex>` for channels. */
  uri: string;
  /** `YYYY-MM`. */
  period: string;
  /** Who the keys belong to, namespaced by the plugin that asked for them (`users:+46706764287`). */
  owner: string;
  /** The identity bytes "YYYY-MM\0<uri>\0". */
  identity: Uint8Array;
  /** ECCSI Secret Signing Key, 32 bytes. */
  ssk: Uint8Array;
  /** ECCSI Public Validation Token, uncompressed point, 65 bytes. */
  pvt: Uint8Array;
  /** SAKKE Receiver Secret Key, uncompressed point, 257 bytes. */
  rsk: Uint8Array;
}

/** Key sets for one owner's URI. */
export interface KeyRequest {
  uri: string;
  owner: string;
}

export interface IssueOptions {
  signal?: AbortSignal;
  /** Key sets done so far of the total to issue. */
  onProgress?(done: number, total: number): void;
}

/** A collection file of the caller that changes together with the keys (see {@link IKeys.atomically}). */
export interface AtomicCollection {
  /** The name given to `ctx.collections.open` (its file is `<dataDir>/<name>.db`). */
  name: string;
  store: Collection<any>;
}

/** Writes to the key store; only handed out inside {@link IKeys.atomically}. */
export interface KeyWriter {
  /**
   * Store issued key sets. Refuses (`E_KEYS_EXIST`) a (uri, period) that already has keys:
   * a month's keys are made once and never replaced.
   */
  put(sets: KeySetRecord[]): Promise<void>;
  /** Remove every key set of these owners (a deleted user); returns how many. */
  removeOwners(owners: string[]): Promise<number>;
  /** Remove every key set of these URIs (a removed additional line); returns how many. */
  removeUris(uris: string[]): Promise<number>;
}

/**
 * Monthly key sets of every identity the system serves (users, their lines, later gateways and
 * channels), kept in the vault-encrypted `keys` collection, one record per (uri, period).
 * Also the owner of all-or-nothing writes: see {@link IKeys.atomically}.
 */
export interface IKeys {
  /**
   * Issue key sets for every request and period that has none yet, over the worker pool
   * (src/crypto `issueKeySets`). Pairs that have keys are skipped — never regenerated; a pair
   * held by another owner is refused with `E_KEYS_EXIST`. Nothing is stored: pass the result to
   * `KeyWriter.put` inside {@link atomically}. Cancelling rejects with `E_CANCELLED`.
   */
  issue(requests: KeyRequest[], periods: Period[], opts?: IssueOptions): Promise<KeySetRecord[]>;
  /** The stored key set of `uri` for `period`, if any. */
  get(uri: string, period: Period): Promise<KeySetRecord | undefined>;
  /** Periods (`YYYY-MM`, ascending) that have keys for `uri`. */
  periods(uri: string): Promise<string[]>;
  /**
   * Run `write` so that its key changes and the changes to `collections` happen completely or
   * not at all, even if the process dies part-way (a journal undone at the next start). Writes
   * run one at a time. Do slow work (issuing keys) before, not inside.
   */
  atomically<T>(collections: AtomicCollection[], write: (keys: KeyWriter) => Promise<T>): Promise<T>;
}
export const IKeys = token<IKeys>('keys:IKeys');

/** The key URI of a phone number in E.164 form (RFC 6509 §3.2): `+46706764287` → `tel:+46706764287`. */
export function telUri(e164: string): string {
  return `tel:${e164}`;
}
