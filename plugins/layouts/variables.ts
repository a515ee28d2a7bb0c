/**
 * The manual's layout variables ("Customisation of initiation letters"): `$FULLNAME`, `$URI`,
 * `$12HOURS`, … expanded in layouts and in their editable text fields. Pure code with no Node
 * imports, so the layout editor in the renderer shows the same list and examples.
 */

/** What a letter or certificate is rendered from. Extra keys are passed to the template as they are. */
export interface LetterData {
  /** The recipient: a full name ("John Göran Smith") or first and last name as stored for users. */
  person?: { fullName: string } | { firstName: string; lastName: string };
  /** The recipient's URI, `+46001` or `tel:+46001` ($URI shows the number). */
  uri: string;
  crs: { address: string; account: string };
  /** The Security Domain name. */
  domain: string;
  /** The crypto period of the keys, `YYYY-MM`. */
  period: string;
  ownDomainId: string;
  ownDomainFingerprint: string;
  /** QR codes as data: URLs, by name, for `{{qr "name"}}`. */
  qr?: Record<string, string>;
  [key: string]: unknown;
}

/** One variable: its name without `$`, the manual's group, and what it stands for. */
export interface VariableInfo {
  name: string;
  group: 'Name' | 'Crypto' | 'Time';
  description: string;
}

/** The manual's table, in its order. Time variables are the moment of rendering (the export date). */
export const VARIABLES: readonly VariableInfo[] = [
  { name: 'FULLNAME', group: 'Name', description: 'Full name of the recipient' },
  { name: 'FIRSTNAME', group: 'Name', description: 'First name' },
  { name: 'MIDDLENAMES', group: 'Name', description: 'Names between the first and the last' },
  { name: 'LASTNAME', group: 'Name', description: 'Last name' },
  { name: 'SURNAME', group: 'Name', description: 'Last name (same as $LASTNAME)' },
  { name: 'URI', group: 'Crypto', description: 'Number (URI) of the recipient' },
  { name: 'CRSACCOUNT', group: 'Crypto', description: 'Account ID of this system on the CRS' },
  { name: 'CRSADDRESS', group: 'Crypto', description: 'Address of the CRS' },
  { name: 'DOMAIN', group: 'Crypto', description: 'Security Domain name' },
  { name: 'PERIOD', group: 'Crypto', description: 'Crypto period of the keys (YYYY-MM)' },
  { name: 'CRYPTOMONTH', group: 'Crypto', description: 'Month of the crypto period, in words' },
  { name: 'OWN-DOMAIN-ID', group: 'Crypto', description: 'Id of this Security Domain' },
  { name: 'OWN-DOMAIN-FINGERPRINT', group: 'Crypto', description: 'Fingerprint of this Security Domain' },
  { name: 'YEAR', group: 'Time', description: 'Year' },
  { name: 'SINGLEYEAR', group: 'Time', description: 'Year in two digits, without a leading zero' },
  { name: 'MONTH', group: 'Time', description: 'Month, two digits' },
  { name: 'SINGLEMONTH', group: 'Time', description: 'Month without a leading zero' },
  { name: 'THEMONTH', group: 'Time', description: 'Month in words' },
  { name: 'MMMM', group: 'Time', description: 'Month in words' },
  { name: 'MMM', group: 'Time', description: 'Month, abbreviated' },
  { name: 'MM', group: 'Time', description: 'Month, two digits' },
  { name: 'M', group: 'Time', description: 'Month without a leading zero' },
  { name: 'WEEKDAY', group: 'Time', description: 'Day of the week' },
  { name: 'DAY', group: 'Time', description: 'Day of the month, two digits' },
  { name: 'SINGLEDAY', group: 'Time', description: 'Day of the month without a leading zero' },
  { name: 'DAYSUFFIX', group: 'Time', description: 'Ordinal suffix of the day (st, nd, rd, th)' },
  { name: 'HOURS', group: 'Time', description: 'Hour, 24-hour clock' },
  { name: '12HOURS', group: 'Time', description: 'Hour, 12-hour clock, two digits' },
  { name: '12SINGLEHOURS', group: 'Time', description: 'Hour, 12-hour clock, without a leading zero' },
  { name: 'MINUTES', group: 'Time', description: 'Minutes' },
  { name: 'SECONDS', group: 'Time', description: 'Seconds' },
  { name: 'AMPM', group: 'Time', description: 'AM or PM' },
  { name: 'ZZZ', group: 'Time', description: 'UTC offset, hours and minutes' },
  { name: 'ZZ', group: 'Time', description: 'UTC offset, hours' },
];

