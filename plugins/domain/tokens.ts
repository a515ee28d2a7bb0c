import { token } from '../../src/kernel/index.js';

/** The domain's public keys, as other domains and devices see them. */
export interface DomainPublicKeys {
  /** ECCSI KPAK = [KSAK]G on P-256, uncompressed 0x04||x||y (65 bytes, RFC 6507 §4.2). */
  kpak: Uint8Array;
  /** SAKKE Z = [z]P on parameter set 1, uncompressed 0x04||x||y (257 bytes, RFC 6508 §2.2, RFC 6509 App. A). */
  Z: Uint8Array;
}

/** What issuing user, gateway and channel keys needs (the `issueKeySets` master argument). */
export interface DomainMasterSecrets {
  /** ECCSI KSAK (32 bytes). */
  ksak: Uint8Array;
  kpak: Uint8Array;
  /** SAKKE master secret z (128 bytes). */
  z: Uint8Array;
}

/** What `domain.show` returns (`keyward domain show --json`, docs/formats.md). */
export interface DomainShow {
  [key: string]: string;
  securityDomain: string;
  /** ECCSI KPAK, uncompressed point in lower-case hex. */
  kpak: string;
  /** SAKKE public key Z (not the secret z), uncompressed point in lower-case hex. */
  z: string;
}

/** The Security Domain: its name and master keys, created once by the install wizard. */
export interface IDomain {
  /** True once the install wizard has created the master keys. */
  readonly ready: boolean;
  /** The Security Domain name shown to users of other domains. Throws `E_NO_DOMAIN` before setup. */
  readonly securityDomain: string;
  /** When the master keys were created (ISO 8601 UTC); dates the domain certificate. Throws `E_NO_DOMAIN` before setup. */
  readonly created: string;
  /** Copies of the public keys. Throws `E_NO_DOMAIN` before setup. */
  publicKeys(): DomainPublicKeys;
  /** Fresh copies of the master secrets; the caller zeroises them when done. Throws `E_NO_DOMAIN` before setup. */
  masterSecrets(): DomainMasterSecrets;
}
export const IDomain = token<IDomain>('domain:IDomain');
