import { describe, expect, it } from 'vitest';
import {
  SAMPLE_DATA,
  SAMPLE_NOW,
  VARIABLES,
  daySuffix,
  expandToHtml,
  tokenize,
  toMoment,
  unknownVariables,
  variableValues,
} from './variables.js';

/** The manual's table ("Customisation of initiation letters"), every row, for 2013-09-07T20:23:09+02:00. */
const MANUAL_TABLE: Record<string, string> = {
  FULLNAME: 'John Göran Smith',
  FIRSTNAME: 'John',
  MIDDLENAMES: 'Göran',
  LASTNAME: 'Smith',
  SURNAME: 'Smith',
  URI: '+46001',
  CRSACCOUNT: 'DEMOACCOUNT_1',
  CRSADDRESS: 'crs.example.net',
  DOMAIN: 'domain.example.net',
  PERIOD: '2013-09',
  CRYPTOMONTH: 'September',
  'OWN-DOMAIN-ID': '0246 ABEF',
  'OWN-DOMAIN-FINGERPRINT': 'E3B0 C442 98FC 1C14 9AFB F4C8 996F B924 27AE 41E4 649B 934C A495 991B 7852 B855',
  YEAR: '2013',
  SINGLEYEAR: '13',
  MONTH: '09',
  SINGLEMONTH: '9',
  THEMONTH: 'September',
  MMMM: 'September',
  MMM: 'Sept',
  MM: '09',
  M: '9',
  WEEKDAY: 'Saturday',
  DAY: '07',
  SINGLEDAY: '7',
  DAYSUFFIX: 'th',
  HOURS: '20',
  '12HOURS': '08',
  '12SINGLEHOURS': '8',
  MINUTES: '23',
  SECONDS: '09',
  AMPM: 'PM',
  ZZZ: '+02:00',
  ZZ: '+02',
};

describe('the manual\'s variables', () => {
  it('lists exactly the manual\'s variables', () => {
    expect(VARIABLES.map((v) => v.name).sort()).toEqual(Object.keys(MANUAL_TABLE).sort());
  });

  it('gives every example value of the manual\'s table', () => {
    expect(variableValues(SAMPLE_DATA, SAMPLE_NOW)).toEqual(MANUAL_TABLE);
  });

  it('expands each variable written in text to the manual\'s example', () => {
    const values = variableValues(SAMPLE_DATA, SAMPLE_NOW);
    for (const [name, example] of Object.entries(MANUAL_TABLE)) {
      expect(expandToHtml(`<$${name}>`, values), name).toBe(`&lt;${example}&gt;`);
    }
  });

  it('matches the longest name first: $MM never eats $MMMM, $DAY never eats $DAYSUFFIX', () => {
    const values = variableValues(SAMPLE_DATA, SAMPLE_NOW);
    expect(expandToHtml('$MMMM|$MMM|$MM|$M', values)).toBe('September|Sept|09|9');
    expect(expandToHtml('$SINGLEDAY$DAYSUFFIX of $THEMONTH $YEAR', values)).toBe('7th of September 2013');
    expect(expandToHtml('$12SINGLEHOURS:$MINUTES $AMPM ($12HOURS) $ZZZ $ZZ', values)).toBe('8:23 PM (08) +02:00 +02');
    expect(expandToHtml('$OWN-DOMAIN-ID / $OWN-DOMAIN-FINGERPRINT', values)).toBe(`0246 ABEF / ${MANUAL_TABLE['OWN-DOMAIN-FINGERPRINT']}`);
    // Punctuation and lower-case text may follow a name; a hyphen after a name is not part of it.
    expect(expandToHtml('$YEAR-$MM-$DAY, $FULLNAME\'s $SINGLEDAYth', values)).toBe('2013-09-07, John Göran Smith&#39;s 7th');
  });

  it('leaves unknown $WORDs as written and reports each once', () => {
    const text = 'Dear $FIRSTNAME $SURNAM, $MOO $MMMMM $fullname $FOO-BAR- $FOO costs $5 and $ 6';
    expect(expandToHtml(text, variableValues(SAMPLE_DATA, SAMPLE_NOW))).toBe(
      'Dear John $SURNAM, $MOO $MMMMM $fullname $FOO-BAR- $FOO costs $5 and $ 6',
    );
    expect(unknownVariables(text)).toEqual(['$SURNAM', '$MOO', '$MMMMM', '$fullname', '$FOO-BAR', '$FOO']);
    expect(unknownVariables('Dear $FULLNAME')).toEqual([]);
  });

  it('tokenises into text, variables and unknown words', () => {
    expect(tokenize('a$URI$X b$')).toEqual([{ text: 'a' }, { variable: 'URI' }, { unknown: '$X' }, { text: ' b$' }]);
  });

  it('escapes the text and every value for HTML, and breaks lines', () => {
    const values = variableValues({ ...SAMPLE_DATA, person: { firstName: '<b>Ann</b> "A"', lastName: "O'Neil & Co" } }, SAMPLE_NOW);
    expect(expandToHtml('<i>$FULLNAME</i>\nline 2 `=', values)).toBe(
      '&lt;i&gt;&lt;b&gt;Ann&lt;/b&gt; &quot;A&quot; O&#39;Neil &amp; Co&lt;/i&gt;<br>\nline 2 &#96;&#61;',
    );
  });
});

