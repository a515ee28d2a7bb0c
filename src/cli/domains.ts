/**
 * `keyward domain certificate|rows` and `keyward peers …`: my domain certificate (rows, PDF, print, burn) and the connected peers
 * (add from a QR image or typed rows after confirming name, Id and fingerprint; list; delete).
 */
import type { JsonObject, JsonValue } from '../kernel/index.js';
import type { BurnResult, PrintResult } from '../../plugins/devices/tokens.js';
import { readInputFile, writeNew } from './files.js';
import { readQrPng } from '../../plugins/letters/qr-read.js';
import { optionValue } from './args.js';
import type { CliCommand } from './commands.js';
import { CommandError, UsageError } from './errors.js';
import { confirm, interactive } from './prompt.js';

const json = (v: unknown) => v as JsonValue;

interface Peer {
  securityDomain: string;
  id: string;
  fingerprint: string;
  added?: string;
  created?: string;
}


const describePeer = (p: Peer) => `Security Domain: ${p.securityDomain}\nDomain Id:       ${p.id}\nFingerprint:     ${p.fingerprint}`;

export const DOMAINS_COMMANDS: CliCommand[] = [
  {
    words: ['domain', 'certificate'],
    usage: '[--out DIR | --print | --burn]',
    summary: 'Show my domain certificate (name, Id, fingerprint and the rows to type), or make it as PDF into a folder, print it or burn it',
    options: ['out', 'print', 'burn'],
    async run(session, args) {
      const words = ['domain', 'certificate'];
      const out = optionValue(args, 'out');
      const targets = [out !== undefined, args.options.has('print'), args.options.has('burn')].filter(Boolean).length;
      if (targets > 1) throw new UsageError('give at most one of --out DIR, --print or --burn', words);
      if (out !== undefined) {
        const r = await session.execute<{ fileName: string; pdf: string; id: string; fingerprint: string }>('domains.certificatePdf');
        const file = writeNew(out, r.fileName, Buffer.from(r.pdf, 'base64'));
        return { result: json({ file, id: r.id, fingerprint: r.fingerprint }), text: `Wrote ${file} (domain Id ${r.id}).` };
      }
      if (args.options.has('print')) {
        const r = await session.execute<PrintResult & { id: string }>('domains.printCertificate');
        return { result: json(r), text: `Printed the domain certificate on ${r.destination}.` };
      }
      if (args.options.has('burn')) {
        const r = await session.execute<BurnResult & { volumeLabel: string }>('domains.burnCertificate');
        const text = r.verified
          ? `Burned the domain certificate as ${r.volumeLabel} to ${r.destination} and verified it.`
          : `Burned the domain certificate to ${r.destination}, but what was read back differs: discard that medium.`;
        return { result: json(r), text, ...(r.verified ? {} : { failure: { code: 'E_NOT_VERIFIED', message: 'the burned file did not read back the same' } }) };
      }
      const c = await session.execute<Peer & { rows: string[]; certificateBase64: string; created: string }>('domains.certificate');
      const { securityDomain, id, fingerprint, created, rows, certificateBase64 } = c;
      return { result: json({ securityDomain, id, fingerprint, created, certificateBase64, rows }), text: [describePeer(c), `Created:         ${created}`, '', ...rows].join('\n') };
    },
  },
  {
    words: ['domain', 'rows'],
    summary: 'Print my domain certificate as the rows a peer administrator types, one a line',
    options: [],
    async run(session) {
      const { rows } = await session.execute<{ rows: string[] }>('domains.certificate');
      return { result: json(rows), text: rows.join('\n') };
    },
  },
  {
    words: ['peers', 'add'],
    usage: '(--image FILE.png | --rows FILE)',
    summary: 'Add a peer domain from a PNG image of its QR code or a file of its rows (one a line); shows its name, Id and fingerprint and asks to confirm (--yes confirms)',
    options: ['image', 'rows'],
    async run(session, args) {
      const words = ['peers', 'add'];
      const image = optionValue(args, 'image');
      const rowsFile = optionValue(args, 'rows');
      if ((image === undefined) === (rowsFile === undefined)) throw new UsageError('give the certificate as exactly one of --image FILE.png or --rows FILE', words);
      const input: JsonObject = image !== undefined
        ? { certificateBase64: Buffer.from(readQrPng(readInputFile(image), image)).toString('base64') }
        : { rows: readInputFile(rowsFile!).toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '') };
      const preview = await session.execute<Peer>('domains.preview', input);
      if (!session.opts.yes) {
        if (!interactive(session.io)) throw new UsageError('compare the name, Id and fingerprint with the peer’s administrator, then add --yes (there is no terminal to ask on)', words);
        session.io.stderr.write(`${describePeer(preview)}\n`);
        if (!(await confirm('Do the name, Id and fingerprint match what the peer’s administrator told you in person?', session.io))) {
          throw new CommandError('E_CANCELLED', 'not confirmed; the domain was not added');
        }
      }
      const added = await session.execute<Peer>('domains.add', { ...input, confirmed: true });
      return { result: json(added), text: `Added the peer domain:\n${describePeer(added)}\nProvision it to the CRS with the next update file; the peer must add this domain too.` };
    },
  },
  {
    words: ['peers', 'list'],
    summary: 'List the connected peer domains with their Id and fingerprint',
    options: [],
    async run(session) {
      const peers = await session.execute<Peer[]>('domains.list');
      const text = peers.length ? peers.map((p) => `${p.id}  ${p.securityDomain}\n           ${p.fingerprint}`).join('\n') : 'No connected domains.';
      return { result: json(peers), text };
    },
  },
  {
    words: ['peers', 'delete'],
    operand: '<ID|FINGERPRINT>',
    summary: 'Delete a peer domain by its Id or fingerprint (revoked from the CRS with the next update file)',
    options: [],
    async run(session, _args, operand) {
      if (!operand) throw new UsageError('keyward peers delete needs the peer’s Id (e.g. "0246 ABEF") or fingerprint', ['peers', 'delete']);
      const gone = await session.execute<Peer>('domains.delete', { fingerprint: operand });
      return { result: json(gone), text: `Deleted the peer domain ${gone.securityDomain} (${gone.id}); revoke it with the next update file.` };
    },
  },
];
