/**
 * The reference reader of a monthly update file (`updates.inspect`, `keyward update inspect`):
 * checks the CRS authentication, returns the CRS-visible part and, given an endpoint and its update
 * key, opens that entry and checks every key in it as a device should before use. Uses only
 * format.ts and src/crypto.
 */
import {
  CryptoError,
  Period,
  channelIdentity,
  decodeEccsiPoint,
  decodeSakkePoint,
  hexToBytes,
  userIdentity,
  validateRsk,
  validateSsk,
} from '../../src/crypto/index.js';
import { CommandError } from '../../src/kernel/index.js';
import { openEntry, readUpdateFile } from './format.js';
import type { CrsPart, EntryKeys, UpdateEntry } from './types.js';

/** Result of checking one key set: RFC 6507 §5.1.2 for SSK/PVT, RFC 6508 §6.1.2 for RSK against Z. */
export interface KeyCheck {
  uri: string;
  month: string;
  ssk: string;
  pvt: string;
  rsk: string;
  sskValid: boolean;
  rskValid: boolean;
}

export interface InspectedEntry {
  entry: UpdateEntry;
  /** Every identity's and channel's keys, each checked. */
  checks: KeyCheck[];
  /** True when every key checks and every point (KMS, peers) is on its curve and in its subgroup. */
  valid: boolean;
}

export interface InspectResult {
  /** Size in bytes. */
  bytes: number;
  crs: CrsPart;
  entry?: InspectedEntry;
}

/**
 * Inspect `file`. `endpoint`: `+46…`, `tel:+46…` or an engine's `tel:+8888;engine=<id>`; with it,
 * `updateKey` (16 bytes) opens the entry. Errors: `E_UPDATE_AUTH`, `E_UPDATE_FORMAT`,
 * `E_NOT_FOUND` (no such endpoint), `E_UPDATE_KEY` (the key does not open it).
 */
export function inspectUpdateFile(file: Uint8Array, crsSecret: string, opts: { endpoint?: string; updateKey?: Uint8Array } = {}): InspectResult {
  const { crs, entries } = readUpdateFile(file, crsSecret);
  const result: InspectResult = { bytes: file.length, crs };
  if (opts.endpoint === undefined) return result;
  const id = opts.endpoint.startsWith('+') ? `tel:${opts.endpoint}` : opts.endpoint;
  const index = crs.endpoints.findIndex((e) => e.id === id);
  if (index < 0) {
    const blocked = crs.blocked.some((b) => (b.kind === 'user' ? b.uri === id : `${b.gateway};engine=${b.engine}` === id));
    throw new CommandError('E_NOT_FOUND', `the update file has no entry for ${id}${blocked ? ' (its credential is blocked)' : ''}`, { field: 'uri' });
  }
  if (!opts.updateKey) throw new CommandError('E_INVALID_ARGS', 'give the endpoint’s update key to open its entry');
  const entry = openEntry(opts.updateKey, { account: crs.account, months: crs.months, endpoint: id }, entries[index]!);
  if (entry.endpoint !== id || entry.months?.join() !== crs.months.join()) throw new CommandError('E_UPDATE_FORMAT', 'the entry names another endpoint or other months', { field: 'entry' });
  return { ...result, entry: checkEntry(entry) };
}

/** Check every point and key of an opened entry (keys on the curve and in the subgroup; SSK and RSK equations). */
export function checkEntry(entry: UpdateEntry): InspectedEntry {
  const kpak = point(entry.kms.kpak, 'kms.kpak', 'eccsi');
  const Z = point(entry.kms.z, 'kms.z', 'sakke');
  const checks: KeyCheck[] = [];
  const check = (uri: string, keys: Record<string, EntryKeys>, identity: (p: Period) => Uint8Array) => {
    for (const month of entry.months) {
      const k = keys[month];
      if (!k) throw new CommandError('E_UPDATE_FORMAT', `${uri} has no keys for ${month}`, { field: 'keys' });
      const id = identity(Period.parse(month));
      const ssk = hex(k.ssk, `${uri} ${month} ssk`);
      const pvt = hex(k.pvt, `${uri} ${month} pvt`);
      const rsk = hex(k.rsk, `${uri} ${month} rsk`);
      checks.push({ uri, month, ssk: k.ssk, pvt: k.pvt, rsk: k.rsk, sskValid: guard(() => validateSsk(kpak, id, ssk, pvt)), rskValid: guard(() => validateRsk(Z, id, rsk)) });
      ssk.fill(0);
    }
  };
  for (const { uri, keys } of entry.identities) check(uri, keys, (p) => userIdentity(p, uri.replace(/^tel:/, '')));
  for (const c of entry.channels) check(`keyward:channel:${c.id}`, c.keys, (p) => channelIdentity(p, hexToBytes(c.id)));
  entry.peers.forEach((p, i) => {
    point(p.kpak, `peers[${i}].kpak`, 'eccsi');
    point(p.z, `peers[${i}].z`, 'sakke');
  });
  return { entry, checks, valid: checks.every((c) => c.sskValid && c.rskValid) };
}

/** A point decoded (on its curve; SAKKE points also of order q), or `E_UPDATE_KEYS` naming it. */
function point(text: string, field: string, curve: 'eccsi' | 'sakke'): Uint8Array {
  const bytes = hex(text, field);
  try {
    if (curve === 'eccsi') decodeEccsiPoint(bytes, field);
    else decodeSakkePoint(bytes, field);
  } catch (err) {
    throw new CommandError('E_UPDATE_KEYS', `${field} is not a valid point: ${(err as Error).message}`, { field });
  }
  return bytes;
}

function hex(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string' || !/^([0-9a-f]{2})+$/.test(text)) throw new CommandError('E_UPDATE_FORMAT', `${field} must be lower-case hex`, { field });
  return hexToBytes(text);
}

/** A malformed key fails its check rather than the whole inspection. */
function guard(fn: () => boolean): boolean {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CryptoError) return false;
    throw err;
  }
}
