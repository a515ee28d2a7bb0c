import { describe, expect, it } from 'vitest';
import { bigintToBytes, bytesToBigint, bytesToHex, concatBytes, hexToBytes } from './bytes.js';
import {
  decodeEccsiPoint,
  eccsiHashes,
  eccsiSign,
  eccsiVerify,
  generateEccsiMasterKeys,
  issueSsk,
  validateSsk,
} from './eccsi.js';
import { CryptoError } from './errors.js';
import { Point, q } from './p256.js';

const scalar = (hex: string) => bigintToBytes(BigInt('0x' + hex), 32);

// RFC 6507 Appendix A ("Test Data"), P-256 / SHA-256. Each value is quoted from the appendix.
const A = {
  /** Appendix A: KSAK = 12345 (hex) */
  KSAK: scalar('12345'),
  /** Appendix A: KPAK = [KSAK]G */
  KPAK: '0450D4670BDE75244F28D2838A0D25558A7A72686D4522D4C8273FB6442AEBFA93DBDD37551AFD263B5DFD617F3960C65A8C298850FF99F20366DCE7D4367217F4',
  /** Appendix A: ID = "2011-02\0tel:+447700900123\0" */
  ID: hexToBytes('323031312D30320074656C3A2B34343737303039303031323300'),
  /** Appendix A: v = 23456 (hex), the KMS's ephemeral value */
  v: scalar('23456'),
  /** Appendix A: PVT = [v]G */
  PVT: '04758A142779BE89E829E71984CB40EF758CC4AD775FC5B9A3E1C8ED52F6FA36D9A79D247692F4EDA3A6BDAB77D6AA6474A464AE4934663C5265BA7018BA091F79',
  /** Appendix A: HS = hash( G || KPAK || ID || PVT ) */
  HS: '490F3FEBBC1C902F6289723D7F8CBF79DB88930849D19F38F0295B5C276C14D1',
  /** Appendix A: SSK = ( KSAK + HS * v ) mod q */
  SSK: '23F374AE1F4033F3E9DBDDAAEF20F4CF0B86BBD5A138A5AE9E7E006B34489A0D',
  /** Appendix A: M = "message\0" */
  M: hexToBytes('6D65737361676500'),
  /** Appendix A: j = 34567 (hex), the signer's ephemeral value */
  j: scalar('34567'),
  /** Appendix A: r = Jx, J = [j]G */
  r: '269D4C8FDEB66A74E4EF8C0D5DCC597DDFE6029C2AFFC4936008CD2CC1045D81',
  /** Appendix A: HE = hash( HS || r || M ) */
  HE: '111F90EAE8271C96DF9B3D6726768D9EE9B18145D7EC152CFA9C23D1C4F02285',
  /** Appendix A: s = ( (HE + r * SSK)^-1 * j ) mod q */
  s: 'E09B528D0EF8D6DF1AA3ECBF80110CFCEC9FC68252CEBB679F4134846940CCFD',
};
const hex = (b: Uint8Array) => bytesToHex(b).toUpperCase();
const kpak = hexToBytes(A.KPAK);
const pvt = hexToBytes(A.PVT);
const ssk = hexToBytes(A.SSK);
const signature = hexToBytes(A.r + A.s + A.PVT);

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof CryptoError ? `${e.code} ${e.field}` : `not a CryptoError: ${e}`;
  }
  return 'no error';
}

function errorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('RFC 6507 Appendix A known answers', () => {
  it('KPAK = [KSAK]G', () => {
    // Master keys come from OpenSSL; the fixed KSAK is checked through the same base multiplication.
    expect(hex(Point.BASE.multiply(bytesToBigint(A.KSAK)).toBytes(false))).toBe(A.KPAK);
  });

  it('issues PVT, HS and SSK for v = 23456 (§5.1.1)', () => {
    const keys = issueSsk(A.KSAK, kpak, A.ID, { testVectorV: A.v });
    expect(hex(keys.pvt)).toBe(A.PVT);
    expect(hex(eccsiHashes.hs(kpak, A.ID, keys.pvt))).toBe(A.HS);
    expect(hex(keys.ssk)).toBe(A.SSK);
  });

  it('validates the published SSK (§5.1.2)', () => {
    expect(validateSsk(kpak, A.ID, ssk, pvt)).toBe(true);
  });

  it('signs "message\\0" with j = 34567 to r, HE, s and r||s||PVT (§5.2.1)', () => {
    const sig = eccsiSign(A.M, A.ID, ssk, pvt, kpak, { testVectorJ: A.j });
    expect(hex(sig.subarray(0, 32))).toBe(A.r);
    expect(hex(eccsiHashes.he(hexToBytes(A.HS), sig.subarray(0, 32), A.M))).toBe(A.HE);
    expect(hex(sig.subarray(32, 64))).toBe(A.s);
    expect(hex(sig)).toBe(A.r + A.s + A.PVT);
  });

  it('verifies the published signature (§5.2.2)', () => {
    expect(eccsiVerify(A.M, signature, A.ID, kpak)).toBe(true);
  });
});

