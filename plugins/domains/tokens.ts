import { defineHook, token } from '../../src/kernel/index.js';

// Letters show this domain's Id and fingerprint without depending on the domains plugin (which needs them).
export { ownDomainDigest } from './own-certificate.js';
export type { CertificateDigest } from './certificate.js';

/** A connected (peer) domain as other plugins see it, e.g. the monthly update file. */
export interface PeerDomain {
  securityDomain: string;
  /** `0246 ABEF`: the fingerprint's first 4 bytes. */
  id: string;
  /** SHA-256 of its certificate, 16 groups of 4 upper-case hex digits. */
  fingerprint: string;
  /** ECCSI KPAK, uncompressed (65 bytes). */
  kpak: Uint8Array;
  /** SAKKE Z, uncompressed (257 bytes). */
  Z: Uint8Array;
  /** The certificate bytes as received (docs/formats.md, "Domain certificate"). */
  certificate: Uint8Array;
  /** When this installation added it (ISO 8601 UTC). */
  added: string;
  /** When it was deleted (ISO 8601 UTC); absent while connected. */
  deleted?: string;
}

/** Peers added and deleted since a moment: what the next update file provisions and revokes. */
export interface PeerChanges {
  added: PeerDomain[];
  deleted: PeerDomain[];
}

/** What `domains.peersChanged` carries after every add or delete. */
export interface PeerChange {
  change: 'added' | 'deleted';
  peer: PeerDomain;
}
/** Runs after a peer is added or deleted (the updates plugin may note it for the next update file). */
export const PeersChangedHook = defineHook<PeerChange>('domains.peersChanged');

/** This domain's certificate with its digests. */
export interface OwnCertificate {
  securityDomain: string;
  id: string;
  fingerprint: string;
  /** ISO 8601 UTC, whole seconds: when the certificate was first made. */
  created: string;
  bytes: Uint8Array;
  /** The same bytes as numbered rows with check characters. */
  rows: string[];
}

/** Connected domains: our certificate, and the peers whose credentials our clients trust. */
export interface IDomains {
  /** This domain's certificate (`$OWN-DOMAIN-ID`, `$OWN-DOMAIN-FINGERPRINT`). Throws `E_NO_DOMAIN` before setup. */
  ownCertificate(): Promise<OwnCertificate>;
  /** The connected peers, by name. */
  peers(): Promise<PeerDomain[]>;
  /** Peers added (still connected) and deleted at or after `since`: provision the first, revoke the second. */
  changesSince(since: Date): Promise<PeerChanges>;
}
export const IDomains = token<IDomains>('domains:IDomains');
