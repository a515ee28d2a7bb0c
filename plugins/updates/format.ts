/**
 * The monthly update file (docs/formats.md, "Monthly update file"): reference encoder and reader
 * of the container, its CRS authentication and the per-endpoint entry encryption. Depends only on
 * node:crypto, so a CRS or client implementer can read it beside the documentation.
 *
 *   file   = "KWUPDATE" ‖ version 0x01 ‖ u32 crsLength ‖ crsPart (UTF-8 JSON)
 *            ‖ u32 entryCount ‖ entryCount × (u32 length ‖ nonce 12 ‖ ciphertext ‖ tag 16)
 *            ‖ mac 32
 *   mac    = HMAC-SHA-256(HKDF-SHA-256(UTF-8(CRS secret), salt UTF-8(account), "keyward update crs v1", 32),
 *                         every byte before the mac)
 *   entry  = AES-128-GCM(HKDF-SHA-256(update key, salt UTF-8(endpoint id), "keyward update entry v1", 16),
 *                        nonce, UTF-8 JSON, AAD "keyward-update-v1" NUL account NUL month1 NUL month2 NUL endpoint id)
 *
 * Entry i belongs to `crsPart.endpoints[i]`. Integers are big-endian.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CommandError } from '../../src/kernel/index.js';
import type { CrsPart, UpdateEntry } from './types.js';

export const UPDATE_MAGIC = 'KWUPDATE';
export const UPDATE_VERSION = 1;
export const MAC_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const MAGIC = new TextEncoder().encode(UPDATE_MAGIC);
const CRS_INFO = 'keyward update crs v1';
const ENTRY_INFO = 'keyward update entry v1';
const AAD_LABEL = 'keyward-update-v1';
const UPDATE_KEY_BYTES = 16;
const utf8 = new TextEncoder();

/** What binds an entry to its file: the account, the two months and the endpoint (the AAD). */
export interface EntryBinding {
  account: string;
  months: readonly string[];
  endpoint: string;
}

/**
 * HKDF-SHA-256 (RFC 5869) for outputs of at most one block (L ≤ 32): PRK = HMAC(salt, IKM),
 * OKM = HMAC(PRK, info ‖ 0x01)[0..L]. Written out because node's hkdfSync costs four times as
 * much per call, which counts with 10,000 entries.
 */
function hkdf32(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Buffer {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  const okm = createHmac('sha256', prk).update(info).update(Uint8Array.of(1)).digest();
  prk.fill(0);
  return okm.subarray(0, length);
}

/** The 32-byte key authenticating the file for the CRS. */
export function crsMacKey(crsSecret: string, account: string): Buffer {
  return hkdf32(utf8.encode(crsSecret), utf8.encode(account), CRS_INFO, 32);
}

/** The 16-byte AES key of one endpoint's entry. */
export function entryKey(updateKey: Uint8Array, endpoint: string): Buffer {
  if (updateKey.length !== UPDATE_KEY_BYTES) throw new CommandError('E_INVALID_ARGS', `the update key must be ${UPDATE_KEY_BYTES} bytes (32 hex digits)`);
  return hkdf32(updateKey, utf8.encode(endpoint), ENTRY_INFO, UPDATE_KEY_BYTES);
}

export function entryAad(b: EntryBinding): Buffer {
  return Buffer.from(utf8.encode([AAD_LABEL, b.account, ...b.months, b.endpoint].join('\0')));
}

/** nonce ‖ ciphertext ‖ tag of `entry` under `updateKey`. `nonce` is for reproducible examples only. */
export function sealEntry(updateKey: Uint8Array, b: EntryBinding, entry: UpdateEntry, nonce: Uint8Array = randomBytes(NONCE_BYTES)): Buffer {
  const key = entryKey(updateKey, b.endpoint);
  const plain = Buffer.from(JSON.stringify(entry), 'utf8');
  try {
    const cipher = createCipheriv('aes-128-gcm', key, nonce);
    cipher.setAAD(entryAad(b));
    return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  } finally {
    key.fill(0);
    plain.fill(0);
  }
}

/** The entry inside `sealed`; a wrong update key, another endpoint's entry or a changed byte is `E_UPDATE_KEY`. */
export function openEntry(updateKey: Uint8Array, b: EntryBinding, sealed: Uint8Array): UpdateEntry {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw formatError(`entry of ${b.endpoint} is ${sealed.length} bytes, too short`);
  const key = entryKey(updateKey, b.endpoint);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-128-gcm', key, sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(entryAad(b));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CommandError('E_UPDATE_KEY', `the entry of ${b.endpoint} does not open with this update key (wrong key, or the entry was changed)`);
  } finally {
    key.fill(0);
  }
  try {
    return JSON.parse(plain.toString('utf8')) as UpdateEntry;
  } catch {
    throw formatError(`the entry of ${b.endpoint} is not JSON`);
  } finally {
    plain.fill(0);
  }
}

