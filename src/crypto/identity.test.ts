import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { channelIdentity, parseIdentity, Period, userIdentity } from './identity.js';

/** RFC 6507 Appendix A / RFC 6508 Appendix A identity: "2011-02\0tel:+447700900123\0". */
const RFC_ID_HEX = '323031312d30320074656c3a2b34343737303039303031323300';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof CryptoError ? `${e.code} ${e.field}` : 'not a CryptoError';
  }
  return undefined;
}

describe('Period', () => {
  it('takes the UTC month of a date', () => {
    // 23:30 on 31 Jan in UTC-2 is already February in UTC.
    expect(Period.of(new Date('2026-01-31T23:30:00-02:00')).toString()).toBe('2026-02');
    expect(Period.of(new Date('2026-12-31T23:59:59Z')).toString()).toBe('2026-12');
  });

  it('parses YYYY-MM and rejects anything else naming the period', () => {
    const p = Period.parse('2026-09');
    expect([p.year, p.month]).toEqual([2026, 9]);
    for (const bad of ['2026-9', '2026-13', '2026-00', '26-09', '2026/09', ' 2026-09', '2026-09-01', ''])
      expect(codeOf(() => Period.parse(bad)), bad).toBe('E_IDENTITY period');
    expect(() => Period.parse('2026-13')).toThrow(/month 13/);
  });

  it('steps across year boundaries and orders chronologically', () => {
    expect(Period.parse('2026-12').next().toString()).toBe('2027-01');
    expect(Period.parse('2027-01').previous().toString()).toBe('2026-12');
    expect(Period.parse('2026-05').next().previous().equals(Period.parse('2026-05'))).toBe(true);
    const sorted = ['2027-01', '2026-02', '2026-11'].map(Period.parse).sort(Period.compare).map(String);
    expect(sorted).toEqual(['2026-02', '2026-11', '2027-01']);
    expect(Period.parse('2026-02').compare(Period.parse('2026-03'))).toBeLessThan(0);
    expect(JSON.stringify({ p: Period.parse('2026-03') })).toBe('{"p":"2026-03"}');
  });

  it('rejects an invalid date', () => {
    expect(codeOf(() => Period.of(new Date('nonsense')))).toBe('E_IDENTITY period');
  });
});

describe('user identities (RFC 6509 §3.2)', () => {
  it('encodes the RFC 6507/6508 Appendix A identity byte for byte', () => {
    expect(bytesToHex(userIdentity(Period.parse('2011-02'), '+447700900123'))).toBe(RFC_ID_HEX);
  });

  it('accepts short gateway numbers and rejects malformed numbers', () => {
    expect(new TextDecoder().decode(userIdentity(Period.parse('2026-01'), '+8888'))).toBe('2026-01\0tel:+8888\0');
    for (const bad of ['447700900123', '+', '+1234567890123456', '+44 7700', '+44-7700', 'tel:+4477', '+４４'])
      expect(codeOf(() => userIdentity(Period.parse('2026-01'), bad)), bad).toBe('E_IDENTITY tel number');
  });

  it('parses back to period and number', () => {
    const parsed = parseIdentity(hexToBytes(RFC_ID_HEX));
    expect(parsed.kind).toBe('tel');
    expect(parsed.period.toString()).toBe('2011-02');
    expect(parsed.uri).toBe('tel:+447700900123');
    if (parsed.kind === 'tel') expect(parsed.number).toBe('+447700900123');
  });
});

describe('channel identities (Keyward scheme)', () => {
  const id = hexToBytes('00112233445566778899aabbccddeeff');

  it('encodes as period, keyward:channel: and 32 lowercase hex digits', () => {
    expect(new TextDecoder().decode(channelIdentity(Period.parse('2026-12'), id))).toBe(
      '2026-12\0keyward:channel:00112233445566778899aabbccddeeff\0',
    );
  });

  it('round-trips through parseIdentity', () => {
    const parsed = parseIdentity(channelIdentity(Period.parse('2026-12'), id));
    expect(parsed.kind).toBe('channel');
    expect(parsed.period.toString()).toBe('2026-12');
    if (parsed.kind === 'channel') expect(bytesToHex(parsed.channelId)).toBe(bytesToHex(id));
  });

  it('rejects channel ids that are not 16 bytes', () => {
    expect(codeOf(() => channelIdentity(Period.parse('2026-12'), new Uint8Array(15)))).toBe('E_IDENTITY channel id');
  });
});

describe('parseIdentity rejects malformed identities, naming the part', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: [string, string][] = [
    ['2026-12\0tel:+4670\0', ''],
    ['2026-12\0tel:+4670', 'E_IDENTITY identity'], // missing final NUL
    ['2026-12\0tel:+4670\0\0', 'E_IDENTITY identity'],
    ['2026-12tel:+4670\0', 'E_IDENTITY identity'],
    ['2026-1\0tel:+4670\0', 'E_IDENTITY period'],
    ['2026-12\0tel:4670\0', 'E_IDENTITY tel number'],
    ['2026-12\0sip:alice@example.net\0', 'E_IDENTITY identity'],
    ['2026-12\0keyward:channel:00112233445566778899AABBCCDDEEFF\0', 'E_IDENTITY channel id'],
    ['2026-12\0keyward:channel:0011\0', 'E_IDENTITY channel id'],
    ['2026-12\0tel:+46\n70\0', 'E_IDENTITY identity'],
  ];
  for (const [text, want] of cases)
    it(JSON.stringify(text), () => {
      expect(codeOf(() => parseIdentity(enc(text))) ?? '').toBe(want);
    });
});
