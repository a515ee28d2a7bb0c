/**
 * The QR code of one crypto engine on a gateway initiation letter (docs/formats.md, "Gateway
 * engine initiation QR payload"): a short gateway header naming the engine, then a complete user
 * initiation payload (the letters plugin's encoder and decoder) carrying the gateway's keys with
 * that engine's own TLS credential and update key.
 *
 *   "KG" (0x4B 0x47) ‖ version 0x01 ‖ engine number (1 byte, 1…count) ‖ engine count (1 byte)
 *   ‖ engine id (16 bytes) ‖ user initiation payload ("KW" …, clear)
 */
import { bytesToHex, hexToBytes } from '../../src/crypto/index.js';
// The letters plugin's codec: reused as the format's inner part, not copied.
import { QrPayloadError, decodeUserQr, encodeUserQr, type DecodedUserQr, type UserQrPayload } from '../letters/tokens.js';

/** "KG": a Keyward gateway engine code (a user code starts "KW"). */
export const ENGINE_QR_MAGIC = Uint8Array.of(0x4b, 0x47);
export const ENGINE_QR_VERSION = 1;
/** Engine ids are 128-bit random values. */
export const ENGINE_ID_BYTES = 16;
const HEADER_BYTES = 2 + 1 + 1 + 1 + ENGINE_ID_BYTES;

/** Which engine of the gateway the code is for. */
export interface EngineRef {
  /** 1-based position among the gateway's engines. */
  index: number;
  count: number;
  /** 32 hex digits. */
  id: string;
}

export interface DecodedEngineQr extends DecodedUserQr {
  engine: EngineRef;
}

/** Encode an engine's payload; `keys` is what a user payload carries (see the letters plugin). */
export function encodeEngineQr(engine: EngineRef, keys: UserQrPayload): Uint8Array {
  if (!Number.isInteger(engine.count) || engine.count < 1 || engine.count > 255) throw new QrPayloadError('E_QR_FORMAT', 'must be 1–255', 'engineCount');
  if (!Number.isInteger(engine.index) || engine.index < 1 || engine.index > engine.count) {
    throw new QrPayloadError('E_QR_FORMAT', `must be 1–${engine.count}`, 'engineNumber');
  }
  if (!/^[0-9a-f]{32}$/.test(engine.id)) throw new QrPayloadError('E_QR_FORMAT', 'must be 32 lower-case hex digits', 'engineId');
  const inner = encodeUserQr(keys);
  const out = new Uint8Array(HEADER_BYTES + inner.length);
  out.set(ENGINE_QR_MAGIC);
  out[2] = ENGINE_QR_VERSION;
  out[3] = engine.index;
  out[4] = engine.count;
  out.set(hexToBytes(engine.id), 5);
  out.set(inner, HEADER_BYTES);
  inner.fill(0);
  return out;
}

/**
 * Decode and check an engine's payload (the inner user payload is checked by the letters decoder).
 * @throws QrPayloadError `E_QR_FORMAT` naming the field.
 */
export function decodeEngineQr(bytes: Uint8Array): DecodedEngineQr {
  if (bytes.length < HEADER_BYTES) throw new QrPayloadError('E_QR_FORMAT', `${bytes.length} bytes is too short for a gateway header`, 'header');
  if (bytes[0] !== ENGINE_QR_MAGIC[0] || bytes[1] !== ENGINE_QR_MAGIC[1]) {
    throw new QrPayloadError('E_QR_FORMAT', 'not a Keyward gateway engine QR code (no "KG" magic)', 'magic');
  }
  if (bytes[2] !== ENGINE_QR_VERSION) throw new QrPayloadError('E_QR_FORMAT', `version ${bytes[2]} is not supported (this reader knows ${ENGINE_QR_VERSION})`, 'version');
  const index = bytes[3]!;
  const count = bytes[4]!;
  if (count < 1) throw new QrPayloadError('E_QR_FORMAT', 'must be at least 1', 'engineCount');
  if (index < 1 || index > count) throw new QrPayloadError('E_QR_FORMAT', `${index} is not within 1–${count}`, 'engineNumber');
  const id = bytesToHex(bytes.subarray(5, HEADER_BYTES));
  return { ...decodeUserQr(bytes.subarray(HEADER_BYTES)), engine: { index, count, id } };
}
