/**
 * Command-line parsing: `--name value`, `--name=value` and boolean `--flag`, anywhere on the line.
 * Which options take a value is known up front (OPTION_KINDS) so `--data-dir D status` parses
 * without knowing the command first; each command then says which options it accepts.
 */
import { UsageError } from './errors.js';

/** Every option the CLI knows: true = takes a value, false = boolean flag. */
export const OPTION_KINDS: Record<string, boolean> = {
  'data-dir': true,
  config: true,
  'passphrase-file': true,
  json: false,
  yes: false,
  help: false,
  // init
  'security-domain': true,
  'system-id': true,
  'license-key': true,
  'crs-address': true,
  'crs-account': true,
  'crs-secret-file': true,
  // passphrase change
  'new-passphrase-file': true,
  // run
  args: true,
  // log list
  offset: true,
  limit: true,
  action: true,
  // users, keys
  first: true,
  last: true,
  mobile: true,
  comment: true,
  uri: true,
  period: true,
  // letters
  out: true,
  print: false,
  burn: false,
  combined: false,
  'qr-key': true,
  // gateways
  name: true,
  number: true,
  engines: true,
  'replace-engine': true,
  // update
  month: true,
  'update-key': true,
  // channels members
  add: true,
  remove: true,
  // domains
  image: true,
  rows: true,
  // settings
  'message-lifetime': true,
  'message-lifetime-max': true,
  'message-lifetime-default': true,
  intercept: true,
  multipath: true,
  channels: true,
  'qr-protection': true,
  address: true,
  account: true,
  'secret-file': true,
  // license set
  'key-file': true,
  // backup, init --restore, init --compromised-domain
  restore: true,
  'backup-passphrase-file': true,
  'restore-passphrase-file': true,
  'compromised-domain': true,
};

/** Value options that may be given more than once (`users export F --uri A --uri B`). */
export const REPEATABLE = new Set(['uri', 'add', 'remove', 'replace-engine', 'compromised-domain']);

/** Accepted by every command. */
export const GLOBAL_OPTIONS = ['data-dir', 'config', 'passphrase-file', 'json', 'yes', 'help'];

export interface ParsedArgs {
  /** Words that are not options: the command and its operands. */
  words: string[];
  /** Options given, by name; flags map to `true`. A repeatable option holds its first value here. */
  options: Map<string, string | true>;
  /** Every value of each repeatable option, in order. */
  repeated: Map<string, string[]>;
}

/** Split argv into words and options. Unknown options and missing values are UsageErrors. */
export function parseArgs(argv: string[]): ParsedArgs {
  const words: string[] = [];
  const options = new Map<string, string | true>();
  const repeated = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg.split('=')[0]} (options are written --name)`);
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const takesValue = OPTION_KINDS[name];
    if (takesValue === undefined) throw new UsageError(`unknown option --${name}`);
    if (options.has(name) && !REPEATABLE.has(name)) throw new UsageError(`--${name} is given twice`);
    if (!takesValue) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (!options.has(name)) options.set(name, value);
    if (REPEATABLE.has(name)) repeated.set(name, [...(repeated.get(name) ?? []), value]);
  }
  return { words, options, repeated };
}

/** Refuse options the chosen command does not take. */
export function checkOptions(parsed: ParsedArgs, accepted: string[], command: string[]): void {
  for (const name of parsed.options.keys()) {
    if (!GLOBAL_OPTIONS.includes(name) && !accepted.includes(name)) {
      throw new UsageError(`keyward ${command.join(' ')} does not take --${name}`, command);
    }
  }
}

/** A value option, or undefined when absent. */
export function optionValue(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable option (none: empty). */
export function optionValues(parsed: ParsedArgs, name: string): string[] {
  return parsed.repeated.get(name) ?? [];
}

/** A value option that must be present. */
export function requiredOption(parsed: ParsedArgs, name: string, command: string[]): string {
  const v = optionValue(parsed, name);
  if (v === undefined) throw new UsageError(`keyward ${command.join(' ')} needs --${name}`, command);
  return v;
}

/** A non-negative integer option. */
export function integerOption(parsed: ParsedArgs, name: string, command: string[]): number | undefined {
  const v = optionValue(parsed, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, not "${v}"`, command);
  return Number(v);
}
