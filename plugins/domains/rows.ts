/**
 * The certificate as numbered rows for typing by hand (docs/formats.md, "Domain certificate rows").
 *
 * Each row carries up to 15 certificate bytes as Crockford base32 (24 characters, in groups of
 * four) and one check character. The check is the Damm algorithm over the quasigroup
 * x∘d = 2·x + d in GF(32) (x⁵ + x² + 1): since d ↦ x∘d and x ↦ x∘d are bijections, any single
 * changed character changes the result; since 2·(2c+x)+y = 2·(2c+y)+x only when 3·x = 3·y,
 * i.e. x = y, any swap of two different neighbours does too. The row number is fed in first, so
 * a right row typed in the wrong place is refused as well.
 *
 * Pure code with no Node imports: the renderer can check a row before asking the kernel.
 */

/** Crockford's base32: no I, L, O or U, so they can be read as 1, 1 and 0 (https://www.crockford.com/base32.html). */
export const ROW_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Certificate bytes per row: 15 bytes = 120 bits = 24 base32 characters. */
export const ROW_BYTES = 15;

/** A row that cannot be right; the message says what to look at. */
export class RowError extends Error {
  override readonly name = 'RowError';
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`Row ${index}: ${message}`);
  }
}

/** Multiplication by 2 (the polynomial x) in GF(32) modulo x⁵ + x² + 1 (primitive, so 2 ≠ 0, 1). */
const times2 = (c: number) => ((c << 1) ^ (c & 0x10 ? 0x25 : 0)) & 0x1f;
/** One Damm step: the quasigroup operation c∘d = 2c + d (addition in GF(32) is XOR). */
const step = (c: number, d: number) => times2(c) ^ d;

/** Damm state after the row number (two base32 digits, high first) and the given digits. */
function damm(index: number, digits: readonly number[]): number {
  let c = step(step(0, (index >> 5) & 31), index & 31);
  for (const d of digits) c = step(c, d);
  return c;
}

/** Base32 characters needed for n bytes (RFC 4648 §6 without padding). */
const charsFor = (n: number) => Math.ceil((n * 8) / 5);

/** Characters typed for a row of n bytes: the data and the check character (25 for a full row). */
export function rowCharacters(n: number): number {
  return charsFor(n) + 1;
}

function toBase32(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((acc >> bits) & 31);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out.push((acc << (5 - bits)) & 31);
  return out;
}

/** One row as printed: `07: ABCD EFGH JKMN PQRS TVWX YZ01 K` (number, data in fours, check). */
function formatRow(index: number, digits: number[]): string {
  const check = times2(damm(index, digits));
  const data = digits.map((d) => ROW_ALPHABET[d]).join('').match(/.{1,4}/g)!.join(' ');
  return `${String(index).padStart(2, '0')}: ${data} ${ROW_ALPHABET[check]}`;
}

/** The certificate as rows, numbered from 1. */
export function encodeRows(bytes: Uint8Array): string[] {
  const rows: string[] = [];
  for (let i = 0; i * ROW_BYTES < bytes.length; i++) {
    rows.push(formatRow(i + 1, toBase32(bytes.subarray(i * ROW_BYTES, (i + 1) * ROW_BYTES))));
  }
  return rows;
}

/**
 * Check one typed row and return its bytes. Spaces and dashes are ignored, case does not matter,
 * I and L are read as 1 and O as 0; a leading `NN:` must be this row's number.
 * @param expectedBytes when known (from row 1), how many bytes this row must carry.
 * @throws RowError naming the row and what is wrong.
 */
export function parseRow(index: number, text: string, expectedBytes?: number): Uint8Array {
  if (!Number.isInteger(index) || index < 1 || index > 1023) throw new RowError(index, 'the row number must be 1 to 1023');
  let body = text.trim();
  const numbered = /^(\d+)\s*[:.]/.exec(body);
  if (numbered) {
    if (Number(numbered[1]) !== index) throw new RowError(index, `this is row ${Number(numbered[1])}; type row ${index} here`);
    body = body.slice(numbered[0].length);
  }
  const chars = body.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!chars) throw new RowError(index, 'is empty');
  const bad = [...chars].find((ch) => !ROW_ALPHABET.includes(ch));
  if (bad !== undefined) throw new RowError(index, `"${bad}" is not one of the row characters (0-9 and A-Z without I, L, O, U)`);
  const digits = [...chars].map((ch) => ROW_ALPHABET.indexOf(ch));
  const data = digits.slice(0, -1);
  const byteCount = Math.floor((data.length * 5) / 8);
  if (byteCount < 1 || byteCount > ROW_BYTES || charsFor(byteCount) !== data.length) {
    throw new RowError(index, `has ${chars.length} characters; a row has ${rowCharacters(ROW_BYTES)} (fewer only in the last row)`);
  }
  if (expectedBytes !== undefined && byteCount !== expectedBytes) {
    throw new RowError(index, `has ${chars.length} characters; this row has ${rowCharacters(expectedBytes)}`);
  }
  if (damm(index, digits) !== 0) throw new RowError(index, 'the checksum does not match: a character is mistyped or two are swapped');
  const bytes = fromBase32(data, byteCount);
  if (!bytes) throw new RowError(index, 'the last character before the check holds bits that must be zero');
  return bytes;
}

function fromBase32(digits: number[], byteCount: number): Uint8Array | undefined {
  const out = new Uint8Array(byteCount);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const d of digits) {
    acc = (acc << 5) | d;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  return acc === 0 ? out : undefined; // canonical: the padding bits are zero
}

/** How many bytes row `index` (from 1) carries in a certificate of `total` bytes. */
export function rowBytes(index: number, total: number): number {
  return Math.max(0, Math.min(ROW_BYTES, total - (index - 1) * ROW_BYTES));
}

/** How many rows a certificate of `total` bytes takes. */
export function rowCount(total: number): number {
  return Math.ceil(total / ROW_BYTES);
}
