/**
 * When the update file must reach the CRS (manual, "Monthly key updates": "at least 3 days before
 * the start of the month, e.g. for May 2013 the update file shall be sent before the 27th of
 * April 2013") and a calendar file reminding the administrator every month.
 */
import { Period } from '../../src/crypto/index.js';

/** Days between the deadline and the first day of the month: 1 May − 4 days = 27 April, the manual's example. */
const DAYS_BEFORE = 4;

/** The date (`YYYY-MM-DD`) before which the file for `month` must be sent. */
export function deadlineFor(month: Period): string {
  const first = Date.UTC(month.year, month.month - 1, 1);
  return new Date(first - DAYS_BEFORE * 86_400_000).toISOString().slice(0, 10);
}

/**
 * An iCalendar file (RFC 5545) with one all-day event repeating monthly on the deadline day —
 * the fourth-last day of every month (`BYMONTHDAY=-4`: 27 April, 28 May, 25 February), so
 * month lengths need no special case — with an alarm at 09:00 the day before.
 * `from`: the first month with a reminder; `uid` makes re-imports replace the event.
 */
export function reminderCalendar(from: Period, opts: { uid: string; stamp: Date; securityDomain: string }): string {
  const first = deadlineFor(from.next()).replaceAll('-', '');
  const stamp = opts.stamp.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Keyward//Monthly key update reminder//EN',
    'CALSCALE:GREGORIAN',
    'BEGIN:VEVENT',
    `UID:${opts.uid}`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${first}`,
    'RRULE:FREQ=MONTHLY;BYMONTHDAY=-4',
    `SUMMARY:${text(`Keyward (${opts.securityDomain}): send the monthly key update to the CRS before today`)}`,
    `DESCRIPTION:${text('Generate the update file in Keyward (Update menu) and send it to the CRS host: it must arrive at least 3 days before the next month starts (manual, "Monthly key updates").')}`,
    'TRANSP:TRANSPARENT',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${text('Keyward monthly key update due tomorrow')}`,
    'TRIGGER:-PT15H',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newline escaped. */
function text(s: string): string {
  return s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let rest = line;
  let limit = 75;
  while (Buffer.byteLength(rest, 'utf8') > limit) {
    let cut = limit;
    while (Buffer.byteLength(rest.slice(0, cut), 'utf8') > limit) cut--;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    limit = 74; // continuation lines start with a space
  }
  parts.push(rest);
  return parts.join('\r\n ');
}
