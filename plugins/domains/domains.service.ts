import { CommandError, type Collection, type HookRegistry } from '../../src/kernel/index.js';
import type { IDomain } from '../domain/tokens.js';
import { announcedLength, certificateDigest, decodeCertificate, HEADER_BYTES } from './certificate.js';
import { ownCertificateBytes } from './own-certificate.js';
import { encodeRows, parseRow, ROW_BYTES, rowBytes, rowCount, RowError } from './rows.js';
import { PeersChangedHook, type IDomains, type OwnCertificate, type PeerChanges, type PeerDomain } from './tokens.js';

/** A peer in the `domains` collection (encrypted at rest by the vault); `_id` is `peer:` and its fingerprint's hex. */
export interface DomainsDoc {
  _id: string;
  kind: 'peer';
  /** The certificate as received, base64. */
  certificate: string;
  securityDomain: string;
  fingerprint: string;
  added: string;
  deleted?: string;
}
type PeerDoc = DomainsDoc;

/** A certificate offered for adding: by its bytes (QR code, image) or by typed rows. */
export type CertificateInput = { certificate: Uint8Array } | { rows: string[] };

/** What is shown before adding: what the peer's administrator reads out in person. */
export interface PeerPreview {
  [key: string]: string;
  securityDomain: string;
  id: string;
  fingerprint: string;
  created: string;
  /** The certificate bytes, base64: what `domains.add` takes once confirmed. */
  certificateBase64: string;
}

/** A peer as listed (no key bytes). */
export interface PeerSummary {
  [key: string]: string;
  securityDomain: string;
  id: string;
  fingerprint: string;
  added: string;
}

/** Result of checking one typed row. */
export interface RowCheck {
  [key: string]: number | boolean;
  ok: true;
  index: number;
  /** Bytes in this row. */
  bytes: number;
  /** From row 1 on: the certificate's length and its number of rows. */
  certificateBytes: number;
  rows: number;
}

/** Names compare without case, accents kept: two domains a user could not tell apart clash. */
const nameKey = (name: string) => name.normalize('NFC').toLocaleLowerCase('en');
const fingerprintKey = (fp: string) => fp.replace(/\s/g, '').toUpperCase();

