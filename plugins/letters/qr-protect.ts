/**
 * QR protection (manual, "User Initiation Letters": AES-128-CBC and HMAC-SHA-256 under a random
 * 128-bit QR code key). Encrypt-then-MAC; the exact construction is in docs/formats.md,
 * "User initiation QR payload":
 *
 *   encKey ‖ macKey = HKDF-SHA-256(IKM = QR code key, salt = none, info = "keyward qr v1", L = 48)
 *   C = AES-128-CBC(encKey, IV, PKCS#7(body))           IV: 16 random bytes
 *   T = HMAC-SHA-256(macKey, header ‖ IV ‖ C)            all 32 bytes kept
 *   protected = IV ‖ C ‖ T
 *
 * The tag is checked (in constant time) before anything is decrypted, so a wrong key or an
 * altered code gives one clear error and no padding oracle.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { concatBytes, zeroise } from '../../src/crypto/index.js';
import { QrPayloadError } from './errors.js';

/** The QR code key: 128 bits (manual, "User Initiation Letters"). */
export const QR_KEY_BYTES = 16;
/** AES block and CBC IV size (FIPS 197, SP 800-38A). */
export const IV_BYTES = 16;
/** HMAC-SHA-256 tag, untruncated (RFC 2104, FIPS 180-4). */
export const TAG_BYTES = 32;
/** HKDF info string (RFC 5869 §2.3) binding the derived keys to this use and format version. */
const HKDF_INFO = 'keyward qr v1';
const ENC_KEY_BYTES = 16;
const MAC_KEY_BYTES = 32;

interface QrKeys {
  enc: Uint8Array;
  mac: Uint8Array;
}

/** encKey ‖ macKey from the QR code key (RFC 5869 HKDF-SHA-256, empty salt). */
function deriveKeys(qrKey: Uint8Array): QrKeys {
  if (qrKey.length !== QR_KEY_BYTES) {
    throw new QrPayloadError('E_QR_KEY', `the QR code key must be ${QR_KEY_BYTES} bytes (32 hex digits), got ${qrKey.length}`, 'qrCodeKey');
  }
  const okm = new Uint8Array(hkdfSync('sha256', qrKey, new Uint8Array(0), HKDF_INFO, ENC_KEY_BYTES + MAC_KEY_BYTES));
  return { enc: okm.subarray(0, ENC_KEY_BYTES), mac: okm.subarray(ENC_KEY_BYTES) };
}

function tag(macKey: Uint8Array, header: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', macKey).update(header).update(iv).update(ciphertext).digest());
}

/**
 * Encrypt and authenticate `body` under the QR code key; `header` (the payload's clear prefix)
 * is authenticated too. Returns IV ‖ C ‖ T. `iv` is for reproducible test fixtures only.
 */
export function protect(header: Uint8Array, body: Uint8Array, qrKey: Uint8Array, iv: Uint8Array = randomBytes(IV_BYTES)): Uint8Array {
  if (iv.length !== IV_BYTES) throw new QrPayloadError('E_QR_FORMAT', `the IV must be ${IV_BYTES} bytes`, 'iv');
  const keys = deriveKeys(qrKey);
  try {
    const cipher = createCipheriv('aes-128-cbc', keys.enc, iv);
    const ciphertext = concatBytes(cipher.update(body), cipher.final());
    return concatBytes(iv, ciphertext, tag(keys.mac, header, iv, ciphertext));
  } finally {
    zeroise(keys.enc, keys.mac);
  }
}

/**
 * Check and decrypt IV ‖ C ‖ T made by {@link protect}.
 * @throws QrPayloadError `E_QR_KEY` when the tag does not match (wrong key or altered code),
 *   `E_QR_FORMAT` when the protected part has an impossible length.
 */
export function unprotect(header: Uint8Array, sealed: Uint8Array, qrKey: Uint8Array): Uint8Array {
  const ctLength = sealed.length - IV_BYTES - TAG_BYTES;
  if (ctLength < IV_BYTES || ctLength % IV_BYTES !== 0) {
    throw new QrPayloadError('E_QR_FORMAT', `${sealed.length} bytes cannot be IV, whole AES blocks and a ${TAG_BYTES}-byte tag`, 'protected payload');
  }
  const iv = sealed.subarray(0, IV_BYTES);
  const ciphertext = sealed.subarray(IV_BYTES, IV_BYTES + ctLength);
  const given = sealed.subarray(IV_BYTES + ctLength);
  const keys = deriveKeys(qrKey);
  try {
    if (!timingSafeEqual(tag(keys.mac, header, iv, ciphertext), given)) {
      throw new QrPayloadError('E_QR_KEY', 'the QR code key does not open this QR code (wrong key, or the code was altered)', 'qrCodeKey');
    }
    const decipher = createDecipheriv('aes-128-cbc', keys.enc, iv);
    try {
      return concatBytes(decipher.update(ciphertext), decipher.final());
    } catch {
      // Authentic but badly padded: only a faulty encoder makes this.
      throw new QrPayloadError('E_QR_FORMAT', 'authentic, but its padding is not PKCS#7', 'protected payload');
    }
  } finally {
    zeroise(keys.enc, keys.mac);
  }
}
