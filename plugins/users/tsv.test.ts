import { describe, expect, it } from 'vitest';
import { formatUserFile, parseUserFile } from './tsv.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseUserFile', () => {
  it("reads the manual's example, with and without the tab before an empty comment", () => {
    const text = 'John\tDoe\t+44777666555\tProject Alpha\nDana\tDoe\t+44999888777\t\nBob\t\t+44999888778\n';
    const { users, errors } = parseUserFile('users.txt', enc(text));
    expect(errors).toEqual([]);
    expect(users).toEqual([
      { line: 1, firstName: 'John', lastName: 'Doe', mobile: '+44777666555', comment: 'Project Alpha' },
      { line: 2, firstName: 'Dana', lastName: 'Doe', mobile: '+44999888777', comment: '' },
      { line: 3, firstName: 'Bob', lastName: '', mobile: '+44999888778', comment: '' },
    ]);
  });

  it('accepts a UTF-8 BOM, CRLF, blank lines and empty spreadsheet rows, keeping line numbers', () => {
    const text = '\ufeffÅsa\tÖberg\t+46 70-111 11 11\t\r\n\r\n\t\t\t\r\n   \r\nLi\tWei\t+8613800000000\tBeijing office\r\n';
    const { users, errors } = parseUserFile('x.TXT', enc(text));
    expect(errors).toEqual([]);
    expect(users.map((u) => [u.line, u.firstName, u.mobile])).toEqual([
      [1, 'Åsa', '+46701111111'],
      [5, 'Li', '+8613800000000'],
    ]);
  });

  it('reports every bad line: column count, forbidden character, bad number, duplicate, invalid UTF-8', () => {
    const bytes = new Uint8Array([
      ...enc('A\tB\t+4611\tx\textra\n'), // 1: five columns
      ...enc('A\tB\n'), // 2: two columns
      ...enc('A,\tB;\t+4612\t"q"\n'), // 3: three bad fields
      ...enc('A\tB\t4613\t\n'), // 4: no "+"
      ...enc('A\tB\t+4614\t\n'), // 5: good
      ...enc('C\tD\t+46-14\t\n'), // 6: duplicate of line 5 once dashes are removed
      ...[0x41, 0x09, 0xff, 0xfe, 0x09, 0x2b, 0x31, 0x09, 0x0a], // 7: invalid UTF-8
      ...enc('\t\t+4615\t\n'), // 8: no name
    ]);
    const { users, errors } = parseUserFile('bad.txt', bytes);
    expect(users.map((u) => u.line)).toEqual([5]);
    expect(errors).toEqual([
      { line: 1, reason: expect.stringContaining('has 5 columns; expected 4') },
      { line: 2, reason: expect.stringContaining('has 2 columns') },
      { line: 3, column: 1, field: 'firstName', reason: expect.stringContaining('first name must not contain ,') },
      { line: 3, column: 2, field: 'lastName', reason: expect.stringContaining('last name must not contain ;') },
      { line: 3, column: 4, field: 'comment', reason: expect.stringContaining('comment must not contain "') },
      { line: 4, column: 3, field: 'mobile', reason: expect.stringContaining('international format') },
      { line: 6, column: 3, field: 'mobile', reason: '+4614 is also on line 5' },
      { line: 7, reason: expect.stringContaining('not valid UTF-8') },
      { line: 8, column: 1, field: 'firstName', reason: 'a first or a last name is required' },
    ]);
  });

  it('refuses a file that is not .txt, or holds no users', () => {
    expect(parseUserFile('users.csv', enc('A\tB\t+1\t\n')).errors).toEqual([{ line: 0, reason: expect.stringContaining('not a .txt file') }]);
    expect(parseUserFile('users.txt', enc('\r\n\n')).errors).toEqual([{ line: 0, reason: 'the file holds no users' }]);
  });
});

describe('formatUserFile', () => {
  it('writes four columns per user and reads back unchanged', () => {
    const users = [
      { firstName: 'John', lastName: 'Doe', mobile: '+44777666555', comment: 'Project Alpha' },
      { firstName: 'Bob', lastName: '', mobile: '+8888', comment: '' },
    ];
    const text = formatUserFile(users);
    expect(text).toBe('John\tDoe\t+44777666555\tProject Alpha\nBob\t\t+8888\t\n');
    const back = parseUserFile('users.txt', enc(text));
    expect(back.errors).toEqual([]);
    expect(back.users.map(({ line: _line, ...u }) => u)).toEqual(users);
  });
});
