import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Period } from '../../src/crypto/index.js';
import { derivePuk } from './puk.js';

describe('derivePuk', () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i);

  it('is 8 digits from HMAC-SHA-256(updateKey, "keyward-puk-v1\\0" + period), first 64 bits mod 10^8', () => {
    const mac = createHmac('sha256', key).update('keyward-puk-v1\0' + '2026-12').digest();
    const want = (mac.readBigUInt64BE(0) % 100_000_000n).toString().padStart(8, '0');
    expect(derivePuk(key, Period.parse('2026-12'))).toBe(want);
    expect(want).toMatch(/^\d{8}$/);
  });

  it('changes with the month and with the update key, and is stable otherwise', () => {
    const dec = Period.parse('2026-12');
    expect(derivePuk(key, dec)).toBe(derivePuk(Uint8Array.from(key), dec));
    expect(derivePuk(key, dec.next())).not.toBe(derivePuk(key, dec));
    const other = Uint8Array.from(key);
    other[0] = 0xff;
    expect(derivePuk(other, dec)).not.toBe(derivePuk(key, dec));
  });
});