describe('ECCSI with fresh randomness', () => {
  const master = generateEccsiMasterKeys();
  const id = new TextEncoder().encode('2026-12\0tel:+46706764287\0');
  const keys = issueSsk(master.ksak, master.kpak, id);

  it('master keys and issued keys have the contract shapes and validate', () => {
    expect([master.ksak.length, master.kpak.length, keys.ssk.length, keys.pvt.length]).toEqual([32, 65, 32, 65]);
    expect(hex(Point.BASE.multiply(bytesToBigint(master.ksak)).toBytes(false))).toBe(hex(master.kpak));
    expect(validateSsk(master.kpak, id, keys.ssk, keys.pvt)).toBe(true);
  });

  it('sign then verify, with a fresh j each time', () => {
    const msg = new TextEncoder().encode('I-MESSAGE bytes');
    const a = eccsiSign(msg, id, keys.ssk, keys.pvt, master.kpak);
    const b = eccsiSign(msg, id, keys.ssk, keys.pvt, master.kpak);
    expect(a.length).toBe(129);
    expect(hex(a)).not.toBe(hex(b));
    expect(eccsiVerify(msg, a, id, master.kpak)).toBe(true);
    expect(eccsiVerify(msg, b, id, master.kpak)).toBe(true);
  });

  it('two issues for one identity give different PVTs', () => {
    expect(hex(issueSsk(master.ksak, master.kpak, id).pvt)).not.toBe(hex(keys.pvt));
  });
});