/** Longest first, so `$MMMM` is tried before `$MMM`, `$MM` and `$M` (manual: `$MM` must not eat `$MMMM`). */
const BY_LENGTH = VARIABLES.map((v) => v.name).sort((a, b) => b.length - a.length);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** British abbreviations: the manual's table gives "Sept" for September. */
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** English ordinal suffix: 1st 2nd 3rd 4th … 11th 12th 13th … 21st 22nd 23rd … 31st. */
export function daySuffix(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}

/** A moment and the UTC offset (minutes east) it is shown in. */
export interface Moment {
  date: Date;
  offsetMinutes: number;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The moment to render: a Date is shown in this machine's time zone; an ISO 8601 string with an
 * offset (`2013-09-07T20:23:09+02:00`) keeps that offset, which reproduces the manual's examples.
 */
export function toMoment(now: Date | string = new Date()): Moment {
  if (now instanceof Date) {
    if (Number.isNaN(now.getTime())) throw new RangeError('now: not a valid date');
    return { date: now, offsetMinutes: -now.getTimezoneOffset() };
  }
  const m = ISO_WITH_OFFSET.exec(now);
  const date = new Date(now);
  if (!m || Number.isNaN(date.getTime())) throw new RangeError(`now: "${now}" is not an ISO 8601 time with an offset such as 2013-09-07T20:23:09+02:00`);
  const zone = m[1]!;
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return { date, offsetMinutes };
}

function timeValues({ date, offsetMinutes }: Moment): Record<string, string> {
  // Wall-clock fields at that offset, read with the UTC getters.
  const t = new Date(date.getTime() + offsetMinutes * 60_000);
  const [year, month, day, hours] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours()];
  const hours12 = hours % 12 === 0 ? 12 : hours % 12;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offHours = pad2(Math.floor(Math.abs(offsetMinutes) / 60));
  return {
    YEAR: String(year),
    SINGLEYEAR: String(year % 100),
    MONTH: pad2(month + 1),
    SINGLEMONTH: String(month + 1),
    THEMONTH: MONTHS[month]!,
    MMMM: MONTHS[month]!,
    MMM: MONTHS_SHORT[month]!,
    MM: pad2(month + 1),
    M: String(month + 1),
    WEEKDAY: WEEKDAYS[t.getUTCDay()]!,
    DAY: pad2(day),
    SINGLEDAY: String(day),
    DAYSUFFIX: daySuffix(day),
    HOURS: pad2(hours),
    '12HOURS': pad2(hours12),
    '12SINGLEHOURS': String(hours12),
    MINUTES: pad2(t.getUTCMinutes()),
    SECONDS: pad2(t.getUTCSeconds()),
    AMPM: hours < 12 ? 'AM' : 'PM',
    ZZZ: `${sign}${offHours}:${pad2(Math.abs(offsetMinutes) % 60)}`,
    ZZ: `${sign}${offHours}`,
  };
}

/** First, middle and last names: "John Göran Smith" → John / Göran / Smith; a stored last name is kept whole. */
function nameValues(person: LetterData['person']): Record<string, string> {
  const words = (s: string) => s.trim().split(/\s+/).filter(Boolean);
  let first: string[];
  let last: string;
  if (!person) {
    first = [];
    last = '';
  } else if ('fullName' in person) {
    const all = words(person.fullName);
    first = all.length > 1 ? all.slice(0, -1) : all;
    last = all.length > 1 ? all.at(-1)! : '';
  } else {
    first = words(person.firstName);
    last = words(person.lastName).join(' ');
  }
  return {
    FULLNAME: [...first, last].filter(Boolean).join(' '),
    FIRSTNAME: first[0] ?? '',
    MIDDLENAMES: first.slice(1).join(' '),
    LASTNAME: last,
    SURNAME: last,
  };
}

