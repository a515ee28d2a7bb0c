import { token } from '../../src/kernel/index.js';

export {
  CLIENTS,
  CLIENT_NAMES,
  COMPATIBILITY,
  blockedBySwitching,
  compatibilityOf,
  formatBlocked,
  formatSupported,
  minimumVersions,
  type Blocked,
  type Client,
  type CompatibilityFeature,
  type FeatureCompatibility,
  type Supported,
} from './compatibility.js';
export { MESSAGE_LIFETIME_MAX_SECONDS, MESSAGE_LIFETIME_MIN_SECONDS } from './lifetime.js';

/** How devices and this system reach the CRS (manual: "CMS Parameters → CRS"). */
export interface CrsSettings {
  /** IP address or FQDN the clients connect to. */
  address: string;
  /** Identifies this CMS in the CRS. */
  account: string;
  /** Derives the per-user TLS credentials and authenticates update files for the CRS. Secret. */
  secret: string;
}

/** One stored CRS (manual: "CRS migration"): when, where and which account — never the secret. */
export interface CrsChange {
  /** ISO 8601 UTC. */
  time: string;
  address: string;
  account: string;
  /** `setup`: stored by the install wizard; `change`: changed under Settings. */
  kind: 'setup' | 'change';
  /** Whether the shared secret was replaced at this point (its value is never kept here). */
  secretReplaced: boolean;
}

/** Licence fields as entered in the wizard; verified by the licence plugin where a deployment requires it. */
export interface LicenseSettings {
  systemId: string;
  licenseKey: string;
}

/**
 * Message lifetime (manual, "Settings and compatibility → Message lifetime"): messages expire
 * `defaultSeconds` after sending unless the sender picks another lifetime up to `maxSeconds`.
 */
export interface MessageLifetime {
  /** At least one hour; at most the documented upper bound (settings plugin, docs/formats.md). */
  maxSeconds: number;
  /** At most `maxSeconds`. */
  defaultSeconds: number;
}

/** The domain-wide switches an update file carries to every client (manual, "Settings and compatibility"). */
export interface DomainFeatures {
  /** `null`: messages do not expire. */
  messageLifetime: MessageLifetime | null;
  /** Authorised intercept with minimal key exposure. */
  authorisedIntercept: boolean;
  multipath: boolean;
  /** Channels are delivered in updates (and shown) only when on. */
  channels: boolean;
  /** Initiation-letter QR codes are protected with the user's QR code key. */
  qrProtection: boolean;
}

/** The domain's settings, loaded once the vault is open. */
export interface ISettings {
  /** The CRS settings including the shared secret (for plugins that derive from it). Throws `E_NO_SETTINGS` before setup. */
  crs(): CrsSettings;
  /** Validate and store new CRS settings; an omitted secret keeps the current one. Returns what is stored. */
  setCrs(next: { address: string; account: string; secret?: string }): Promise<CrsSettings>;
  /** Licence fields as given (empty strings when left empty). */
  license(): LicenseSettings;
  /** Store new licence fields as given ("New License"); the licence plugin verifies them first. */
  setLicense(next: LicenseSettings): Promise<void>;
  /** The feature switches as set under Settings (defaults until changed). */
  features(): DomainFeatures;
  /**
   * Every CRS stored since this history was kept, oldest first; the last entry is the current CRS.
   * A change since the previous update means the next update moves devices to the new CRS.
   */
  crsHistory(): CrsChange[];
}
export const ISettings = token<ISettings>('settings:ISettings');
