import { describe, expect, it } from 'vitest';
import { describeDuration, formatDuration, parseDuration } from './lifetime.js';

describe('durations', () => {
  it('reads whole numbers of days, hours, minutes or seconds', () => {
    expect(parseDuration('30d')).toBe(2_592_000);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration(' 90M ')).toBe(5400);
    expect(parseDuration('3600s')).toBe(3600);
    for (const bad of ['', '30', 'd', '1.5h', '-1h', '30 days', '1w', '1h30m']) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it('writes them in the largest unit that divides, and in words', () => {
    expect([2_592_000, 43_200, 5400, 3601].map(formatDuration)).toEqual(['30d', '12h', '90m', '3601s']);
    expect(describeDuration(31_536_000)).toBe('365 days');
    expect(describeDuration(3600)).toBe('1 hour');
    expect(describeDuration(5400)).toBe('1 hour 30 minutes');
  });
});
