import { token } from '../../src/kernel/index.js';

/** How devices and this system reach the CRS (manual: "CMS Parameters → CRS"). */
export interface CrsSettings {
  /** IP address or FQDN the clients connect to. */
  address: string;
  /** Identifies this CMS in the CRS. */
  account: string;
  /** Derives the per-user TLS credentials and authenticates update files for the CRS. Secret. */
  secret: string;
}

/** Licence fields as entered in the wizard; verified by the licence plugin where a deployment requires it. */
export interface LicenseSettings {
  systemId: string;
  licenseKey: string;
}

/** The domain's settings, loaded once the vault is open. */
export interface ISettings {
  /** The CRS settings including the shared secret (for plugins that derive from it). Throws `E_NO_SETTINGS` before setup. */
  crs(): CrsSettings;
  /** Validate and store new CRS settings; an omitted secret keeps the current one. Returns what is stored. */
  setCrs(next: { address: string; account: string; secret?: string }): Promise<CrsSettings>;
  /** Licence fields as given (empty strings when left empty). */
  license(): LicenseSettings;
}
export const ISettings = token<ISettings>('settings:ISettings');