describe('ECCSI negatives', () => {
  it('a tampered message does not verify', () => {
    const m = Uint8Array.from(A.M);
    m[0] ^= 1;
    expect(eccsiVerify(m, signature, A.ID, kpak)).toBe(false);
  });

  it('the wrong identity does not verify nor validate', () => {
    const other = hexToBytes(bytesToHex(A.ID).replace('3132', '3133')); // "...0124"
    expect(eccsiVerify(A.M, signature, other, kpak)).toBe(false);
    expect(validateSsk(kpak, other, ssk, pvt)).toBe(false);
  });

  it('a tampered s or r does not verify', () => {
    const s2 = Uint8Array.from(signature);
    s2[63] ^= 1;
    expect(eccsiVerify(A.M, s2, A.ID, kpak)).toBe(false);
    const r2 = Uint8Array.from(signature);
    r2[31] ^= 1;
    expect(eccsiVerify(A.M, r2, A.ID, kpak)).toBe(false);
  });

  it('SSK+1 fails validation (§5.1.2)', () => {
    expect(validateSsk(kpak, A.ID, bigintToBytes(bytesToBigint(ssk) + 1n, 32), pvt)).toBe(false);
  });

  it('an SSK with the sign of [HS]PVT flipped fails validation', () => {
    // KSAK - HS*v passes an x-coordinate-only comparison: [SSK']G - KPAK = -[HS]PVT.
    const hs = bytesToBigint(hexToBytes(A.HS));
    const flipped = (((bytesToBigint(A.KSAK) - hs * bytesToBigint(A.v)) % q) + q) % q;
    expect(validateSsk(kpak, A.ID, bigintToBytes(flipped, 32), pvt)).toBe(false);
  });

  it('a PVT from another issue fails validation', () => {
    const other = issueSsk(A.KSAK, kpak, A.ID);
    expect(validateSsk(kpak, A.ID, ssk, other.pvt)).toBe(false);
    expect(validateSsk(kpak, A.ID, other.ssk, other.pvt)).toBe(true);
  });

  it('an off-curve PVT is rejected, naming the field', () => {
    const bad = Uint8Array.from(pvt);
    bad[64] ^= 1;
    expect(errorOf(() => validateSsk(kpak, A.ID, ssk, bad))).toBe('E_NOT_ON_CURVE PVT');
    expect(errorOf(() => eccsiVerify(A.M, concatBytes(signature.subarray(0, 64), bad), A.ID, kpak))).toBe(
      'E_NOT_ON_CURVE signature PVT',
    );
  });

  it('truncated points and signatures are rejected with E_LENGTH', () => {
    expect(errorOf(() => validateSsk(kpak, A.ID, ssk, pvt.subarray(0, 64)))).toBe('E_LENGTH PVT');
    expect(errorOf(() => issueSsk(A.KSAK, kpak.subarray(0, 33), A.ID))).toBe('E_LENGTH KPAK');
    expect(errorOf(() => eccsiVerify(A.M, signature.subarray(0, 128), A.ID, kpak))).toBe('E_LENGTH signature');
  });

  it('scalars must have 32 bytes and lie in [1, q-1]', () => {
    expect(errorOf(() => validateSsk(kpak, A.ID, ssk.subarray(1), pvt))).toBe('E_LENGTH SSK');
    expect(errorOf(() => validateSsk(kpak, A.ID, new Uint8Array(32), pvt))).toBe('E_RANGE SSK');
    expect(errorOf(() => issueSsk(bigintToBytes(q, 32), kpak, A.ID))).toBe('E_RANGE KSAK');
    const sZero = Uint8Array.from(signature);
    sZero.fill(0, 32, 64);
    expect(errorOf(() => eccsiVerify(A.M, sZero, A.ID, kpak))).toBe('E_RANGE signature s');
    const rZero = Uint8Array.from(signature);
    rZero.fill(0, 0, 32);
    expect(errorOf(() => eccsiVerify(A.M, rZero, A.ID, kpak))).toBe('E_RANGE signature r');
  });
});

describe('P-256 point decoding', () => {
  it('accepts compressed points and normalises them to uncompressed', () => {
    const compressed = Point.fromBytes(pvt).toBytes(true);
    expect(compressed[0]).toBe(0x03); // PVT's y is odd: exercises the root-selection branch
    expect(hex(decodeEccsiPoint(compressed, 'PVT').bytes)).toBe(A.PVT);
    const compressedKpak = Point.fromBytes(kpak).toBytes(true);
    expect(validateSsk(compressedKpak, A.ID, ssk, compressed)).toBe(true);
  });

  it('rejects infinity, unknown prefixes, x not below p, and x with no point', () => {
    expect(errorOf(() => decodeEccsiPoint(new Uint8Array([0]), 'KPAK'))).toBe('E_INFINITY KPAK');
    expect(errorOf(() => decodeEccsiPoint(new Uint8Array(0), 'KPAK'))).toBe('E_LENGTH KPAK');
    const hybrid = Uint8Array.from(kpak);
    hybrid[0] = 0x06;
    expect(errorOf(() => decodeEccsiPoint(hybrid, 'KPAK'))).toBe('E_ENCODING KPAK');
    const bigX = Uint8Array.from(kpak);
    bigX.fill(0xff, 1, 33);
    expect(errorOf(() => decodeEccsiPoint(bigX, 'KPAK'))).toBe('E_RANGE KPAK');
    // x = 3 has no point on P-256 (x^3 - 3x + b is a non-residue); x = 0 does.
    const noPoint = new Uint8Array(33);
    noPoint[0] = 0x02;
    noPoint[32] = 3;
    expect(errorOf(() => decodeEccsiPoint(noPoint, 'KPAK'))).toBe('E_NOT_ON_CURVE KPAK');
  });

  it('error messages never carry key material', () => {
    const bad = Uint8Array.from(pvt);
    bad[64] ^= 1;
    const msg = errorMessage(() => validateSsk(kpak, A.ID, ssk, bad)).toUpperCase();
    expect(msg).toBe('PVT: NOT ON P-256');
    expect(errorMessage(() => validateSsk(kpak, A.ID, bigintToBytes(q + 1n, 32), pvt))).toBe('SSK: not in [1, q-1]');
  });
});
