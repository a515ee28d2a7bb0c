import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, rskMatches, validateRsk, validateSsk } from '../../src/crypto/index.js';
import { QrPayloadError } from './errors.js';
import { qrPngDataUrl } from './qr-image.js';
import { readQrPng } from './qr-read.js';
import { decodeUserQr, encodeUserQr, isProtectedQr, type UserQrPayload } from './qr-payload.js';
import { tlsCredential } from './tls-credential.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Test-only keys made once with src/crypto (see its "note"); docs/formats.md shows the same bytes. */
const fx = JSON.parse(readFileSync(path.join(here, 'fixtures', 'qr-example.json'), 'utf8')) as Record<string, any>;
const docs = readFileSync(path.join(here, '..', '..', 'docs', 'formats.md'), 'utf8');

function payload(over: Partial<UserQrPayload> = {}): UserQrPayload {
  return {
    uri: fx.uri,
    securityDomain: fx.securityDomain,
    crs: { address: fx.crs.address, account: fx.crs.account },
    period: fx.period,
    tlsCredential: hexToBytes(fx.tlsCredential),
    updateKey: hexToBytes(fx.updateKey),
    ssk: hexToBytes(fx.ssk),
    pvt: hexToBytes(fx.pvt),
    rsk: hexToBytes(fx.rsk),
    kpak: hexToBytes(fx.kpak),
    Z: hexToBytes(fx.Z),
    ...over,
  };
}

const qrKey = () => hexToBytes(fx.qrCodeKey);
const clear = () => encodeUserQr(payload());
const sealed = () => encodeUserQr(payload(), { qrKey: qrKey(), iv: hexToBytes(fx.iv) });

/** The hex of a fenced block in docs/formats.md that follows the line containing `marker`. */
function docHex(marker: string): string {
  const at = docs.indexOf(marker);
  expect(at, `docs/formats.md should contain "${marker}"`).toBeGreaterThan(-1);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(docs.slice(at))!;
  return block[1]!.replace(/\s+/g, '');
}

function failure(fn: () => unknown): QrPayloadError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QrPayloadError);
    return err as QrPayloadError;
  }
  throw new Error('expected a QrPayloadError');
}

/** Offsets of the fixture's clear payload (header 4, then the four strings). */
const STRINGS_END = 4 + (1 + 16) + (1 + 12) + (1 + 15) + (1 + 13);

