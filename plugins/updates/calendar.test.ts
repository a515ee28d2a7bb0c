import { describe, expect, it } from 'vitest';
import { Period } from '../../src/crypto/index.js';
import { deadlineFor, reminderCalendar } from './calendar.js';

/** The day BYMONTHDAY=-4 names in `year`/`month` (RFC 5545 §3.3.10: negative counts from the month's end). */
function fourthLast(year: number, month: number): string {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate(); // day 0 of the next month = this month's last
  return `${year}-${String(month).padStart(2, '0')}-${days - 3}`;
}

describe('update deadline', () => {
  it('is the manual’s example: for May 2013, before 27 April 2013', () => {
    expect(deadlineFor(Period.parse('2013-05'))).toBe('2013-04-27');
  });

  it('follows month lengths and leap years', () => {
    expect(deadlineFor(Period.parse('2024-03'))).toBe('2024-02-26');
    expect(deadlineFor(Period.parse('2025-03'))).toBe('2025-02-25');
    expect(deadlineFor(Period.parse('2027-01'))).toBe('2026-12-28');
    expect(deadlineFor(Period.parse('2026-07'))).toBe('2026-06-27');
  });
});

describe('reminder calendar', () => {
  const ics = reminderCalendar(Period.parse('2026-12'), { uid: 'keyward-monthly-update-ACC@keyward', stamp: new Date('2026-12-02T10:15:00.500Z'), securityDomain: 'test.example' });
  const lines = ics.replace(/\r\n /g, '').split('\r\n');

  it('is one monthly all-day event on the deadline day with an alarm the day before, in CRLF lines of at most 75 octets', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(lines.slice(0, 5)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Keyward//Monthly key update reminder//EN', 'CALSCALE:GREGORIAN', 'BEGIN:VEVENT']);
    expect(lines).toContain('UID:keyward-monthly-update-ACC@keyward');
    expect(lines).toContain('DTSTAMP:20261202T101500Z');
    // The first reminder is the deadline of the next month's file: January 2027 → 28 December 2026.
    expect(lines).toContain('DTSTART;VALUE=DATE:20261228');
    expect(lines).toContain('RRULE:FREQ=MONTHLY;BYMONTHDAY=-4');
    expect(lines.filter((l) => l === 'BEGIN:VALARM' || l === 'END:VALARM')).toHaveLength(2);
    expect(lines).toContain('TRIGGER:-PT15H');
    expect(lines).toContain('ACTION:DISPLAY');
    expect(lines.find((l) => l.startsWith('SUMMARY:'))).toBe('SUMMARY:Keyward (test.example): send the monthly key update to the CRS before today');
    expect(lines.find((l) => l.startsWith('DESCRIPTION:Generate'))).toContain('Monthly key updates');
    expect(lines.slice(-3)).toEqual(['END:VEVENT', 'END:VCALENDAR', '']);
  });

  it('recurs on every month’s deadline day whatever the month’s length', () => {
    expect(fourthLast(2024, 2)).toBe('2024-02-26');
    for (let m = 1; m <= 24; m++) {
      const year = 2027 + Math.floor((m - 1) / 12);
      const month = ((m - 1) % 12) + 1;
      // The rule's day in this month is the deadline of the next month's file.
      expect(fourthLast(year, month)).toBe(deadlineFor(Period.from(year, month).next()));
    }
  });
});
