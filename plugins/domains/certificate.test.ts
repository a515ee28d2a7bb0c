import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEccsiMasterKeys, generateSakkeMasterKeys } from '../../src/crypto/index.js';
import { CommandError } from '../../src/kernel/index.js';
import { Z_PUBLIC } from '../../src/crypto/rfc6508.vectors.js';
import { encodeRows } from './rows.js';
import { certificateDigest, certificateLength, decodeCertificate, encodeCertificate, type DomainCertificate } from './certificate.js';

const { kpak } = generateEccsiMasterKeys();
const { Z } = generateSakkeMasterKeys();
const CERT: DomainCertificate = { securityDomain: 'Försvarsmakten', kpak, Z, created: new Date('2026-11-25T18:00:00Z') };

function refusal(bytes: Uint8Array): CommandError {
  try {
    decodeCertificate(bytes);
  } catch (err) {
    return err as CommandError;
  }
  throw new Error('the certificate was accepted');
}

/** The certificate with the SAKKE point replaced (same length, so only the point checks can refuse it). */
function withZ(point: Uint8Array): Uint8Array {
  const bytes = encodeCertificate(CERT);
  bytes.set(point, bytes.length - 257);
  return bytes;
}

describe('domain certificate encoding', () => {
  it('lays out magic, version, parameter set, created, name, KPAK and Z byte by byte', () => {
    const bytes = encodeCertificate(CERT);
    const name = Buffer.from('Försvarsmakten', 'utf8');
    expect(bytes.length).toBe(15 + name.length + 65 + 257);
    expect(certificateLength(name.length)).toBe(bytes.length);
    expect(Buffer.from(bytes.subarray(0, 6)).toString('hex')).toBe('4b5744430101');
    expect(Buffer.from(bytes.subarray(6, 14)).readBigUInt64BE()).toBe(BigInt(Date.UTC(2026, 10, 25, 18) / 1000));
    expect(bytes[14]).toBe(name.length);
    expect(Buffer.from(bytes.subarray(15, 15 + name.length))).toEqual(name);
    expect(bytes.subarray(15 + name.length, 80 + name.length)).toEqual(kpak);
    expect(bytes.subarray(80 + name.length)).toEqual(Z);
  });

  it('decodes back to the same credentials, and encoding is canonical (decode then encode gives the same bytes)', () => {
    const bytes = encodeCertificate(CERT);
    const back = decodeCertificate(bytes);
    expect(back).toEqual(CERT);
    expect(encodeCertificate(back)).toEqual(bytes);
  });

  it('fingerprint is SHA-256 of the encoding in 16 groups of 4 upper-case hex digits; Id is its first 4 bytes', () => {
    const bytes = encodeCertificate(CERT);
    const hex = createHash('sha256').update(bytes).digest('hex').toUpperCase();
    const { fingerprint, id } = certificateDigest(bytes);
    expect(fingerprint).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    expect(fingerprint.replace(/ /g, '')).toBe(hex);
    expect(id).toBe(`${hex.slice(0, 4)} ${hex.slice(4, 8)}`);
    expect(certificateDigest(encodeCertificate({ ...CERT, created: new Date('2026-11-25T18:00:01Z') })).fingerprint).not.toBe(fingerprint);
  });

  it('refuses a Z off the curve, a Z of small order, a KPAK off P-256, naming the field', () => {
    const offCurve = Z.slice();
    offCurve[256]! ^= 1;
    expect(refusal(withZ(offCurve))).toMatchObject({ code: 'E_INVALID_CERTIFICATE', details: { field: 'Z', reason: 'E_NOT_ON_CURVE' } });
    // (0, 0) lies on y² = x³ − 3x and has order 2: on the curve but not in the subgroup of order q.
    const order2 = new Uint8Array(257);
    order2[0] = 0x04;
    expect(refusal(withZ(order2))).toMatchObject({ code: 'E_INVALID_CERTIFICATE', details: { field: 'Z', reason: 'E_NOT_IN_SUBGROUP' } });
    const bytes = encodeCertificate(CERT);
    bytes[15 + 15 + 64]! ^= 1; // last byte of the KPAK ("Försvarsmakten" is 15 UTF-8 bytes)
    expect(refusal(bytes)).toMatchObject({ code: 'E_INVALID_CERTIFICATE', details: { field: 'KPAK', reason: 'E_NOT_ON_CURVE' } });
  });

  it('refuses a broken structure: magic, version, parameter set, length, name', () => {
    const good = encodeCertificate(CERT);
    const at = (i: number, v: number) => {
      const b = good.slice();
      b[i] = v;
      return b;
    };
    expect(refusal(at(0, 0x58)).details).toMatchObject({ field: 'magic' });
    expect(refusal(at(4, 2)).details).toMatchObject({ field: 'version' });
    expect(refusal(at(5, 9)).details).toMatchObject({ field: 'parameterSet' });
    expect(refusal(good.subarray(0, good.length - 1)).details).toMatchObject({ field: 'length' });
    expect(refusal(Uint8Array.of(...good, 0)).details).toMatchObject({ field: 'length' });
    expect(refusal(good.subarray(0, 10)).details).toMatchObject({ field: 'header' });
    expect(refusal(at(15, 0xff)).details).toMatchObject({ field: 'securityDomain' }); // not UTF-8
    expect(refusal(at(15, 0x20)).details).toMatchObject({ field: 'securityDomain' }); // leading space: not canonical
    const compressed = good.slice();
    compressed[15 + 15] = 0x02;
    expect(refusal(compressed).details).toMatchObject({ field: 'KPAK' });
  });

  it('refuses to encode a name that is not canonical', () => {
    expect(() => encodeCertificate({ ...CERT, securityDomain: ' x' })).toThrow(/securityDomain/);
    expect(() => encodeCertificate({ ...CERT, securityDomain: 'Fo\u0308rsvar' })).toThrow(/NFC/);
  });
});

describe('the worked example in docs/formats.md', () => {
  it('has the documented header, fingerprint, Id and rows (RFC 6507 KPAK, RFC 6508 Z)', () => {
    const rfcKpak = Buffer.from('0450D4670BDE75244F28D2838A0D25558A7A72686D4522D4C8273FB6442AEBFA93DBDD37551AFD263B5DFD617F3960C65A8C298850FF99F20366DCE7D4367217F4', 'hex');
    const bytes = encodeCertificate({ securityDomain: 'example.org', kpak: new Uint8Array(rfcKpak), Z: Z_PUBLIC, created: new Date('2026-01-15T09:30:00Z') });
    expect(bytes.length).toBe(348);
    expect(Buffer.from(bytes.subarray(0, 26)).toString('hex').toUpperCase()).toBe('4B5744430101000000006968B3980B6578616D706C652E6F7267');
    expect(certificateDigest(bytes)).toEqual({
      fingerprint: '20F9 526F B3DD 2D87 44B7 15CD A2D9 5342 B318 C572 3A26 6B6C 6E1D 958B 2F64 2DE6',
      id: '20F9 526F',
    });
    const rows = encodeRows(bytes);
    expect(rows).toHaveLength(24);
    expect([rows[0], rows[1], rows[2], rows[22], rows[23]]).toEqual([
      '01: 9DBM 8GR1 0400 0000 D5MB 760B 2',
      '02: CNW6 2VBG DHJJ WVVJ CW25 1N37 R',
      '03: 1FF7 A92F 5398 72GD 4NAR MYKJ 4',
      '23: CNDB B2VW RYBE 4KMT 7509 AXAF 4',
      '24: BY5T W 8',
    ]);
  });
});