describe('user initiation QR payload', () => {
  it('decodes back to keys that pass the RFC 6507 and RFC 6508 checks', () => {
    const d = decodeUserQr(clear());
    expect(d.protected).toBe(false);
    expect(d.uri).toBe('tel:+46706764287');
    expect(d.securityDomain).toBe('test.example');
    expect(d.crs).toEqual({ address: 'crs.example.net', account: 'DEMOACCOUNT_1' });
    expect(d.period).toBe('2026-11');
    expect(new TextDecoder().decode(d.identity)).toBe('2026-11\0tel:+46706764287\0');
    for (const f of ['tlsCredential', 'updateKey', 'ssk', 'pvt', 'rsk', 'kpak', 'Z'] as const) expect(bytesToHex(d[f]), f).toBe(fx[f]);
    expect(validateSsk(d.kpak, d.identity, d.ssk, d.pvt)).toBe(true);
    expect(validateRsk(d.Z, d.identity, d.rsk)).toBe(true);
    expect(rskMatches(hexToBytes(fx.z), d.identity, d.rsk)).toBe(true);
  });

  it('is compact: 4 + strings + 3 + 32 + 16 + 32 + 33 + 129 + 33 + 129 bytes', () => {
    expect(clear().length).toBe(STRINGS_END + 3 + 32 + 16 + 32 + 33 + 129 + 33 + 129);
    expect(clear().length).toBe(471);
    // IV, the body padded to whole AES blocks (471 - 4 = 467 → 480), the whole tag.
    expect(sealed().length).toBe(4 + 16 + 480 + 32);
  });

  it('is the worked example of docs/formats.md, byte for byte', () => {
    expect(bytesToHex(clear())).toBe(docHex('Clear payload of the example'));
    expect(bytesToHex(sealed())).toBe(docHex('Protected payload of the example'));
  });

  it('derives the TLS credential with HKDF-SHA-256(secret, salt = URI, info = "keyward tls v1")', () => {
    const enc = new TextEncoder();
    const independent = hkdf(sha256, enc.encode('s3cret-shared'), enc.encode(fx.uri), enc.encode('keyward tls v1'), 32);
    expect(bytesToHex(tlsCredential('s3cret-shared', fx.uri))).toBe(bytesToHex(independent));
    expect(bytesToHex(independent)).toBe(fx.tlsCredential);
    expect(tlsCredential('s3cret-shared', 'tel:+46706764288')).not.toEqual(independent);
    expect(tlsCredential('other-secret', fx.uri)).not.toEqual(independent);
  });

  it('round-trips through the PNG QR code (level M, byte mode) and the jsQR reader', async () => {
    const bytes = sealed();
    const url = await qrPngDataUrl(bytes);
    const read = readQrPng(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
    expect(bytesToHex(read)).toBe(bytesToHex(bytes));
  });

  it('fits one QR code at level M even with every string at its 255-byte maximum', () => {
    const long = 'x'.repeat(255);
    const biggest = encodeUserQr(payload({ securityDomain: long, crs: { address: long, account: long } }), { qrKey: qrKey() });
    expect(biggest.length).toBeGreaterThan(1200);
    const qr = QRCode.create([{ data: biggest, mode: 'byte' }], { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(40);
    // The usual letter is far smaller; this is the symbol size the print layout is made for.
    expect(QRCode.create([{ data: sealed(), mode: 'byte' }], { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(20);
  });
});

describe('QR protection (AES-128-CBC + HMAC-SHA-256)', () => {
  it('decodes with the right QR code key', () => {
    expect(isProtectedQr(sealed())).toBe(true);
    expect(isProtectedQr(clear())).toBe(false);
    const d = decodeUserQr(sealed(), { qrKey: qrKey() });
    expect(d.protected).toBe(true);
    expect(bytesToHex(d.ssk)).toBe(fx.ssk);
    expect(validateRsk(d.Z, d.identity, d.rsk)).toBe(true);
  });

  it('hides the keys: no key byte string appears in the protected payload', () => {
    const hex = bytesToHex(sealed());
    for (const f of ['ssk', 'updateKey', 'tlsCredential']) expect(hex).not.toContain(fx[f].slice(0, 16));
    expect(hex).not.toContain(bytesToHex(new TextEncoder().encode('46706764287')));
  });

  it('uses a fresh IV each time', () => {
    const a = encodeUserQr(payload(), { qrKey: qrKey() });
    const b = encodeUserQr(payload(), { qrKey: qrKey() });
    expect(bytesToHex(a.subarray(4, 20))).not.toBe(bytesToHex(b.subarray(4, 20)));
  });

  it('refuses a wrong key with a clear error that names the QR code key', () => {
    const wrong = qrKey();
    wrong[15] ^= 1;
    const e = failure(() => decodeUserQr(sealed(), { qrKey: wrong }));
    expect(e.code).toBe('E_QR_KEY');
    expect(e.message).toMatch(/QR code key does not open this QR code/);
    expect(e.message).not.toContain(fx.qrCodeKey);
  });

  it('asks for the key when none is given, and refuses a key of the wrong size', () => {
    expect(failure(() => decodeUserQr(sealed())).code).toBe('E_QR_KEY_NEEDED');
    const e = failure(() => decodeUserQr(sealed(), { qrKey: new Uint8Array(15) }));
    expect([e.code, e.field]).toEqual(['E_QR_KEY', 'qrCodeKey']);
  });

  it('detects any changed byte: header, IV, ciphertext or tag', () => {
    for (const at of [3, 4, 19, 20, 300, 499, 500, 531]) {
      const bytes = sealed();
      if (at === 3) {
        // Turning the protection flag off makes it a (bad) clear payload; other header bytes are checked first.
        bytes[at] = 0;
        expect(failure(() => decodeUserQr(bytes, { qrKey: qrKey() })).code).toBe('E_QR_FORMAT');
        continue;
      }
      bytes[at] ^= 0x40;
      expect(failure(() => decodeUserQr(bytes, { qrKey: qrKey() })).code, `byte ${at}`).toBe('E_QR_KEY');
    }
  });

  it('refuses a protected part that cannot be IV, whole blocks and tag', () => {
    const e = failure(() => decodeUserQr(sealed().subarray(0, 531), { qrKey: qrKey() }));
    expect([e.code, e.field]).toEqual(['E_QR_FORMAT', 'protected payload']);
  });
});

describe('strict decoding names the field', () => {
  const cases: [string, (b: Uint8Array) => Uint8Array, string][] = [
    ['short header', (b) => b.subarray(0, 3), 'header'],
    ['magic', (b) => ((b[0] = 0x4c), b), 'magic'],
    ['version', (b) => ((b[2] = 2), b), 'version'],
    ['protection', (b) => ((b[3] = 5), b), 'protection'],
    ['empty uri', (b) => ((b[4] = 0), b), 'uri'],
    ['uri not tel:', (b) => (b.set(new TextEncoder().encode('sip:'), 5), b), 'uri'],
    ['uri not E.164', (b) => ((b[11] = 0x41), b), 'uri'],
    ['bad UTF-8 in the domain', (b) => ((b[4 + 17 + 1] = 0xff), b), 'securityDomain'],
    ['month 13', (b) => ((b[STRINGS_END + 2] = 13), b), 'period'],
    ['pvt uncompressed prefix', (b) => ((b[STRINGS_END + 3 + 32 + 16 + 32] = 0x04), b), 'pvt'],
    ['rsk x not on the curve', (b) => (b.fill(0xff, STRINGS_END + 3 + 32 + 16 + 32 + 33 + 1, STRINGS_END + 3 + 32 + 16 + 32 + 33 + 129), b), 'rsk'],
    ['Z truncated', (b) => b.subarray(0, b.length - 1), 'Z'],
    ['trailing byte', (b) => Uint8Array.of(...b, 0), 'end'],
  ];
  it.each(cases)('%s', (_name, damage, field) => {
    const e = failure(() => decodeUserQr(damage(clear())));
    expect(e.code).toBe('E_QR_FORMAT');
    expect(e.field).toBe(field);
    expect(e.message).toContain(`QR payload, ${field}:`);
  });
});

describe('encoding refuses what a phone could not use', () => {
  it.each([
    ['uri', { uri: '+46706764287' }],
    ['period', { period: '2026-13' }],
    ['securityDomain', { securityDomain: '' }],
    ['crsAddress', { crs: { address: 'y'.repeat(256), account: 'a' } }],
    ['ssk', { ssk: new Uint8Array(31) }],
    ['updateKey', { updateKey: new Uint8Array(32) }],
    ['rsk', { rsk: hexToBytes(fx.rsk).subarray(0, 129) }],
    ['kpak', { kpak: new Uint8Array(65) }],
  ] as [string, Partial<UserQrPayload>][])('%s', (field, over) => {
    const e = failure(() => encodeUserQr(payload(over)));
    expect([e.code, e.field]).toEqual(['E_QR_FORMAT', field]);
  });
});
