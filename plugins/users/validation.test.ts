import { describe, expect, it } from 'vitest';
import { COMMENT_MAX, NAME_MAX, checkNumber, checkText, userFields } from './validation.js';

describe('checkNumber', () => {
  it('removes spaces and dashes and accepts any country plan, private ones too', () => {
    const ok: [string, string][] = [
      ['+46706764287', '+46706764287'],
      ['+44777666555', '+44777666555'], // the manual's example
      ['+8888', '+8888'], // the manual's gateway
      ['+1', '+1'],
      ['+46 70-676 42 87', '+46706764287'],
      ['+46\u00a070\u2013676', '+4670676'],
      ['+123456789012345', '+123456789012345'], // 15 digits, the E.164 maximum
    ];
    for (const [input, want] of ok) expect(checkNumber(input), input).toEqual({ ok: true, value: want });
  });

  it('refuses with a reason: no "+", letters, too long, leading 0, empty', () => {
    const bad: [unknown, RegExp][] = [
      ['46706764287', /international format, starting with "\+"/],
      ['0046706764287', /starting with "\+"/],
      ['+46 70 ABC', /only digits/],
      ['+46(70)123', /only digits/],
      ['++46', /only digits/],
      ['+1234567890123456', /at most 15 digits/],
      ['+0461234', /0 right after the "\+"/],
      ['+', /only digits/],
      ['  ', /is required/],
      [46706764287, /must be text/],
    ];
    for (const [input, reason] of bad) {
      const r = checkNumber(input);
      expect(r.ok, String(input)).toBe(false);
      expect((r as { reason: string }).reason).toMatch(reason);
    }
  });
});

describe('checkText', () => {
  it("refuses the manual's forbidden characters \" , ' ; and tab, and line breaks", () => {
    for (const bad of ['a"b', 'a,b', "O'Neil", 'a;b', 'a\tb', 'a\nb', 'a\rb', 'a\u2028b']) {
      expect(checkText(bad, 'firstName').ok, JSON.stringify(bad)).toBe(false);
    }
    expect(checkText('a;b', 'comment')).toEqual({ ok: false, reason: expect.stringContaining('must not contain ;') });
  });

  it('trims, keeps any script, allows empty, and bounds the length', () => {
    expect(checkText('  Åsa Öberg-Ñúñez  ', 'lastName')).toEqual({ ok: true, value: 'Åsa Öberg-Ñúñez' });
    expect(checkText('李 小龙', 'firstName')).toEqual({ ok: true, value: '李 小龙' });
    expect(checkText(undefined, 'comment')).toEqual({ ok: true, value: '' });
    expect(checkText('x'.repeat(NAME_MAX), 'firstName').ok).toBe(true);
    expect(checkText('x'.repeat(NAME_MAX + 1), 'firstName').ok).toBe(false);
    expect(checkText('x'.repeat(COMMENT_MAX), 'comment').ok).toBe(true);
    expect(checkText('x'.repeat(COMMENT_MAX + 1), 'comment').ok).toBe(false);
    expect(checkText(7, 'comment')).toEqual({ ok: false, reason: 'must be text' });
  });
});

describe('userFields', () => {
  it('needs a first or a last name and names the first bad field', () => {
    expect(userFields({ firstName: 'Bob', mobile: '+44999888777' })).toEqual({ firstName: 'Bob', lastName: '', mobile: '+44999888777', comment: '' });
    expect(userFields({ lastName: 'Doe', mobile: '+1' }).lastName).toBe('Doe');
    expect(() => userFields({ mobile: '+1' })).toThrow(/^firstName: a first or a last name is required$/);
    expect(() => userFields({ firstName: 'A', mobile: '070' })).toThrow(/^mobile: /);
  });
});
