/** The monthly update file's two parts (docs/formats.md, "Monthly update file"). Plain JSON shapes. */
import type { DomainFeatures } from '../settings/tokens.js';

/** An endpoint as the CRS sees it: numbers and engine ids, never a name. */
export type CrsEndpoint =
  | {
      /** The endpoint id: the user's `tel:+<E.164>` URI. */
      id: string;
      kind: 'user';
      /** The user's current credential generation (its TLS credential's salt, docs "User initiation QR payload"). */
      generation: number;
      /** The user's additional lines, `tel:` URIs (served by the same device and entry). */
      lines: string[];
    }
  | {
      /** `tel:+<gateway number>;engine=<engine id>`: the engine's TLS URI. */
      id: string;
      kind: 'engine';
      /** The gateway's `tel:` URI. */
      gateway: string;
      engine: string;
    };

/** A credential the CRS must refuse from now on. */
export type BlockedCredential =
  | { kind: 'user'; uri: string; generation: number; reason: 'destroyed' | 'deleted' }
  | { kind: 'engine'; gateway: string; engine: string; reason: 'revoked' };

/** What the CRS may read (authenticated for it, not encrypted). */
export interface CrsPart {
  format: 'keyward-update';
  version: 1;
  account: string;
  /** The two months covered, `YYYY-MM`, ascending. */
  months: string[];
  /** ISO 8601 UTC. */
  created: string;
  /** In entry order. */
  endpoints: CrsEndpoint[];
  blocked: BlockedCredential[];
  /** Channel ids (32 hex) and members' numbers (E.164); empty while channels are off. */
  channels: { id: string; members: string[] }[];
}

/** One identity's keys for one month, lower-case hex (uncompressed points). */
export interface EntryKeys {
  ssk: string;
  pvt: string;
  rsk: string;
}

/** The plaintext of one endpoint's entry. */
export interface UpdateEntry {
  format: 'keyward-update-entry';
  version: 1;
  endpoint: string;
  kind: 'user' | 'engine';
  months: string[];
  securityDomain: string;
  /** Where the device connects from now on (CRS migration: devices move with it). */
  crs: { address: string; account: string };
  /** This domain's public keys: KPAK (65 bytes) and Z (257 bytes), hex. */
  kms: { kpak: string; z: string };
  /** The main URI first, then lines (users) — each with keys per month. */
  identities: { uri: string; keys: Record<string, EntryKeys> }[];
  /** Users only: the PUK of each month. */
  puk?: Record<string, string>;
  /** The endpoint's channels (only while channels are on). */
  channels: { id: string; name: string; keys: Record<string, EntryKeys> }[];
  peers: { securityDomain: string; id: string; fingerprint: string; kpak: string; z: string }[];
  revokedPeers: { securityDomain: string; id: string; fingerprint: string }[];
  /** The domain's feature switches. */
  settings: DomainFeatures;
}
