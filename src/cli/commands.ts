/**
 * The CLI's commands: friendly names for common work, and `run` reaching any registered
 * command generically. Each entry is data (words, options, summary) plus what it does.
 */
import type { CommandInfo, EventRecord, JsonObject, JsonValue, LogVerifyResult } from '../kernel/index.js';
import type { DomainShow } from '../../plugins/domain/tokens.js';
import { integerOption, optionValue, optionValues, requiredOption, type ParsedArgs } from './args.js';
import { CommandError, UsageError } from './errors.js';
import { newPassphrase, readSecretFile } from './passphrase.js';
import type { Session } from './session.js';
import { BACKUP_COMMANDS, initFromBackup } from './backup.js';
import { CHANNEL_COMMANDS } from './channels.js';
import { DOMAINS_COMMANDS } from './domains.js';
import { GATEWAY_COMMANDS } from './gateways.js';
import { LAYOUT_COMMANDS } from './layouts.js';
import { LETTER_COMMANDS } from './letters.js';
import { LICENSE_COMMANDS } from './license.js';
import { SETTINGS_COMMANDS } from './settings.js';
import { UPDATE_COMMANDS } from './updates.js';
import { USER_COMMANDS } from './users.js';

/** What a command produced: the result (printed by --json), its text form, and a non-zero exit if it found a fault. */
export interface Outcome {
  result: JsonValue | void;
  text?: string;
  /** For results that report a fault rather than throw one (log verify). */
  failure?: { code: string; message: string };
}

export interface CliCommand {
  words: string[];
  /** Operand placeholder in the usage line, e.g. "<command.id>"; none when absent. */
  operand?: string;
  /** Option usage, e.g. "--security-domain NAME". */
  usage?: string;
  summary: string;
  options: string[];
  run(session: Session, args: ParsedArgs, operand: string | undefined): Promise<Outcome>;
}

