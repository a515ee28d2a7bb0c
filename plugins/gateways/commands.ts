/**
 * The gateways plugin's commands (the contract the Gateways view, the CLI and the tests share).
 * Audited with the gateway's number and id and the engine ids, never a key.
 */
import type { CommandContext, CommandDefinition, JsonObject, JsonValue } from '../../src/kernel/index.js';
import type { GatewayLetters, LetterRunOptions } from './gateway-letters.js';
import { fieldError, type EditResult, type GatewaysService } from './gateways.service.js';
import type { GatewaySummary } from './tokens.js';

type Args = Record<string, JsonValue | undefined>;

function obj(args: JsonValue | undefined): Args {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) throw fieldError('args', 'must be an object');
  return args;
}

/** Typed results (interfaces) as JSON; the command bus checks JSON-safety at run time anyway. */
const json = <T>(value: T) => value as unknown as JsonValue;

/** Cancel and progress from the command; `engines`, when given, limits the letters to those engine ids. */
function runOptions(a: Args, ctx: CommandContext): LetterRunOptions & { engines?: string[] } {
  const engines = a.engines;
  if (engines !== undefined && (!Array.isArray(engines) || engines.length === 0 || !engines.every((e) => typeof e === 'string'))) {
    throw fieldError('engines', 'must list one or more engine ids');
  }
  return {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress({ done, total, message: 'Making gateway initiation letters' }),
    ...(engines ? { engines: engines as string[] } : {}),
  };
}

/** Who: one gateway's number, or how many, with every number in the details. */
function who(gateways: { number: string; id: string }[]): { target: string; details: JsonObject } {
  return {
    target: gateways.length === 1 ? gateways[0]!.number : `${gateways.length} gateways`,
    details: { gateways: gateways.map((g) => ({ id: g.id, number: g.number })) },
  };
}

/** `gateways.letters` prints, burns, or returns the PDFs (base64, for the CLI's --out). */
function lettersMode(a: Args): 'print' | 'burn' | 'pdf' {
  if (a.print !== undefined && typeof a.print !== 'boolean') throw fieldError('print', 'must be true or false');
  if (a.burn !== undefined && typeof a.burn !== 'boolean') throw fieldError('burn', 'must be true or false');
  if (a.print && a.burn) throw fieldError('burn', 'choose print or burn, not both');
  return a.print ? 'print' : a.burn ? 'burn' : 'pdf';
}

export function gatewayCommands(gateways: GatewaysService, letters: GatewayLetters): CommandDefinition<any, any>[] {
  return [
    {
      id: 'gateways.add',
      title: 'Add a gateway (CIG)',
      audit: (_args, r: GatewaySummary) => ({ target: r.number, details: { id: r.id, engines: r.engines.map((e) => e.id) } }),
      handler: async (args, ctx) => json(await gateways.add(obj(args), ctx.signal)),
    },
    {
      id: 'gateways.list',
      title: 'List the gateways',
      audit: false,
      handler: async () => json({ gateways: gateways.list() }),
    },
    {
      id: 'gateways.edit',
      title: 'Change a gateway’s name or number of crypto engines, or re-initiate chosen engines',
      audit: (args, r: EditResult) => ({
        target: r.gateway.number,
        details: { id: r.gateway.id, fields: ['name', 'engines', 'replace'].filter((f) => obj(args)[f] !== undefined), added: r.added, revoked: r.revoked },
      }),
      handler: async (args) => json(await gateways.edit(obj(args))),
    },
    {
      id: 'gateways.delete',
      title: 'Delete gateways and their keys',
      destructive: true,
      audit: (_args, r: { deleted: GatewaySummary[] }) => who(r.deleted),
      handler: async (args) => json(await gateways.delete(obj(args).ids)),
    },
    {
      id: 'gateways.letters',
      title: 'Make gateway initiation letters (print, burn as PDF, or return the PDFs); `engines` limits them to some engines',
      audit: (args) => {
        const a = obj(args);
        const w = who(gateways.findAll(a.ids).map((d) => ({ id: d._id, number: d.number })));
        return { target: w.target, details: { ...w.details, mode: lettersMode(a), ...(Array.isArray(a.engines) ? { engines: a.engines } : {}) } };
      },
      handler: async (args, ctx) => {
        const a = obj(args);
        const mode = lettersMode(a);
        if (mode === 'print') return json(await letters.print(a.ids, runOptions(a, ctx)));
        if (mode === 'burn') return json(await letters.burn(a.ids, runOptions(a, ctx)));
        const files = await letters.pdf(a.ids, runOptions(a, ctx));
        return { files: files.map((f) => ({ fileName: f.fileName, pdf: Buffer.from(f.pdf).toString('base64') })) };
      },
    },
  ];
}
