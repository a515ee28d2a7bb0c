/**
 * `keyward users …` and `keyward keys export`: the Users menu and the audited key retrieval on the
 * command line, over the users and keys plugins' commands (plugins/users/commands.ts).
 */
import fs from 'node:fs';
import type { JsonValue } from '../kernel/index.js';
import type { UserDetails, UserSummary } from '../../plugins/users/tokens.js';
import type { ImportError } from '../../plugins/users/tsv.js';
import { readInputFile } from './files.js';
import { optionValue, optionValues, requiredOption } from './args.js';
import type { CliCommand } from './commands.js';
import { CommandError, UsageError } from './errors.js';
import { currentPassphrase } from './passphrase.js';

type UserList = { total: number; userLimit: number | null; users: UserSummary[] };

const json = (v: unknown) => v as JsonValue;
const fullName = (u: UserSummary) => [u.firstName, u.lastName].filter(Boolean).join(' ');

/** The number operand of a one-user command, or a usage error. */
function number(operand: string | undefined, words: string[]): string {
  if (!operand) throw new UsageError(`keyward ${words.join(' ')} needs the user's mobile number, e.g. +46706764287`, words);
  return operand;
}

/** `tel:+46…` or `+46…` as the user's number (users are keyed by number; --uri accepts both spellings). */
function mobileOf(uri: string): string {
  return uri.startsWith('tel:') ? uri.slice('tel:'.length) : uri;
}