describe('names', () => {
  const names = (person: Parameters<typeof variableValues>[0]['person']) => {
    const v = variableValues({ ...SAMPLE_DATA, person }, SAMPLE_NOW);
    return [v.FULLNAME, v.FIRSTNAME, v.MIDDLENAMES, v.LASTNAME, v.SURNAME];
  };
  it('splits first, middle and last names from a full name or stored first and last names', () => {
    expect(names({ firstName: 'John Göran', lastName: 'Smith' })).toEqual(['John Göran Smith', 'John', 'Göran', 'Smith', 'Smith']);
    expect(names({ firstName: 'Anna', lastName: 'van der Berg' })).toEqual(['Anna van der Berg', 'Anna', '', 'van der Berg', 'van der Berg']);
    expect(names({ firstName: 'Bob', lastName: '' })).toEqual(['Bob', 'Bob', '', '', '']);
    expect(names({ fullName: '  Ada  Augusta   King ' })).toEqual(['Ada Augusta King', 'Ada', 'Augusta', 'King', 'King']);
    expect(names({ fullName: 'Cher' })).toEqual(['Cher', 'Cher', '', '', '']);
    expect(names(undefined)).toEqual(['', '', '', '', '']);
  });
  it('shows a tel: URI as the number', () => {
    expect(variableValues({ ...SAMPLE_DATA, uri: 'tel:+46706764287' }, SAMPLE_NOW).URI).toBe('+46706764287');
  });
});

describe('time', () => {
  const at = (iso: string) => variableValues(SAMPLE_DATA, iso);
  it('uses the offset written in the time', () => {
    // The same instant shown at UTC and at -03:30.
    expect(at('2013-09-07T18:23:09Z')).toMatchObject({ HOURS: '18', ZZZ: '+00:00', ZZ: '+00', DAY: '07' });
    expect(at('2013-09-07T14:53:09-03:30')).toMatchObject({ HOURS: '14', MINUTES: '53', ZZZ: '-03:30', ZZ: '-03', AMPM: 'PM' });
    // Crossing midnight and the year at the offset.
    expect(at('2014-01-01T00:30:00+01:00')).toMatchObject({ YEAR: '2014', SINGLEYEAR: '14', MONTH: '01', DAY: '01', WEEKDAY: 'Wednesday' });
  });
  it('gives the 12-hour clock and AM/PM at midnight, morning, noon', () => {
    expect(at('2013-09-07T00:05:00+00:00')).toMatchObject({ HOURS: '00', '12HOURS': '12', '12SINGLEHOURS': '12', AMPM: 'AM' });
    expect(at('2013-09-07T09:05:00+00:00')).toMatchObject({ '12HOURS': '09', '12SINGLEHOURS': '9', AMPM: 'AM' });
    expect(at('2013-09-07T12:05:00+00:00')).toMatchObject({ '12HOURS': '12', AMPM: 'PM' });
  });
  it('writes a year of the 2000s in short form without a leading zero, like the other SINGLE variables', () => {
    expect(at('2009-03-01T10:00:00Z')).toMatchObject({ SINGLEYEAR: '9', MMM: 'Mar', SINGLEMONTH: '3' });
  });
  it('abbreviates months as the manual does (Sept)', () => {
    const short = Array.from({ length: 12 }, (_, m) => at(`2013-${String(m + 1).padStart(2, '0')}-15T12:00:00Z`).MMM);
    expect(short).toEqual(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec']);
  });
  it('gives ordinal suffixes', () => {
    const suffixes = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 24, 30, 31].map((d) => `${d}${daySuffix(d)}`);
    expect(suffixes).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '24th', '30th', '31st']);
  });
  it('shows a Date in this machine\'s zone and refuses a time without an offset', () => {
    const d = new Date('2013-09-07T18:23:09Z');
    expect(toMoment(d)).toEqual({ date: d, offsetMinutes: -d.getTimezoneOffset() });
    expect(() => toMoment('2013-09-07T20:23:09')).toThrow(/ISO 8601 time with an offset/);
    expect(() => toMoment('yesterday')).toThrow(/now: "yesterday"/);
  });
  it('gives the crypto month from the period, not from the time', () => {
    expect(variableValues({ ...SAMPLE_DATA, period: '2026-12' }, SAMPLE_NOW)).toMatchObject({ CRYPTOMONTH: 'December', THEMONTH: 'September' });
  });
});
