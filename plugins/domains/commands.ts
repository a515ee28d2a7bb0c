/**
 * The domains plugin's commands: my certificate (screen, PDF, Print, Burn PDF), typed-row checks,
 * preview, add, list and delete of peers. Audited by name, Id and fingerprint (all public).
 */
import { CommandError, type CommandDefinition, type JsonObject, type JsonValue } from '../../src/kernel/index.js';
import { qrPngDataUrl } from '../letters/tokens.js';
import { burnCertificate, certificatePdf, printCertificate, type CertificatePdfDeps } from './certificate-pdf.js';
import type { CertificateInput, DomainsService } from './domains.service.js';

const json = <T>(value: T) => value as unknown as JsonValue;

function obj(args: JsonValue | undefined): JsonObject {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new CommandError('E_INVALID_ARGS', 'arguments must be an object');
  return args;
}

/** `certificateBase64` (from a QR code or image) or `rows` (typed), exactly one. */
export function certificateInput(args: JsonValue | undefined): CertificateInput {
  const { certificateBase64: b64, rows } = obj(args);
  if ((b64 === undefined) === (rows === undefined)) {
    throw new CommandError('E_INVALID_ARGS', 'give the certificate as certificateBase64 (QR code) or as rows (typed), not both', { field: 'certificateBase64' });
  }
  if (rows !== undefined) {
    if (!Array.isArray(rows) || !rows.every((r) => typeof r === 'string')) throw new CommandError('E_INVALID_ARGS', 'rows: must be a list of texts', { field: 'rows' });
    return { rows: rows as string[] };
  }
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new CommandError('E_INVALID_ARGS', 'certificateBase64: must be base64', { field: 'certificateBase64' });
  }
  return { certificate: Uint8Array.from(Buffer.from(b64, 'base64')) };
}

function checkRowArgs(args: JsonValue | undefined): { index: number; text: string; certificateBytes?: number } {
  const { index, text, certificateBytes } = obj(args);
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 1) throw new CommandError('E_INVALID_ARGS', 'index: must be the row number, from 1', { field: 'index' });
  if (typeof text !== 'string') throw new CommandError('E_INVALID_ARGS', 'text: must be the typed row', { field: 'text' });
  if (certificateBytes !== undefined && (typeof certificateBytes !== 'number' || !Number.isInteger(certificateBytes) || certificateBytes < 1)) {
    throw new CommandError('E_INVALID_ARGS', 'certificateBytes: must be the length row 1 announced', { field: 'certificateBytes' });
  }
  return { index, text, ...(certificateBytes !== undefined ? { certificateBytes } : {}) };
}

function fingerprintArg(args: JsonValue | undefined): string {
  const fp = obj(args).fingerprint;
  if (typeof fp !== 'string' || !fp.trim()) throw new CommandError('E_INVALID_ARGS', 'fingerprint: must be the peer’s fingerprint or Id', { field: 'fingerprint' });
  return fp;
}

const peerAudit = (_args: unknown, r: { securityDomain: string; id: string; fingerprint: string }) => ({
  target: r.securityDomain,
  details: { id: r.id, fingerprint: r.fingerprint },
});

export function domainsCommands(domains: DomainsService, pdf: CertificatePdfDeps): CommandDefinition<any, any>[] {
  return [
    {
      id: 'domains.certificate',
      title: 'Show my domain certificate: name, Id, fingerprint, QR code and rows',
      audit: false,
      handler: async () => {
        const own = await domains.ownCertificate();
        return {
          securityDomain: own.securityDomain,
          id: own.id,
          fingerprint: own.fingerprint,
          created: own.created,
          certificateBase64: Buffer.from(own.bytes).toString('base64'),
          rows: own.rows,
          png: await qrPngDataUrl(own.bytes),
        };
      },
    },
    {
      id: 'domains.certificatePdf',
      title: 'Make my domain certificate as PDF (returned to the caller, e.g. the CLI’s --out folder)',
      audit: (_a, r: { id: string; fingerprint: string }) => ({ target: r.id, details: { fingerprint: r.fingerprint } }),
      handler: async (_args, ctx) => {
        const own = await domains.ownCertificate();
        const file = await certificatePdf(own, pdf, ctx.signal);
        return { id: own.id, fingerprint: own.fingerprint, fileName: file.fileName, pdf: Buffer.from(file.pdf).toString('base64') };
      },
    },
    {
      id: 'domains.printCertificate',
      title: 'Print my domain certificate',
      audit: (_a, r: { id: string; printed: string[] }) => ({ target: r.id, details: { files: r.printed } }),
      handler: async (_args, ctx) => {
        const own = await domains.ownCertificate();
        return json({ id: own.id, ...(await printCertificate(own, pdf, ctx.signal)) });
      },
    },
    {
      id: 'domains.burnCertificate',
      title: 'Burn my domain certificate as PDF',
      audit: (_a, r: { id: string; written: string[]; verified: boolean; volumeLabel: string }) => ({
        target: r.id,
        details: { files: r.written, verified: r.verified, volumeLabel: r.volumeLabel },
      }),
      handler: async (_args, ctx) => {
        const own = await domains.ownCertificate();
        return json({ id: own.id, ...(await burnCertificate(own, pdf, ctx.signal)) });
      },
    },
    {
      id: 'domains.checkRow',
      title: 'Check one typed row of a peer’s certificate',
      audit: false,
      handler: (args) => {
        const a = checkRowArgs(args);
        return domains.checkRow(a.index, a.text, a.certificateBytes);
      },
    },
    {
      id: 'domains.preview',
      title: 'Read a peer’s certificate and show its name, Id and fingerprint before adding',
      audit: false,
      handler: async (args) => domains.preview(certificateInput(args)),
    },
    {
      id: 'domains.add',
      title: 'Add a peer domain (after confirming its name, Id and fingerprint in person)',
      audit: peerAudit,
      handler: async (args) => domains.add(certificateInput(args), obj(args).confirmed === true),
    },
    {
      id: 'domains.list',
      title: 'List the connected domains',
      audit: false,
      handler: async () => json(await domains.list()),
    },
    {
      id: 'domains.delete',
      title: 'Delete a peer domain (its credentials are revoked in the next update)',
      destructive: true,
      audit: peerAudit,
      handler: async (args) => domains.delete(fingerprintArg(args)),
    },
  ];
}
