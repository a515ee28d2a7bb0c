/**
 * The letters plugin's commands: View QR, Print, Burn PDF, and PDFs for the CLI's `--out`.
 * Audited with the numbers they were for, never a key.
 */
import { CommandError, type CommandContext, type CommandDefinition, type JsonObject, type JsonValue } from '../../src/kernel/index.js';
import type { LettersService } from './letters.service.js';
import type { LetterOptions } from './tokens.js';

/** Typed results as JSON; the command bus checks JSON-safety at run time anyway. */
const json = <T>(value: T) => value as unknown as JsonValue;

function obj(args: JsonValue | undefined): JsonObject {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new CommandError('E_INVALID_ARGS', 'arguments must be an object');
  return args;
}

/** `mobile`: one E.164 number. */
function mobileArg(args: JsonValue | undefined): string {
  const mobile = obj(args).mobile;
  if (typeof mobile !== 'string' || !mobile) throw new CommandError('E_INVALID_ARGS', 'mobile: must be a user’s number, e.g. +46706764287', { field: 'mobile' });
  return mobile;
}

/** `mobiles`: one or more numbers (the users selected). */
function mobilesArg(args: JsonValue | undefined): string[] {
  const mobiles = obj(args).mobiles;
  if (!Array.isArray(mobiles) || mobiles.length === 0 || !mobiles.every((m) => typeof m === 'string' && m)) {
    throw new CommandError('E_INVALID_ARGS', 'mobiles: must list one or more users’ numbers', { field: 'mobiles' });
  }
  return mobiles as string[];
}

function letterOptions(args: JsonValue | undefined, ctx: CommandContext): LetterOptions {
  const combined = obj(args).combined;
  if (combined !== undefined && typeof combined !== 'boolean') throw new CommandError('E_INVALID_ARGS', 'combined: must be true or false', { field: 'combined' });
  return { combined: combined === true, signal: ctx.signal, onProgress: (done, total) => ctx.progress({ done, total }) };
}

/** Who the letters were for: the number, or how many with every number in the details. */
function forUsers(args: JsonValue | undefined): { target: string; details: JsonObject } {
  const mobiles = [...new Set(mobilesArg(args))];
  return { target: mobiles.length === 1 ? mobiles[0]! : `${mobiles.length} users`, details: { mobiles } };
}

export function letterCommands(letters: LettersService): CommandDefinition<any, any>[] {
  return [
    {
      id: 'letters.userQr',
      title: 'Show a user’s initiation QR code (it contains private keys)',
      audit: (args) => ({ target: mobileArg(args) }),
      handler: async (args) => json(await letters.userQr(mobileArg(args))),
    },
    {
      id: 'letters.print',
      title: 'Print initiation letters',
      audit: (args, result: { printed: string[] }) => {
        const who = forUsers(args);
        return { target: who.target, details: { ...who.details, files: result.printed.length } };
      },
      handler: async (args, ctx) => json(await letters.print(mobilesArg(args), letterOptions(args, ctx))),
    },
    {
      id: 'letters.burn',
      title: 'Burn initiation letters as PDF',
      audit: (args, result: { verified: boolean; volumeLabel: string; written: string[] }) => {
        const who = forUsers(args);
        return { target: who.target, details: { ...who.details, files: result.written.length, volumeLabel: result.volumeLabel, verified: result.verified } };
      },
      handler: async (args, ctx) => json(await letters.burn(mobilesArg(args), letterOptions(args, ctx))),
    },
    {
      id: 'letters.pdf',
      title: 'Make initiation letters as PDF (returned to the caller, e.g. the CLI’s --out folder)',
      audit: (args) => forUsers(args),
      handler: async (args, ctx) => {
        const files = await letters.userLetterPdf(mobilesArg(args), letterOptions(args, ctx));
        return { files: files.map((f) => ({ fileName: f.fileName, pdf: Buffer.from(f.pdf).toString('base64') })) };
      },
    },
  ];
}
