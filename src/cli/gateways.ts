/**
 * `keyward gateways …`: the Gateways menu on the command line, over the gateways plugin's
 * commands (plugins/gateways/commands.ts). Gateways are named by their number (+8888) or id.
 */
import type { JsonValue } from '../kernel/index.js';
import type { BurnResult, PrintResult } from '../../plugins/devices/tokens.js';
import type { GatewaySummary } from '../../plugins/gateways/tokens.js';
import { integerOption, optionValue, optionValues, requiredOption } from './args.js';
import type { CliCommand } from './commands.js';
import { UsageError } from './errors.js';
import { writeLetters } from './letters.js';

const json = (v: unknown) => v as JsonValue;

/** The gateways named after the command words, or a usage error. */
function gatewaysOf(words: string[], command: string[]): string[] {
  const refs = words.slice(command.length);
  if (!refs.length) throw new UsageError(`keyward ${command.join(' ')} needs one or more gateways' numbers (e.g. +8888) or ids`, command);
  return refs;
}

/** `--engines K` is required by add; a number of engines, checked by the plugin. */
function enginesOf(args: Parameters<CliCommand['run']>[1], command: string[], required: boolean): number | undefined {
  if (required) requiredOption(args, 'engines', command);
  return integerOption(args, 'engines', command);
}

const describe = (g: GatewaySummary) =>
  `${g.number.padEnd(16)} ${g.name}  (${g.engines.length} crypto engines${g.revokedEngines.length ? `, ${g.revokedEngines.length} revoked` : ''})  id ${g.id}`;

export const GATEWAY_COMMANDS: CliCommand[] = [
  {
    words: ['gateways', 'add'],
    usage: '--name NAME --number +8888 --engines 3',
    summary: 'Add a gateway (CIG) with a number in international format and at least three crypto engines',
    options: ['name', 'number', 'engines'],
    async run(session, args) {
      const words = ['gateways', 'add'];
      const request = { name: requiredOption(args, 'name', words), number: requiredOption(args, 'number', words), engines: enginesOf(args, words, true)! };
      const g = await session.execute<GatewaySummary>('gateways.add', request);
      return { result: json(g), text: `Added gateway ${g.name} (${g.number}) with ${g.engines.length} crypto engines; its number has keys for this month and the next.` };
    },
  },
  {
    words: ['gateways', 'list'],
    summary: 'List the gateways with their crypto engines',
    options: [],
    async run(session) {
      const r = await session.execute<{ gateways: GatewaySummary[] }>('gateways.list');
      return { result: json(r), text: r.gateways.length ? r.gateways.map(describe).join('\n') : 'No gateways.' };
    },
  },
  {
    words: ['gateways', 'edit'],
    operand: '<+number|id>',
    usage: '[--name NAME] [--engines K] [--replace-engine ENGINE-ID]…',
    summary: 'Rename a gateway, change its number of crypto engines (added engines get credentials, removed ones are revoked in the next update) or re-initiate an engine (revoked and replaced by one with new credentials)',
    options: ['name', 'engines', 'replace-engine'],
    async run(session, args, operand) {
      const words = ['gateways', 'edit'];
      if (!operand) throw new UsageError('keyward gateways edit needs the gateway\'s number (e.g. +8888) or id', words);
      const name = optionValue(args, 'name');
      const engines = enginesOf(args, words, false);
      const replace = optionValues(args, 'replace-engine');
      if (name === undefined && engines === undefined && !replace.length) {
        throw new UsageError('say what changes: --name NAME, --engines K and/or --replace-engine ENGINE-ID', words);
      }
      const request = {
        id: operand,
        ...(name === undefined ? {} : { name }),
        ...(engines === undefined ? {} : { engines }),
        ...(replace.length ? { replace } : {}),
      };
      const r = await session.execute<{ gateway: GatewaySummary; added: string[]; revoked: string[] }>('gateways.edit', request);
      const parts = [`Gateway ${r.gateway.name} (${r.gateway.number}) has ${r.gateway.engines.length} crypto engines.`];
      if (r.added.length) parts.push(`Added: ${r.added.join(', ')} (print their letters).`);
      if (r.revoked.length) parts.push(`Revoked in the next update: ${r.revoked.join(', ')}.`);
      return { result: json(r), text: parts.join('\n') };
    },
  },
  {
    words: ['gateways', 'delete'],
    operand: '<+number|id>…',
    summary: 'Delete gateways and their keys (asks to confirm; --yes)',
    options: [],
    async run(session, args) {
      const r = await session.execute<{ deleted: GatewaySummary[] }>('gateways.delete', { ids: gatewaysOf(args.words, ['gateways', 'delete']) });
      return { result: json(r), text: r.deleted.map((g) => `Deleted gateway ${g.name} (${g.number}) and its keys.`).join('\n') };
    },
  },
  {
    words: ['gateways', 'letters'],
    operand: '<+number|id>…',
    usage: '(--out DIR | --print | --burn)',
    summary: 'Make gateway initiation letters (PDF, a QR code per crypto engine; they contain private keys): into a folder, to the printer or burned',
    options: ['out', 'print', 'burn'],
    async run(session, args) {
      const words = ['gateways', 'letters'];
      const ids = gatewaysOf(args.words, words);
      const out = optionValue(args, 'out');
      const targets = [out !== undefined, args.options.has('print'), args.options.has('burn')].filter(Boolean).length;
      if (targets !== 1) throw new UsageError('say where the letters go: exactly one of --out DIR, --print or --burn', words);
      if (out !== undefined) {
        const { files } = await session.execute<{ files: { fileName: string; pdf: string }[] }>('gateways.letters', { ids });
        const paths = writeLetters(out, files);
        return {
          result: json({ files: paths }),
          text: [`Wrote ${paths.length} PDF file(s); they contain private keys, protect them:`, ...paths.map((p) => `  ${p}`)].join('\n'),
        };
      }
      if (args.options.has('print')) {
        const r = await session.execute<PrintResult>('gateways.letters', { ids, print: true });
        return { result: json(r), text: `Printed ${r.printed.length} letter file(s) on ${r.destination}.` };
      }
      const r = await session.execute<BurnResult & { volumeLabel: string }>('gateways.letters', { ids, burn: true });
      const text = r.verified
        ? `Burned ${r.written.length} letter file(s) as ${r.volumeLabel} to ${r.destination} and verified them.`
        : `Burned ${r.written.length} letter file(s) to ${r.destination}, but what was read back differs: discard that medium.`;
      return { result: json(r), text, ...(r.verified ? {} : { failure: { code: 'E_NOT_VERIFIED', message: 'the burned files did not read back the same' } }) };
    },
  },
];