/** `YYYY-MM` → month name; anything else is shown as given. */
function cryptoMonth(period: string): string {
  const m = /^\d{4}-(\d{2})$/.exec(period);
  return (m && MONTHS[Number(m[1]) - 1]) ?? period;
}

/** Every variable's value (not yet escaped) for this data at this moment. */
export function variableValues(data: LetterData, now?: Date | string): Record<string, string> {
  return {
    ...nameValues(data.person),
    URI: String(data.uri ?? '').replace(/^tel:/, ''),
    CRSACCOUNT: String(data.crs?.account ?? ''),
    CRSADDRESS: String(data.crs?.address ?? ''),
    DOMAIN: String(data.domain ?? ''),
    PERIOD: String(data.period ?? ''),
    CRYPTOMONTH: cryptoMonth(String(data.period ?? '')),
    'OWN-DOMAIN-ID': String(data.ownDomainId ?? ''),
    'OWN-DOMAIN-FINGERPRINT': String(data.ownDomainFingerprint ?? ''),
    ...timeValues(toMoment(now)),
  };
}

/** A piece of text: literal text, a known variable, or an unknown `$WORD` (kept as written). */
export type Piece = { text: string } | { variable: string } | { unknown: string };

/** What looks like a variable: `$` then letters, digits and hyphens (`$12HOURS`, `$OWN-DOMAIN-ID`). */
const WORD = /\$([A-Za-z0-9][A-Za-z0-9-]*)/y;
/** A name may not run on into more capitals or digits: `$MMMMM` and `$MOO` are unknown, not `$MMMM`+`M` or `$M`+`OO`. */
const RUNS_ON = /[A-Z0-9]/;

/**
 * Split text into literal text and variables, longest name first at each `$`. A name followed by
 * lower-case text or punctuation matches (`$SINGLEDAYth`, `$YEAR-$MM`). An unmatched `$` followed by
 * a word with a letter is reported as unknown; `$` before a number or space (`$5`) is plain text.
 */
export function tokenize(text: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('$', i);
    if (at < 0) break;
    literal += text.slice(i, at);
    const name = BY_LENGTH.find((n) => text.startsWith(n, at + 1) && !RUNS_ON.test(text[at + 1 + n.length] ?? ''));
    WORD.lastIndex = at;
    const word = WORD.exec(text)?.[1]?.replace(/-+$/, '');
    if (name) {
      if (literal) pieces.push({ text: literal });
      literal = '';
      pieces.push({ variable: name });
      i = at + 1 + name.length;
    } else if (word && /[A-Za-z]/.test(word)) {
      if (literal) pieces.push({ text: literal });
      literal = '';
      pieces.push({ unknown: '$' + word });
      i = at + 1 + word.length;
    } else {
      literal += '$';
      i = at + 1;
    }
  }
  literal += text.slice(i);
  if (literal) pieces.push({ text: literal });
  return pieces;
}

/** The unknown `$WORD`s in text, each once, in order of appearance. */
export function unknownVariables(text: string): string[] {
  const found = tokenize(text).flatMap((p) => ('unknown' in p ? [p.unknown] : []));
  return [...new Set(found)];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

/** Escape text for HTML content and quoted attributes (the same set Handlebars escapes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Plain text with variables expanded, as HTML: the text and the values are escaped, line breaks
 * become `<br>`. What `{{field "name"}}` shows.
 */
export function expandToHtml(text: string, values: Record<string, string>): string {
  return tokenize(text)
    .map((p) => escapeHtml('variable' in p ? values[p.variable]! : 'unknown' in p ? p.unknown : p.text))
    .join('')
    .replace(/\r?\n/g, '<br>\n');
}

/** The manual's example data: what the editor's preview and variable list show. */
export const SAMPLE_DATA: LetterData = {
  person: { fullName: 'John Göran Smith' },
  uri: '+46001',
  crs: { address: 'crs.example.net', account: 'DEMOACCOUNT_1' },
  domain: 'domain.example.net',
  period: '2013-09',
  ownDomainId: '0246 ABEF',
  ownDomainFingerprint: 'E3B0 C442 98FC 1C14 9AFB F4C8 996F B924 27AE 41E4 649B 934C A495 991B 7852 B855',
};

/** The manual's example time for the time variables. */
export const SAMPLE_NOW = '2013-09-07T20:23:09+02:00';
