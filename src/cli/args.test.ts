import { describe, expect, it } from 'vitest';
import { checkOptions, parseArgs } from './args.js';
import { findCommand } from './commands.js';
import { formatHuman } from './output.js';

describe('parseArgs', () => {
  it('takes options anywhere, in both spellings, and words in order', () => {
    const p = parseArgs(['--data-dir', '/d', 'log', '--limit=5', 'list', '--json']);
    expect(p.words).toEqual(['log', 'list']);
    expect([...p.options]).toEqual([['data-dir', '/d'], ['limit', '5'], ['json', true]]);
    expect(parseArgs(['run', '--', '--not-an-option']).words).toEqual(['run', '--not-an-option']);
  });

  it('refuses unknown, repeated, value-less and valued-flag options', () => {
    expect(() => parseArgs(['--nope'])).toThrow('unknown option --nope');
    expect(() => parseArgs(['-x'])).toThrow('unknown option -x');
    expect(() => parseArgs(['--json', '--json'])).toThrow('--json is given twice');
    expect(() => parseArgs(['--limit'])).toThrow('--limit needs a value');
    expect(() => parseArgs(['--limit', '--json'])).toThrow('--limit needs a value');
    expect(() => parseArgs(['--json=yes'])).toThrow('--json takes no value');
  });

  it('refuses options the command does not take', () => {
    const p = parseArgs(['status', '--limit', '3']);
    expect(() => checkOptions(p, findCommand(p.words)!.command.options, ['status'])).toThrow('keyward status does not take --limit');
  });
});

describe('findCommand', () => {
  it('matches the longest command and at most one operand', () => {
    expect(findCommand(['log', 'verify'])!.command.words).toEqual(['log', 'verify']);
    expect(findCommand(['run', 'domain.show'])!.operand).toBe('domain.show');
    expect(findCommand(['nope'])).toBeUndefined();
    expect(() => findCommand(['status', 'extra'])).toThrow('unexpected "extra" after keyward status');
  });
});

describe('formatHuman', () => {
  it('renders nested results as indented key: value lines', () => {
    expect(formatHuman({ crs: { address: 'a', secretSet: true }, list: [1, 'x'], none: null, empty: [] })).toBe(
      'crs:\n  address: a\n  secretSet: true\nlist:\n  - 1\n  - x\nnone:\nempty: []',
    );
  });
});