/** The whole file: container, then the CRS MAC over everything before it. */
export function encodeUpdateFile(crs: CrsPart, entries: Uint8Array[], crsSecret: string): Buffer {
  if (entries.length !== crs.endpoints.length) throw new Error('one sealed entry per endpoint, in endpoint order');
  const head = Buffer.from(JSON.stringify(crs), 'utf8');
  const parts: Uint8Array[] = [MAGIC, Uint8Array.of(UPDATE_VERSION), u32(head.length), head, u32(entries.length)];
  for (const e of entries) parts.push(u32(e.length), e);
  const body = Buffer.concat(parts);
  const key = crsMacKey(crsSecret, crs.account);
  try {
    return Buffer.concat([body, createHmac('sha256', key).update(body).digest()]);
  } finally {
    key.fill(0);
  }
}

/** A file whose CRS authentication holds: its CRS-visible part and the sealed entries in endpoint order. */
export interface ReadUpdateFile {
  crs: CrsPart;
  entries: Buffer[];
}

/**
 * Check the CRS authentication first (nothing is parsed from an unauthenticated file except the
 * account the key is derived from), then parse strictly. `E_UPDATE_AUTH`: wrong secret or a
 * changed byte; `E_UPDATE_FORMAT`: authentic but malformed (names the field).
 */
export function readUpdateFile(bytes: Uint8Array, crsSecret: string): ReadUpdateFile {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minimum = MAGIC.length + 1 + 4 + 4 + MAC_BYTES;
  if (file.length < minimum || !file.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw formatError('not a Keyward update file (no "KWUPDATE" magic)');
  const body = file.subarray(0, file.length - MAC_BYTES);
  const crsLength = body.readUInt32BE(MAGIC.length + 1);
  const headStart = MAGIC.length + 1 + 4;
  if (headStart + crsLength > body.length) throw authError();
  const crs = parseCrsPart(body.subarray(headStart, headStart + crsLength), true);
  const key = crsMacKey(crsSecret, typeof crs?.account === 'string' ? crs.account : '');
  const mac = createHmac('sha256', key).update(body).digest();
  key.fill(0);
  if (!timingSafeEqual(mac, file.subarray(body.length))) throw authError();

  if (body[MAGIC.length] !== UPDATE_VERSION) throw formatError(`version ${body[MAGIC.length]} is not supported (this reader knows ${UPDATE_VERSION})`, 'version');
  const part = checkCrsPart(parseCrsPart(body.subarray(headStart, headStart + crsLength), false));
  let at = headStart + crsLength;
  const need = (n: number, field: string) => {
    if (at + n > body.length) throw formatError(`the file ends inside ${field}`, field);
  };
  need(4, 'entryCount');
  const count = body.readUInt32BE(at);
  at += 4;
  if (count !== part.endpoints.length) throw formatError(`${count} entries for ${part.endpoints.length} endpoints`, 'entryCount');
  const entries: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    need(4, `entries[${i}].length`);
    const length = body.readUInt32BE(at);
    at += 4;
    need(length, `entries[${i}]`);
    entries.push(body.subarray(at, at + length));
    at += length;
  }
  if (at !== body.length) throw formatError(`${body.length - at} bytes follow the last entry`, 'end');
  return { crs: part, entries };
}

function parseCrsPart(bytes: Buffer, lenient: boolean): CrsPart {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as CrsPart;
  } catch {
    if (lenient) return {} as CrsPart; // the MAC check fails next
    throw formatError('the CRS-visible part is not UTF-8 JSON', 'crsPart');
  }
}

function checkCrsPart(p: CrsPart): CrsPart {
  const bad = (field: string, why: string) => formatError(`${field} ${why}`, field);
  if (p?.format !== 'keyward-update' || p.version !== UPDATE_VERSION) throw bad('crsPart.format', 'must be "keyward-update" version 1');
  if (typeof p.account !== 'string') throw bad('crsPart.account', 'must be a string');
  if (!Array.isArray(p.months) || p.months.length !== 2 || !p.months.every((m) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m))) throw bad('crsPart.months', 'must be two months YYYY-MM');
  for (const name of ['endpoints', 'blocked', 'channels'] as const) if (!Array.isArray(p[name])) throw bad(`crsPart.${name}`, 'must be a list');
  p.endpoints.forEach((e, i) => {
    if (typeof e?.id !== 'string') throw bad(`crsPart.endpoints[${i}].id`, 'must be a string');
  });
  return p;
}

function u32(n: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function formatError(message: string, field?: string): CommandError {
  return new CommandError('E_UPDATE_FORMAT', message, field ? { field } : undefined);
}

function authError(): CommandError {
  return new CommandError('E_UPDATE_AUTH', 'the update file fails its CRS authentication: wrong CRS shared secret, or the file was changed');
}