export const COMMANDS: CliCommand[] = [
  {
    words: ['init'],
    usage:
      '--security-domain NAME --crs-address HOST --crs-account ID --crs-secret-file F [--system-id ID] [--license-key KEY] [--compromised-domain FINGERPRINT]… [--passphrase-file F] | --restore FILE [--backup-passphrase-file F] [--passphrase-file F]',
    summary:
      'Set up a new installation (the install wizard): name the domain, store the CRS and licence settings, create the master keys; --compromised-domain names the fingerprint of a compromised installation this one replaces (its backups are then refused); --restore sets up from a backup instead',
    options: ['security-domain', 'system-id', 'license-key', 'crs-address', 'crs-account', 'crs-secret-file', 'compromised-domain', 'restore', 'backup-passphrase-file'],
    async run(session, args) {
      const words = ['init'];
      const restore = optionValue(args, 'restore');
      if (restore !== undefined) return initFromBackup(session, args, restore);
      const compromisedDomains = optionValues(args, 'compromised-domain');
      const setup = {
        securityDomain: requiredOption(args, 'security-domain', words),
        systemId: optionValue(args, 'system-id') ?? '',
        licenseKey: optionValue(args, 'license-key') ?? '',
        crs: {
          address: requiredOption(args, 'crs-address', words),
          account: requiredOption(args, 'crs-account', words),
          secret: requiredOption(args, 'crs-secret-file', words),
        },
        ...(compromisedDomains.length ? { compromisedDomains } : {}),
      };
      const kernel = await session.open();
      if (kernel.state !== 'uninitialised') {
        throw new CommandError('E_ALREADY_INITIALISED', `Keyward is already set up in ${kernel.dataDir}; nothing was changed`);
      }
      setup.crs.secret = readSecretFile(setup.crs.secret, 'crs-secret-file');
      const passphrase = await newPassphrase(session.opts.passphraseFile, 'KEYWARD_PASSPHRASE', 'passphrase-file', session.io);
      const result = await session.execute('kernel.init', { passphrase, setup });
      return { result, text: `Keyward is set up in ${kernel.dataDir} for the Security Domain "${setup.securityDomain}".` };
    },
  },
  {
    words: ['status'],
    summary: 'Show whether Keyward is set up, locked or ready, and the state of each plugin',
    options: [],
    async run(session) {
      const status = await session.execute<JsonObject>('kernel.status');
      const plugins = (status.plugins ?? []) as { id: string; status: string; reason?: string }[];
      const lines = [`State: ${status.state}`, `Data dir: ${session.opts.dataDir}`];
      if (status.state === 'uninitialised') lines.push('Not set up yet: run "keyward init" or "npm start" for the install wizard.');
      if (status.securityDomain) lines.push(`Security Domain: ${status.securityDomain}`);
      for (const w of (status.warnings ?? []) as string[]) lines.push(`Warning: ${w}`);
      if (plugins.length) lines.push('Plugins:', ...plugins.map((p) => `  ${p.id.padEnd(16)} ${p.status}${p.reason ? ` (${p.reason})` : ''}`));
      return { result: status, text: lines.join('\n') };
    },
  },
  {
    words: ['domain', 'show'],
    summary: 'Show the Security Domain name, its public keys (KPAK, Z) in hex, and its certificate\'s Id and fingerprint',
    options: [],
    async run(session) {
      const d = await session.execute<DomainShow>('domain.show');
      // The Id and fingerprint come from the domain certificate (the domains plugin), when it is on.
      const cert = await session.execute<{ id: string; fingerprint: string }>('domains.certificate').catch((err: unknown) => {
        if (err instanceof CommandError && err.code === 'E_UNKNOWN_COMMAND') return undefined;
        throw err;
      });
      const result = cert ? { ...d, id: cert.id, fingerprint: cert.fingerprint } : d;
      const text = `Security Domain: ${d.securityDomain}\n${cert ? `Domain Id: ${cert.id}\nFingerprint: ${cert.fingerprint}\n` : ''}KPAK: ${d.kpak}\nZ: ${d.z}`;
      return { result, text };
    },
  },
  {
    words: ['log', 'list'],
    usage: '[--offset N] [--limit N] [--action ID]',
    summary: 'List event log records, newest first',
    options: ['offset', 'limit', 'action'],
    async run(session, args) {
      const words = ['log', 'list'];
      const query: JsonObject = {};
      const offset = integerOption(args, 'offset', words);
      const limit = integerOption(args, 'limit', words);
      const action = optionValue(args, 'action');
      if (offset !== undefined) query.offset = offset;
      if (limit !== undefined) query.limit = limit;
      if (action !== undefined) query.action = action;
      const page = await session.execute<{ total: number; records: EventRecord[] }>('log.list', query);
      const lines = page.records.map(
        (r) => `${String(r.seq).padStart(6)}  ${r.time}  ${r.actor}  ${r.action}${r.target ? `  ${r.target}` : ''}`,
      );
      lines.push(`(${page.records.length} of ${page.total} records)`);
      return { result: page as unknown as JsonValue, text: lines.join('\n') };
    },
  },
  {
    words: ['log', 'verify'],
    summary: 'Check the event log hash chain; exit 1 naming the first modified or missing record',
    options: [],
    async run(session) {
      const v = await session.execute<LogVerifyResult>('log.verify');
      const result = v as unknown as JsonValue;
      if (v.ok) return { result, text: `Event log intact: ${v.records} records.` };
      const where = v.problem ? `record ${v.problem.seq}: ${v.problem.reason}` : 'the chain is broken';
      return { result, failure: { code: 'E_LOG_BROKEN', message: `the event log fails verification at ${where}` } };
    },
  },
  {
    words: ['passphrase', 'change'],
    usage: '[--passphrase-file F] [--new-passphrase-file F]',
    summary: 'Change the administrator passphrase (new one from --new-passphrase-file, KEYWARD_NEW_PASSPHRASE or a prompt)',
    options: ['new-passphrase-file'],
    async run(session, args) {
      const current = (await session.unlock()) ?? '';
      const next = await newPassphrase(optionValue(args, 'new-passphrase-file'), 'KEYWARD_NEW_PASSPHRASE', 'new-passphrase-file', session.io);
      const result = await session.execute('kernel.changePassphrase', { current, next });
      return { result, text: 'The passphrase is changed.' };
    },
  },
  {
    words: ['commands'],
    summary: 'List every command that `keyward run` can reach',
    options: [],
    async run(session) {
      const list = await session.execute<CommandInfo[]>('kernel.commands');
      const width = Math.max(0, ...list.map((c) => c.id.length));
      const text = list.map((c) => `${c.id.padEnd(width)}  ${c.title}${c.destructive ? '  (destructive)' : ''}`).join('\n');
      return { result: list as unknown as JsonValue, text };
    },
  },
  ...USER_COMMANDS,
  ...CHANNEL_COMMANDS,
  ...LAYOUT_COMMANDS,
  ...LETTER_COMMANDS,
  ...GATEWAY_COMMANDS,
  ...DOMAINS_COMMANDS,
  ...UPDATE_COMMANDS,
  ...SETTINGS_COMMANDS,
  ...LICENSE_COMMANDS,
  ...BACKUP_COMMANDS,
  {
    words: ['run'],
    operand: '<command.id>',
    usage: "[--args '<json>']",
    summary: 'Run any registered command with JSON arguments',
    options: ['args'],
    async run(session, args, id) {
      if (!id) throw new UsageError('keyward run needs a command id (see "keyward commands")', ['run']);
      const raw = optionValue(args, 'args');
      let parsed: JsonValue | undefined;
      if (raw !== undefined) {
        try {
          parsed = JSON.parse(raw) as JsonValue;
        } catch {
          throw new UsageError('--args must be JSON, e.g. --args \'{"limit": 10}\'', ['run']);
        }
      }
      return { result: await session.execute(id, parsed) };
    },
  },
];

/** The command named by the leading words (longest match) and the operand after it. */
export function findCommand(words: string[]): { command: CliCommand; operand?: string } | undefined {
  const matches = COMMANDS.filter((c) => c.words.every((w, i) => words[i] === w)).sort((a, b) => b.words.length - a.words.length);
  const command = matches[0];
  if (!command) return undefined;
  const rest = words.slice(command.words.length);
  // '<NAME> <FILE>' takes two; an operand ending in '…' takes any number (`letters user +46… +44…`)
  const allowed = command.operand?.endsWith('…') ? Infinity : (command.operand?.split(' ').length ?? 0);
  if (rest.length > allowed) throw new UsageError(`unexpected "${rest[allowed]}" after keyward ${command.words.join(' ')}`, command.words);
  return { command, operand: rest[0] };
}
