/**
 * The manual's user file ("Import user data", "Export user data"): a `.txt` file in UTF-8 (or
 * ASCII), one user a line, four tab-separated columns — first name, last name, mobile, comment.
 *
 * Reading is lenient where editors differ and strict where the data is concerned:
 * - a UTF-8 byte order mark and CRLF line ends (Excel, Notepad) are accepted;
 * - blank lines, and lines of only tabs and spaces (an empty spreadsheet row), are ignored;
 * - a line of 3 columns is read as having an empty comment: editors that trim trailing
 *   whitespace drop the tab before an empty comment (the manual's "Dana⇥Doe⇥+44999888777⇥"), and
 *   three columns cannot mean anything else. Any other count is an error;
 * - every bad line is reported (line number from 1, column from 1, reason), not just the first.
 *
 * Writing always gives 4 columns, LF line ends, UTF-8 without BOM; what is written reads back
 * unchanged.
 */
import { checkNames, checkNumber, checkText, type UserFields } from './validation.js';

/** One problem in an import file. `line` 0 means the file as a whole. */
export interface ImportError {
  line: number;
  column?: number;
  field?: string;
  reason: string;
}

export interface ParsedFile {
  users: (UserFields & { line: number })[];
  errors: ImportError[];
}

/** Far above 10,000 users (about 0.5 MB), far below what could hurt. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

const COLUMNS = [
  { field: 'firstName', label: 'first name' },
  { field: 'lastName', label: 'last name' },
  { field: 'mobile', label: 'mobile' },
  { field: 'comment', label: 'comment' },
] as const;

const LF = 0x0a;
const BOM = '\ufeff';

/** Read and check a user file; `errors` is empty when every line is good. Nothing is compared with stored users here. */
export function parseUserFile(fileName: string, bytes: Uint8Array): ParsedFile {
  if (!/\.txt$/i.test(fileName)) {
    return { users: [], errors: [{ line: 0, reason: `"${fileName}" is not a .txt file (the manual's user file is tab-separated text, .txt)` }] };
  }
  if (bytes.length > MAX_FILE_BYTES) {
    return { users: [], errors: [{ line: 0, reason: `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` }] };
  }
  const users: ParsedFile['users'] = [];
  const errors: ImportError[] = [];
  const seen = new Map<string, number>();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let start = 0;
  for (let n = 1; start <= bytes.length; n++) {
    let end = bytes.indexOf(LF, start);
    if (end < 0) end = bytes.length;
    const raw = bytes.subarray(start, end);
    start = end + 1;
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      errors.push({ line: n, reason: 'is not valid UTF-8 (save the file with UTF-8 encoding)' });
      continue;
    }
    if (n === 1 && text.startsWith(BOM)) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (/^[\t ]*$/.test(text)) continue;
    const user = parseLine(text, n, errors);
    if (!user) continue;
    const first = seen.get(user.mobile);
    if (first !== undefined) {
      errors.push({ line: n, column: 3, field: 'mobile', reason: `${user.mobile} is also on line ${first}` });
      continue;
    }
    seen.set(user.mobile, n);
    users.push(user);
  }
  if (users.length === 0 && errors.length === 0) errors.push({ line: 0, reason: 'the file holds no users' });
  return { users, errors };
}

function parseLine(text: string, line: number, errors: ImportError[]): (UserFields & { line: number }) | undefined {
  const cols = text.split('\t');
  if (cols.length === 3) cols.push('');
  if (cols.length !== 4) {
    errors.push({
      line,
      reason: `has ${cols.length} column${cols.length === 1 ? '' : 's'}; expected 4 separated by tabs: first name, last name, mobile, comment`,
    });
    return undefined;
  }
  const before = errors.length;
  const checked = [checkText(cols[0], 'firstName'), checkText(cols[1], 'lastName'), checkNumber(cols[2]), checkText(cols[3], 'comment')];
  checked.forEach((c, i) => {
    if (!c.ok) errors.push({ line, column: i + 1, field: COLUMNS[i]!.field, reason: `${COLUMNS[i]!.label} ${c.reason}` });
  });
  if (errors.length > before) return undefined;
  const [firstName, lastName, mobile, comment] = checked.map((c) => (c as { value: string }).value) as [string, string, string, string];
  const names = checkNames(firstName, lastName);
  if (!names.ok) {
    errors.push({ line, column: 1, field: 'firstName', reason: names.reason });
    return undefined;
  }
  return { line, firstName, lastName, mobile, comment };
}

/** Users as a user file (see the module comment); never any key. */
export function formatUserFile(users: Pick<UserFields, 'firstName' | 'lastName' | 'mobile' | 'comment'>[]): string {
  return users.map((u) => `${u.firstName}\t${u.lastName}\t${u.mobile}\t${u.comment}\n`).join('');
}
