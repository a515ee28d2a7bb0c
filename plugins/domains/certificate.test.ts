import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEccsiMasterKeys, generateSakkeMasterKeys } from '../../src/crypto/index.js';
import { CommandError } from '../../src/kernel/index.js';
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
