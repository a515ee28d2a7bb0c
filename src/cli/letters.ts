/**
 * `keyward letters …`: initiation letters on the command line (over the letters plugin's
 * commands) and the reference reader of their QR codes, which needs no data dir at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JsonValue } from '../kernel/index.js';
import { readInputFile } from './files.js';
import { bytesToHex, hexToBytes, validateRsk, validateSsk } from '../crypto/index.js';
import type { BurnResult, PrintResult } from '../../plugins/devices/tokens.js';
import { QR_VERSION, decodeUserQr } from '../../plugins/letters/qr-payload.js';
import { readQrPng } from '../../plugins/letters/qr-read.js';
import { optionValue } from './args.js';
import type { CliCommand } from './commands.js';
import { CommandError, UsageError } from './errors.js';

const json = (v: unknown) => v as JsonValue;

/** The numbers after `keyward letters user`. */
function mobilesOf(words: string[], command: string[]): string[] {
  const mobiles = words.slice(command.length);
  if (!mobiles.length) throw new UsageError(`keyward ${command.join(' ')} needs one or more users' numbers, e.g. +46706764287`, command);
  return mobiles;
}

/**
 * Write the PDFs into `dir`, all or none: no file is replaced (an existing name fails before
 * anything is written) and a failed write removes what this call wrote. Mode 0600: they hold keys.
 */
export function writeLetters(dir: string, files: { fileName: string; pdf: string }[]): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CommandError('E_FILE', `${dir}: no such folder`, { file: dir });
  const paths = files.map((f) => path.join(dir, f.fileName));
  const taken = paths.find((p) => fs.existsSync(p));
  if (taken) throw new CommandError('E_FILE', `${taken}: exists already; nothing was written`, { file: taken });
  const written: string[] = [];
  try {
    files.forEach((f, i) => {
      fs.writeFileSync(paths[i]!, Buffer.from(f.pdf, 'base64'), { mode: 0o600, flag: 'wx' });
      written.push(paths[i]!);
    });
  } catch (err) {
    for (const p of written) fs.rmSync(p, { force: true });
    const at = paths[written.length]!;
    throw new CommandError('E_FILE', `${at}: cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'}); nothing was left`, { file: at });
  }
  return paths;
}


function qrKeyOf(hex: string | undefined): Uint8Array | undefined {
  if (hex === undefined) return undefined;
  const clean = hex.replace(/[\s-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(clean)) throw new UsageError('--qr-key must be the 32 hex digits shown under User Details', ['letters', 'decode-qr']);
  return hexToBytes(clean);
}

export const LETTER_COMMANDS: CliCommand[] = [
  {
    words: ['letters', 'user'],
    operand: '<+46…>…',
    usage: '(--out DIR | --print | --burn) [--combined]',
    summary: 'Make users’ initiation letters (PDF, they contain private keys): into a folder, to the printer or burned to a disc',
    options: ['out', 'print', 'burn', 'combined'],
    async run(session, args) {
      const words = ['letters', 'user'];
      const mobiles = mobilesOf(args.words, words);
      const out = optionValue(args, 'out');
      const targets = [out !== undefined, args.options.has('print'), args.options.has('burn')].filter(Boolean).length;
      if (targets !== 1) throw new UsageError('say where the letters go: exactly one of --out DIR, --print or --burn', words);
      const request = { mobiles, combined: args.options.has('combined') };
      if (out !== undefined) {
        const { files } = await session.execute<{ files: { fileName: string; pdf: string }[] }>('letters.pdf', request);
        const paths = writeLetters(out, files);
        return {
          result: json({ files: paths }),
          text: [`Wrote ${paths.length} PDF file(s); they contain private keys, protect them:`, ...paths.map((p) => `  ${p}`)].join('\n'),
        };
      }
      if (args.options.has('print')) {
        const r = await session.execute<PrintResult>('letters.print', request);
        return { result: json(r), text: `Printed ${r.printed.length} letter file(s) on ${r.destination}.` };
      }
      const r = await session.execute<BurnResult & { volumeLabel: string }>('letters.burn', request);
      const text = r.verified
        ? `Burned ${r.written.length} PDF file(s) as ${r.volumeLabel} to ${r.destination} and verified them.`
        : `Burned ${r.written.length} PDF file(s) to ${r.destination}, but what was read back differs: discard that medium.`;
      return { result: json(r), text, ...(r.verified ? {} : { failure: { code: 'E_NOT_VERIFIED', message: 'the burned files did not read back the same' } }) };
    },
  },
  {
    words: ['letters', 'decode-qr'],
    operand: '<IMAGE.png>',
    usage: '[--qr-key HEX]',
    summary: 'Read an initiation QR code from a PNG image and print what it holds, keys in hex, with their RFC 6507/6508 checks',
    options: ['qr-key'],
    async run(_session, args, operand) {
      const words = ['letters', 'decode-qr'];
      if (!operand) throw new UsageError('keyward letters decode-qr needs the PNG image of the QR code', words);
      const qrKey = qrKeyOf(optionValue(args, 'qr-key'));
      const d = decodeUserQr(readQrPng(readInputFile(operand), operand), { qrKey });
      const checks = { ssk: validateSsk(d.kpak, d.identity, d.ssk, d.pvt), rsk: validateRsk(d.Z, d.identity, d.rsk) };
      const result = {
        version: QR_VERSION,
        protected: d.protected,
        uri: d.uri,
        securityDomain: d.securityDomain,
        crs: d.crs,
        period: d.period,
        tlsCredential: bytesToHex(d.tlsCredential),
        updateKey: bytesToHex(d.updateKey),
        ssk: bytesToHex(d.ssk),
        pvt: bytesToHex(d.pvt),
        rsk: bytesToHex(d.rsk),
        kpak: bytesToHex(d.kpak),
        z: bytesToHex(d.Z),
        checks,
      };
      const text = Object.entries(result)
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join('\n');
      const ok = checks.ssk && checks.rsk;
      return { result: json(result), text, ...(ok ? {} : { failure: { code: 'E_INVALID_KEY', message: 'the keys in the QR code fail their RFC 6507/6508 checks' } }) };
    },
  },
];