/** Connected domains: our certificate, and the peers added, listed and deleted here. */
export class DomainsService implements IDomains {
  constructor(
    private readonly store: Collection<DomainsDoc>,
    private readonly domain: IDomain,
    private readonly hooks: HookRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async ownCertificate(): Promise<OwnCertificate> {
    const bytes = ownCertificateBytes(this.domain);
    const cert = decodeCertificate(bytes, { stored: true });
    return { securityDomain: cert.securityDomain, ...certificateDigest(bytes), created: cert.created.toISOString(), bytes, rows: encodeRows(bytes) };
  }

  /**
   * Check typed row `index` (from 1). Row 1 holds the header, so from it on the length of every
   * row is known: pass `certificateBytes` to have a short or long row refused at once.
   */
  checkRow(index: number, text: string, certificateBytes?: number): RowCheck {
    const { bytes, total } = this.readRow(index, text, certificateBytes);
    return { ok: true, index, bytes: bytes.length, certificateBytes: total ?? 0, rows: total ? rowCount(total) : 0 };
  }

  /** A typed row's bytes and, from row 1 on, the certificate's length. */
  private readRow(index: number, text: string, certificateBytes?: number): { bytes: Uint8Array; total?: number } {
    const expected = certificateBytes === undefined ? undefined : rowBytes(index, certificateBytes);
    if (expected === 0) throw rowError(new RowError(index, `the certificate has only ${rowCount(certificateBytes!)} rows`));
    let bytes: Uint8Array;
    try {
      bytes = parseRow(index, text, expected);
    } catch (err) {
      throw err instanceof RowError ? rowError(err) : err;
    }
    let total = certificateBytes;
    if (index === 1) {
      if (bytes.length < HEADER_BYTES) throw rowError(new RowError(1, 'row 1 must be a full row'));
      try {
        total = announcedLength(bytes);
      } catch (err) {
        throw rowError(new RowError(1, `the checksum is right but this is not a Keyward domain certificate (${(err as Error).message})`));
      }
    }
    return { bytes, total };
  }

  /** The certificate bytes of typed rows, all checked. */
  rowsToCertificate(rows: string[]): Uint8Array {
    const lines = rows.filter((r) => r.trim() !== '');
    if (!lines.length) throw new CommandError('E_INVALID_ARGS', 'rows: no rows given', { field: 'rows' });
    const total = this.readRow(1, lines[0]!).total!;
    if (lines.length !== rowCount(total)) {
      throw new CommandError('E_INVALID_ROWS', `rows: the certificate has ${rowCount(total)} rows, ${lines.length} were given`, { field: 'rows' });
    }
    const out = new Uint8Array(total);
    lines.forEach((text, i) => out.set(this.readRow(i + 1, text, total).bytes, i * ROW_BYTES));
    return out;
  }

  /** Decode and check a peer certificate and every refusal, without adding it. */
  async preview(input: CertificateInput): Promise<PeerPreview> {
    const bytes = 'rows' in input ? this.rowsToCertificate(input.rows) : input.certificate;
    const cert = decodeCertificate(bytes);
    const digest = certificateDigest(bytes);
    const own = await this.ownCertificate();
    const { kpak, Z } = this.domain.publicKeys();
    if (digest.fingerprint === own.fingerprint || equal(cert.kpak, kpak) || equal(cert.Z, Z)) {
      throw new CommandError('E_OWN_DOMAIN', 'This is the certificate of this Security Domain; add the peer’s certificate instead', { fingerprint: digest.fingerprint });
    }
    if (nameKey(cert.securityDomain) === nameKey(own.securityDomain)) {
      throw new CommandError('E_NAME_CLASH', `The peer is named "${cert.securityDomain}" like this Security Domain; users could not tell them apart`, { securityDomain: cert.securityDomain });
    }
    for (const peer of await this.connected()) {
      if (peer.fingerprint === digest.fingerprint) {
        throw new CommandError('E_ALREADY_ADDED', `The domain "${peer.securityDomain}" (Id ${peer.id}) is already connected`, { fingerprint: digest.fingerprint });
      }
      if (equal(peer.kpak, cert.kpak) || equal(peer.Z, cert.Z)) {
        throw new CommandError('E_ALREADY_ADDED', `The connected domain "${peer.securityDomain}" (Id ${peer.id}) has the same keys under another certificate; delete it first`, { fingerprint: peer.fingerprint });
      }
      if (nameKey(peer.securityDomain) === nameKey(cert.securityDomain)) {
        throw new CommandError('E_NAME_CLASH', `A connected domain is already named "${peer.securityDomain}" (Id ${peer.id}); users could not tell them apart`, { securityDomain: cert.securityDomain });
      }
    }
    return {
      securityDomain: cert.securityDomain,
      ...digest,
      created: cert.created.toISOString(),
      certificateBase64: Buffer.from(bytes).toString('base64'),
    };
  }

  /** Add a peer once the administrator has confirmed its name, Id and fingerprint in person. */
  async add(input: CertificateInput, confirmed: boolean): Promise<PeerSummary> {
    const preview = await this.preview(input);
    if (!confirmed) {
      throw new CommandError('E_NOT_CONFIRMED', 'confirmed: compare the name, Id and fingerprint with the peer’s administrator in person, then confirm', { field: 'confirmed' });
    }
    const doc: PeerDoc = {
      _id: `peer:${fingerprintKey(preview.fingerprint)}`,
      kind: 'peer',
      certificate: preview.certificateBase64,
      securityDomain: preview.securityDomain,
      fingerprint: preview.fingerprint,
      added: this.now().toISOString(),
    };
    // A peer deleted before and added again keeps one record: its revocation is replaced by the new addition.
    await this.store.update({ _id: doc._id }, doc, { upsert: true });
    const peer = toPeer(doc);
    await this.hooks.run(PeersChangedHook, { change: 'added', peer });
    return summary(peer);
  }

  /** The connected peers, by name. */
  async list(): Promise<PeerSummary[]> {
    return (await this.connected()).map(summary);
  }

  /** Delete a peer named by its fingerprint or its Id; it is revoked in the next update. */
  async delete(which: string): Promise<PeerSummary> {
    const key = fingerprintKey(which);
    if (!/^[0-9A-F]{8}$|^[0-9A-F]{64}$/.test(key)) {
      throw new CommandError('E_INVALID_ARGS', 'fingerprint: give the peer’s fingerprint (64 hex digits) or its Id (8 hex digits)', { field: 'fingerprint' });
    }
    const matches = (await this.connected()).filter((p) => fingerprintKey(p.fingerprint).startsWith(key));
    if (matches.length === 0) throw new CommandError('E_NOT_FOUND', `No connected domain has the fingerprint or Id ${which}`, { fingerprint: which });
    if (matches.length > 1) throw new CommandError('E_AMBIGUOUS', `Several connected domains have the Id ${which}; give the whole fingerprint`, { fingerprint: which });
    const peer = matches[0]!;
    const deleted = this.now().toISOString();
    await this.store.update({ _id: `peer:${fingerprintKey(peer.fingerprint)}` }, { $set: { deleted } });
    const gone = { ...peer, deleted };
    await this.hooks.run(PeersChangedHook, { change: 'deleted', peer: gone });
    return summary(gone);
  }

  async peers(): Promise<PeerDomain[]> {
    return this.connected();
  }

  async changesSince(since: Date): Promise<PeerChanges> {
    const at = since.toISOString();
    const all = await this.all();
    return {
      added: all.filter((p) => !p.deleted && p.added >= at),
      deleted: all.filter((p) => p.deleted !== undefined && p.deleted >= at),
    };
  }

  private async connected(): Promise<PeerDomain[]> {
    return (await this.all()).filter((p) => !p.deleted);
  }

  private async all(): Promise<PeerDomain[]> {
    const docs = (await this.store.find({ kind: 'peer' })) as PeerDoc[];
    return docs.map(toPeer).sort((a, b) => a.securityDomain.localeCompare(b.securityDomain) || a.fingerprint.localeCompare(b.fingerprint));
  }
}

function toPeer(doc: PeerDoc): PeerDomain {
  const certificate = Uint8Array.from(Buffer.from(doc.certificate, 'base64'));
  const cert = decodeCertificate(certificate, { stored: true });
  return {
    securityDomain: cert.securityDomain,
    ...certificateDigest(certificate),
    kpak: cert.kpak,
    Z: cert.Z,
    certificate,
    added: doc.added,
    ...(doc.deleted ? { deleted: doc.deleted } : {}),
  };
}

function summary(p: PeerDomain): PeerSummary {
  return { securityDomain: p.securityDomain, id: p.id, fingerprint: p.fingerprint, added: p.added, ...(p.deleted ? { deleted: p.deleted } : {}) };
}

function rowError(err: RowError): CommandError {
  return new CommandError('E_INVALID_ROW', err.message, { field: 'rows', index: err.index });
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
