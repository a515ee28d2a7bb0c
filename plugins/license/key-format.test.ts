import { ed25519 } from '@noble/curves/ed25519.js';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePayload, issueKey, LicenseKeyError, verifyKey, type LicenseClaims } from './key-format.js';

const vendor = ed25519.keygen();
const other = ed25519.keygen();
const permanent: LicenseClaims = { systemId: 'ACME-01', maxUsers: 250, checksum: '0123456789ABCDEF0123456789ABCDEF' };
const temporary: LicenseClaims = { systemId: 'ACME-01', maxUsers: 20, expires: '2027-01-31' };

function failure(fn: () => unknown): LicenseKeyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LicenseKeyError) return err;
    throw err;
  }
  throw new Error('did not fail');
}

describe('licence key text', () => {
  it('round-trips permanent and temporary claims through the signed text form', () => {
    for (const claims of [permanent, temporary, { systemId: 'x', maxUsers: 1 }]) {
      const key = issueKey(claims, vendor.secretKey);
      expect(key).toMatch(/^KWL(-[0-9A-HJKMNP-TV-Z]{1,5})+$/);
      expect(verifyKey(key, vendor.publicKey)).toEqual(claims);
    }
  });

  it('reads keys typed in lower case, across lines, with I/L for 1 and O for 0', () => {
    const key = issueKey(permanent, vendor.secretKey);
    const typed = key.toLowerCase().replace(/-/g, ' ').replace(/(.{30})/g, '$1\n').replace(/1/g, 'l').replace(/0/g, 'o');
    expect(verifyKey(typed, vendor.publicKey)).toEqual(permanent);
  });

  it('refuses a changed character, a key of another vendor, bad characters and a cut key', () => {
    const key = issueKey(permanent, vendor.secretKey);
    // Every position after the prefix: one changed character is always caught.
    const digits = key.slice(4);
    for (let i = 0; i < digits.length; i++) {
      if (digits[i] === '-') continue;
      const changed = `KWL-${digits.slice(0, i)}${digits[i] === 'A' ? 'B' : 'A'}${digits.slice(i + 1)}`;
      expect(() => verifyKey(changed, vendor.publicKey), `position ${i}`).toThrow(LicenseKeyError);
    }
    expect(failure(() => verifyKey(key, other.publicKey)).code).toBe('E_LICENSE_SIGNATURE');
    expect(failure(() => verifyKey(key.replace(/.$/, 'U'), vendor.publicKey))).toMatchObject({
      code: 'E_LICENSE_ENCODING',
      message: expect.stringContaining('"U"'),
    });
    expect(failure(() => verifyKey(key.slice(0, 60), vendor.publicKey)).code).toMatch(/E_LICENSE_(ENCODING|SIGNATURE)/);
    expect(failure(() => verifyKey('ABCD-EFGH', vendor.publicKey))).toMatchObject({ code: 'E_LICENSE_ENCODING', message: expect.stringContaining('starts with KWL-') });
  });

  it('names an unknown format version', () => {
    const payload = encodePayload(temporary);
    payload[0] = 2;
    const sig = ed25519.sign(new Uint8Array([...new TextEncoder().encode('keyward-license\0'), ...payload]), vendor.secretKey);
    const digits = base32([...payload, ...sig]);
    expect(failure(() => verifyKey(`KWL-${digits}`, vendor.publicKey))).toMatchObject({ code: 'E_LICENSE_VERSION', message: expect.stringContaining('version 2') });
  });

  it('refuses claims it cannot encode', () => {
    expect(() => issueKey({ ...temporary, expires: '2027-02-30' }, vendor.secretKey)).toThrow(/not a date/);
    expect(() => issueKey({ ...temporary, maxUsers: 0 }, vendor.secretKey)).toThrow(/whole number/);
    expect(() => issueKey({ ...temporary, systemId: 'a b' }, vendor.secretKey)).toThrow(/System ID/);
  });
});

/** Crockford base32 as docs/formats.md describes it, written independently of key-format.ts. */
function base32(bytes: number[]): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bits = bytes.map((b) => b.toString(2).padStart(8, '0')).join('');
  return (bits.padEnd(Math.ceil(bits.length / 5) * 5, '0').match(/.{5}/g) ?? []).map((g) => alphabet[parseInt(g, 2)]).join('');
}

describe('docs/formats.md worked example', () => {
  const secret = Uint8Array.from(Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'));
  const doc = fs.readFileSync(path.join(import.meta.dirname, '../../docs/formats.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Licence key and installation checksum'));
  const keys = section.match(/^KWL-[0-9A-Z-]+$/gm) ?? [];

  it('issues exactly the documented keys with the RFC 8032 test key, and they verify', () => {
    const claims: LicenseClaims[] = [
      { systemId: 'ACME-01', maxUsers: 250, checksum: 'C9A689ADE722C1D93DFCB6F020BA4840' },
      { systemId: 'ACME-01', maxUsers: 20, expires: '2027-01-31' },
    ];
    expect(keys).toEqual(claims.map((c) => issueKey(c, secret)));
    const publicKey = ed25519.getPublicKey(secret);
    expect(section).toContain(Buffer.from(publicKey).toString('hex'));
    expect(keys.map((k) => verifyKey(k, publicKey))).toEqual(claims);
  });
});
