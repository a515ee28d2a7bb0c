import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/crypto/index.js';
import { domainFingerprint } from './domain-fingerprint.js';

const fx = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'qr-example.json'), 'utf8'));

describe('domainFingerprint', () => {
  it('is SHA-256(KPAK ‖ Z) in the manual’s groups of four, the id its first four bytes', () => {
    const kpak = hexToBytes(fx.kpak);
    const Z = hexToBytes(fx.Z);
    const digest = bytesToHex(sha256(new Uint8Array([...kpak, ...Z]))).toUpperCase();
    const { id, fingerprint } = domainFingerprint(kpak, Z);
    expect(fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){15}$/);
    expect(fingerprint.replace(/ /g, '')).toBe(digest);
    expect(id).toBe(`${digest.slice(0, 4)} ${digest.slice(4, 8)}`);
  });

  it('changes with either key', () => {
    const kpak = hexToBytes(fx.kpak);
    const Z = hexToBytes(fx.Z);
    const other = Z.slice();
    other[200] ^= 1;
    expect(domainFingerprint(kpak, other).fingerprint).not.toBe(domainFingerprint(kpak, Z).fingerprint);
  });
});