function writeFile(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text, { mode: 0o600 });
  } catch (err) {
    throw new CommandError('E_FILE', `${file}: cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
}

function importReport(file: string, errors: ImportError[]): string {
  const where = (e: ImportError) => (e.line === 0 ? file : `${file}:${e.line}${e.column ? `, column ${e.column}` : ''}`);
  return errors.map((e) => `${where(e)}: ${e.reason}`).join('\n');
}

export const USER_COMMANDS: CliCommand[] = [
  {
    words: ['users', 'add'],
    usage: '--first F --last L --mobile +46… [--comment C]',
    summary: 'Add a user; it gets keys for this month and the next',
    options: ['first', 'last', 'mobile', 'comment'],
    async run(session, args) {
      const words = ['users', 'add'];
      const u = await session.execute<UserSummary>('users.add', {
        firstName: optionValue(args, 'first') ?? '',
        lastName: optionValue(args, 'last') ?? '',
        mobile: requiredOption(args, 'mobile', words),
        comment: optionValue(args, 'comment') ?? '',
      });
      return { result: json(u), text: `Added ${fullName(u)} (${u.mobile}) with keys for this month and the next.` };
    },
  },
  {
    words: ['users', 'list'],
    summary: 'List the users: number, name, comment; compromised ones are marked',
    options: [],
    async run(session) {
      const list = await session.execute<UserList>('users.list');
      const width = Math.max(0, ...list.users.map((u) => u.mobile.length));
      const lines = list.users.map(
        (u) => `${u.mobile.padEnd(width)}  ${fullName(u)}${u.comment ? `  (${u.comment})` : ''}${u.compromised ? '  [compromised]' : ''}`,
      );
      lines.push(`(${list.total} users${list.userLimit === null ? '' : ` of ${list.userLimit} licensed`})`);
      return { result: json(list), text: lines.join('\n') };
    },
  },
  {
    words: ['users', 'show'],
    operand: '<+number>',
    summary: "Show a user's details: lines, this month's PUK, key months, QR code key when QR protection is on",
    options: [],
    async run(session, _args, operand) {
      const d = await session.execute<UserDetails>('users.show', { mobile: number(operand, ['users', 'show']) });
      const lines = [
        `Mobile: ${d.mobile}`,
        `Name: ${fullName(d)}`,
        `Comment: ${d.comment}`,
        `Lines: ${d.lines.join(', ') || '-'}`,
        `PUK (${d.period}): ${d.puk}`,
        `Key months: ${d.keyPeriods.join(', ') || '-'}`,
        ...(d.qrCodeKey ? [`QR code key: ${d.qrCodeKey}`] : []),
        `Compromised: ${d.compromised ? `yes, since ${d.compromisedAt}` : 'no'}`,
        `Created: ${d.createdAt}`,
      ];
      return { result: json(d), text: lines.join('\n') };
    },
  },
  {
    words: ['users', 'import'],
    operand: '<FILE.txt>',
    summary: 'Import users from the manual\'s TSV file; checks the whole file first and imports all or nothing',
    options: [],
    async run(session, _args, file) {
      if (!file) throw new UsageError('keyward users import needs the file to import', ['users', 'import']);
      const contentBase64 = readInputFile(file).toString('base64');
      try {
        const r = await session.execute<{ imported: number }>('users.import', { fileName: file, contentBase64 });
        return { result: json(r), text: `Imported ${r.imported} users from ${file}.` };
      } catch (err) {
        if (!(err instanceof CommandError) || err.code !== 'E_IMPORT_INVALID') throw err;
        const errors = (err.details as unknown as { errors: ImportError[] }).errors;
        return { result: json({ errors }), text: importReport(file, errors), failure: { code: err.code, message: err.message } };
      }
    },
  },
  {
    words: ['users', 'export'],
    operand: '<FILE.txt>',
    usage: '[--uri tel:+46… …]',
    summary: 'Export users (all, or those named by --uri, repeatable) to a TSV file; never any key',
    options: ['uri'],
    async run(session, args, file) {
      if (!file) throw new UsageError('keyward users export needs the file to write', ['users', 'export']);
      const uris = optionValues(args, 'uri');
      const out = await session.execute<{ fileName: string; text: string }>('users.export', uris.length ? { mobiles: uris.map(mobileOf) } : {});
      writeFile(file, out.text);
      const count = out.text.split('\n').filter(Boolean).length;
      return { result: json({ file, users: count }), text: `Exported ${count} users to ${file}.` };
    },
  },
  {
    words: ['users', 'destroy-keys'],
    operand: '<+number>',
    summary: 'Compromise recovery: replace the update key and mark the user compromised (asks to confirm; --yes)',
    options: [],
    async run(session, _args, operand) {
      const mobile = number(operand, ['users', 'destroy-keys']);
      const r = await session.execute<{ count: number }>('users.destroyKeys', { mobiles: [mobile] });
      return {
        result: json(r),
        text: `Keys destroyed for ${mobile}: publish a monthly key update so the CRS blocks the device, then give the user a new initiation letter.`,
      };
    },
  },
  {
    words: ['users', 'delete'],
    operand: '<+number>',
    summary: 'Delete a user and all its keys (asks to confirm; --yes)',
    options: [],
    async run(session, _args, operand) {
      const mobile = number(operand, ['users', 'delete']);
      const r = await session.execute<{ count: number }>('users.delete', { mobiles: [mobile] });
      return { result: json(r), text: `Deleted ${mobile} and its keys.` };
    },
  },
  {
    words: ['keys', 'export'],
    usage: '--uri tel:+46… --period YYYY-MM',
    summary: 'Print one identity\'s keys for one month (authorised interception); checks the passphrase again and is recorded in the event log',
    options: ['uri', 'period'],
    async run(session, args) {
      const words = ['keys', 'export'];
      const uri = requiredOption(args, 'uri', words);
      if (optionValues(args, 'uri').length > 1) throw new UsageError('--uri is given twice', words);
      const period = requiredOption(args, 'period', words);
      // A fresh process unlocks with the passphrase; that same passphrase is the re-check keys.export demands.
      const passphrase = (await session.unlock()) ?? (await currentPassphrase(session.opts.passphraseFile, session.io));
      const keys = await session.execute<Record<string, string>>('keys.export', { uri, period, passphrase });
      return { result: json(keys) };
    },
  },
];
