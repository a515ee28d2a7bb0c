import { describe, expect, it } from 'vitest';
import { generateEccsiMasterKeys, generateSakkeMasterKeys } from '../../src/crypto/index.js';
import { encodeCertificate } from './certificate.js';
import { encodeRows, parseRow, ROW_ALPHABET, RowError } from './rows.js';

const CERT = encodeCertificate({
  securityDomain: 'Ministry of Defence',
  kpak: generateEccsiMasterKeys().kpak,
  Z: generateSakkeMasterKeys().Z,
  created: new Date('2026-11-25T18:00:00Z'),
});
const ROWS = encodeRows(CERT);

/** The characters of a row after its number, and the row put back together. */
const charsOf = (row: string) => [...row.slice(row.indexOf(':') + 1).replace(/\s/g, '')];
const rejects = (index: number, text: string) => {
  try {
    parseRow(index, text);
    return false;
  } catch (err) {
    if (!(err instanceof RowError)) throw err;
    return true;
  }
};

describe('certificate rows', () => {
  it('carry the certificate bytes, 15 a row, numbered, in groups of four with one check character', () => {
    expect(ROWS).toHaveLength(Math.ceil(CERT.length / 15));
    expect(ROWS[0]).toMatch(/^01: ([0-9A-HJKMNP-TV-Z]{4} ){6}[0-9A-HJKMNP-TV-Z]$/);
    const back = Buffer.concat(ROWS.map((r, i) => parseRow(i + 1, r)));
    expect(new Uint8Array(back)).toEqual(CERT);
  });

  it('accept typing variants: no number, no spaces, lower case, I/L for 1 and O for 0', () => {
    const row = ROWS[3]!;
    const bare = charsOf(row).join('');
    expect(parseRow(4, bare)).toEqual(parseRow(4, row));
    expect(parseRow(4, bare.toLowerCase())).toEqual(parseRow(4, row));
    if (bare.includes('1')) expect(parseRow(4, bare.replace(/1/g, 'l'))).toEqual(parseRow(4, row));
    if (bare.includes('0')) expect(parseRow(4, bare.replace(/0/g, 'O'))).toEqual(parseRow(4, row));
  });

  it('catch every single mistyped character in every row of a real certificate', () => {
    let tried = 0;
    ROWS.forEach((row, r) => {
      const chars = charsOf(row);
      chars.forEach((original, i) => {
        for (const typo of ROW_ALPHABET) {
          if (typo === original) continue;
          const wrong = chars.slice();
          wrong[i] = typo;
          expect(rejects(r + 1, wrong.join('')), `row ${r + 1}, position ${i}: ${original}→${typo}`).toBe(true);
          tried++;
        }
      });
    });
    expect(tried).toBe(ROWS.reduce((n, row) => n + charsOf(row).length * 31, 0));
  });

  it('catch every swap of two different neighbours, the check character included', () => {
    let tried = 0;
    ROWS.forEach((row, r) => {
      const chars = charsOf(row);
      for (let i = 0; i + 1 < chars.length; i++) {
        if (chars[i] === chars[i + 1]) continue;
        const swapped = chars.slice();
        [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
        expect(rejects(r + 1, swapped.join('')), `row ${r + 1}, positions ${i} and ${i + 1}`).toBe(true);
        tried++;
      }
    });
    expect(tried).toBeGreaterThan(ROWS.length * 15);
  });

  it('catch a right row typed in the wrong place, a missing or extra character, and foreign characters', () => {
    for (let r = 1; r < ROWS.length; r++) expect(rejects(r + 1, charsOf(ROWS[r - 1]!).join('')), `row ${r} as row ${r + 1}`).toBe(true);
    expect(() => parseRow(2, ROWS[0]!)).toThrow('Row 2: this is row 1; type row 2 here');
    const chars = charsOf(ROWS[0]!);
    expect(rejects(1, chars.slice(1).join(''))).toBe(true);
    expect(rejects(1, chars.join('') + 'A')).toBe(true);
    expect(() => parseRow(1, chars.join('').replace(/^./, 'U'))).toThrow('Row 1: "U" is not one of the row characters');
    expect(() => parseRow(1, '')).toThrow('Row 1: is empty');
  });
});
