/**
 * `keyward update …`: the Update menu on the command line (plugins/updates). `inspect` is the
 * reference reader of the file: with --crs-secret-file it runs without a data dir, as the CRS side would.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JsonValue } from '../kernel/index.js';
import { inspectUpdateFile, type GenerateResult, type InspectResult, type UpdateDeadline } from '../../plugins/updates/tokens.js';
import { optionValue } from './args.js';
import type { CliCommand } from './commands.js';
import { CommandError, UsageError } from './errors.js';
import { readInputFile, writeNew } from './files.js';
import { readSecretFile } from './passphrase.js';

const json = (v: unknown) => v as JsonValue;

function summaryText(r: GenerateResult): string {
  const where = 'file' in r ? `Wrote ${r.file}` : `Burned ${r.fileName} as ${r.burn.volumeLabel} to ${r.burn.destination}${r.burn.verified ? ' and verified it' : ', but it does not read back the same: discard that medium'}`;
  return [
    `${where} (${r.bytes.toLocaleString('en-US')} bytes) for ${r.months.join(' and ')}.`,
    `Endpoints: ${r.endpoints} (${r.users} users, ${r.engines} gateway crypto engines); blocked credentials: ${r.blocked}; peers: ${r.peers} (${r.revokedPeers} revoked); channels: ${r.channels}; key sets made: ${r.keysMade}.`,
    `Send it to the CRS before ${r.deadline.sendBefore} (for ${r.deadline.month}).`,
  ].join('\n');
}

function inspectText(r: InspectResult): string {
  const lines = [
    `CRS authentication: OK (${r.bytes.toLocaleString('en-US')} bytes)`,
    `Account: ${r.crs.account}`,
    `Months: ${r.crs.months.join(', ')}`,
    `Endpoints: ${r.crs.endpoints.length}`,
    `Blocked: ${r.crs.blocked.length}`,
    ...r.crs.blocked.map((b) => (b.kind === 'user' ? `  ${b.uri} generation ${b.generation} (${b.reason})` : `  ${b.gateway} engine ${b.engine} (${b.reason})`)),
    `Channels: ${r.crs.channels.length}`,
  ];
  if (r.entry) {
    lines.push(`Entry ${r.entry.entry.endpoint}: ${r.entry.valid ? 'every key checks' : 'SOME KEYS FAIL their checks'}`);
    for (const c of r.entry.checks) lines.push(`  ${c.uri} ${c.month}: SSK ${c.sskValid ? 'ok' : 'FAILS'}, RSK ${c.rskValid ? 'ok' : 'FAILS'}`);
    lines.push(`  peers: ${r.entry.entry.peers.length}, revoked peers: ${r.entry.entry.revokedPeers.length}, channels: ${r.entry.entry.channels.length}, CRS: ${r.entry.entry.crs.address}`);
  }
  return lines.join('\n');
}

export const UPDATE_COMMANDS: CliCommand[] = [
  {
    words: ['update', 'generate'],
    usage: '[--month YYYY-MM] [--out DIR | --burn]',
    summary: 'Generate the monthly key update file for a month (default: this one) and the next, into a folder or burned (the default)',
    options: ['month', 'out', 'burn'],
    async run(session, args) {
      const words = ['update', 'generate'];
      const out = optionValue(args, 'out');
      if (out !== undefined && args.options.has('burn')) throw new UsageError('give one of --out DIR or --burn', words);
      const month = optionValue(args, 'month');
      const request = { ...(month === undefined ? {} : { month }), ...(out === undefined ? { burn: true } : { out: path.resolve(out) }) };
      const r = await session.execute<GenerateResult>('updates.generate', request);
      const failed = 'burn' in r && !r.burn.verified;
      return { result: json(r), text: summaryText(r), ...(failed ? { failure: { code: 'E_NOT_VERIFIED', message: 'the burned file did not read back the same' } } : {}) };
    },
  },
  {
    words: ['update', 'inspect'],
    operand: '<FILE>',
    usage: '[--crs-secret-file F] [--uri +46… --update-key HEX]',
    summary: 'Check an update file’s CRS authentication and show its CRS-visible part; with --uri and --update-key, open, check and show that entry (keys in hex per month)',
    options: ['crs-secret-file', 'uri', 'update-key'],
    async run(session, args, file) {
      const words = ['update', 'inspect'];
      if (!file) throw new UsageError('keyward update inspect needs the update file', words);
      const uri = optionValue(args, 'uri');
      const key = optionValue(args, 'update-key');
      if ((uri === undefined) !== (key === undefined)) throw new UsageError('--uri and --update-key go together', words);
      if (key !== undefined && !/^[0-9a-fA-F]{32}$/.test(key)) throw new UsageError('--update-key must be 32 hex digits', words);
      const secretFile = optionValue(args, 'crs-secret-file');
      const entry = uri === undefined ? {} : { uri, updateKey: key!.toLowerCase() };
      let r: InspectResult;
      if (secretFile !== undefined) {
        const bytes = readInputFile(file);
        r = inspectUpdateFile(bytes, readSecretFile(secretFile, 'crs-secret-file'), uri === undefined ? {} : { endpoint: uri, updateKey: Buffer.from(key!, 'hex') });
      } else {
        if (!fs.existsSync(file)) throw new CommandError('E_FILE', `${file}: no such file`, { file });
        // The CRS secret of this installation.
        r = await session.execute<InspectResult>('updates.inspect', json({ file: path.resolve(file), ...entry }));
      }
      return { result: json(r), text: inspectText(r) };
    },
  },
  {
    words: ['update', 'deadline'],
    usage: '[--month YYYY-MM]',
    summary: 'The date before which the update file for a month (default: the next) must reach the CRS',
    options: ['month'],
    async run(session, args) {
      const month = optionValue(args, 'month');
      const d = await session.execute<UpdateDeadline>('updates.deadline', month === undefined ? {} : { month });
      return { result: json(d), text: `The update file for ${d.month} must reach the CRS before ${d.sendBefore}.` };
    },
  },
  {
    words: ['update', 'calendar'],
    usage: '--out DIR',
    summary: 'Write a calendar file (.ics) with a monthly reminder of the update deadline',
    options: ['out'],
    async run(session, args) {
      const out = optionValue(args, 'out');
      if (out === undefined) throw new UsageError('say where the calendar file goes: --out DIR', ['update', 'calendar']);
      const r = await session.execute<{ fileName: string; text: string }>('updates.calendar');
      const file = writeNew(out, r.fileName, r.text);
      return { result: json({ file }), text: `Wrote ${file}: import it into your calendar for a reminder every month.` };
    },
  },
];
