/**
 * The worked example of docs/formats.md, "Monthly update file", byte for byte from the test-only
 * fixture, and the reader's strictness on authentic but malformed files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleParts, fx } from './example.testkit.js';
import { crsMacKey, encodeUpdateFile, entryAad, entryKey, openEntry, readUpdateFile, sealEntry } from './format.js';
import { inspectUpdateFile } from './inspect.js';
import type { CrsPart } from './types.js';

const key = Buffer.from(fx.updateKey, 'hex');
const binding = { account: fx.account, months: fx.months, endpoint: fx.endpoint };

describe('monthly update file: the worked example', () => {
  const { crs, entry } = exampleParts();
  const sealed = sealEntry(key, binding, entry, Buffer.from(fx.nonce, 'hex'));
  const file = encodeUpdateFile(crs, [sealed], fx.crsSecret);

  it('derives the documented keys and AAD', () => {
    expect(crsMacKey(fx.crsSecret, fx.account).toString('hex')).toBe(fx.derived.crsMacKey);
    expect(entryKey(key, fx.endpoint).toString('hex')).toBe(fx.derived.entryKey);
    expect(entryAad(binding).toString('hex')).toBe(fx.derived.aad);
  });

  it('encodes to the documented bytes', () => {
    expect(JSON.stringify(crs)).toBe(fx.crsPartJson);
    expect(JSON.stringify(entry)).toBe(fx.entryJson);
    expect(sealed.subarray(sealed.length - 16).toString('hex')).toBe(fx.derived.tag);
    expect(file.toString('hex')).toBe(fx.fileHex);
  });

  it('is what docs/formats.md shows', () => {
    const docs = readFileSync(new URL('../../docs/formats.md', import.meta.url), 'utf8');
    const start = docs.indexOf('## Monthly update file');
    const end = docs.indexOf('\n## ', start + 1);
    const section = docs.slice(start, end < 0 ? undefined : end);
    const blocks = [...section.matchAll(/```(?:json)?\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.at(-1)!.replace(/\s+/g, '')).toBe(fx.fileHex);
    expect(blocks).toContain(`${fx.crsPartJson}\n`);
    expect(JSON.stringify(JSON.parse(blocks.at(-2)!))).toBe(fx.entryJson);
    for (const v of Object.values(fx.derived) as string[]) expect(section.replace(/\n\s+/g, '')).toContain(v);
  });

  it('reads back: authentic, the entry opens with its key and every key checks', () => {
    const r = inspectUpdateFile(file, fx.crsSecret, { endpoint: '+46706764287', updateKey: key });
    expect(r.crs).toEqual(crs);
    expect(r.entry!.valid).toBe(true);
    expect(r.entry!.checks).toHaveLength(2);
    expect(openEntry(key, binding, readUpdateFile(file, fx.crsSecret).entries[0]!)).toEqual(entry);
  });

  it('binds an entry to its account, months and endpoint', () => {
    for (const other of [{ ...binding, account: 'OTHER' }, { ...binding, months: ['2027-01', '2027-02'] }, { ...binding, endpoint: 'tel:+46706764288' }]) {
      expect(() => openEntry(key, other, sealed)).toThrow(expect.objectContaining({ code: 'E_UPDATE_KEY' }));
    }
  });

  it('refuses an authentic file that is malformed, naming the field', () => {
    const bad = (c: Partial<CrsPart>, entries = [sealed]) => () => readUpdateFile(encodeUpdateFile({ ...crs, ...c } as CrsPart, entries, fx.crsSecret), fx.crsSecret);
    expect(bad({ months: ['2026-13', '2027-01'] })).toThrow(expect.objectContaining({ code: 'E_UPDATE_FORMAT', details: { field: 'crsPart.months' } }));
    expect(bad({ format: 'other' as never })).toThrow(expect.objectContaining({ code: 'E_UPDATE_FORMAT' }));
    expect(() => readUpdateFile(Buffer.from('not an update file at all, no magic here........'), fx.crsSecret)).toThrow(expect.objectContaining({ code: 'E_UPDATE_FORMAT' }));
  });
});
