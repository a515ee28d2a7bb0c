/**
 * The backup plugin's public surface: the manifest inside a backup and what its commands return
 * (docs/formats.md, "Backup file"). Other plugins take no service from it.
 */

/** The manifest format this Keyward writes; older ones are migrated on restore, newer ones refused. */
export const BACKUP_FORMAT_VERSION = 1;

/** `manifest.json` at the top of the ZIP archive. */
export interface BackupManifest {
  format: 'keyward-backup';
  formatVersion: number;
  /** ISO 8601 UTC. */
  created: string;
  /** The Keyward version that made it (package.json). */
  keywardVersion: string;
  securityDomain: string;
  /** The domain certificate's Id (`0246 ABEF`) and fingerprint (16 groups of 4 hex digits). */
  domainId: string;
  fingerprint: string;
  /** Every data file, sorted by name; each is `data/<name>` in the archive. */
  files: { name: string; size: number; sha256: string }[];
}

/** What `backup.create` returns. */
export interface BackupCreateResult {
  [key: string]: string | number | boolean;
  fileName: string;
  /** Bytes of the encrypted backup file. */
  size: number;
  files: number;
  securityDomain: string;
  fingerprint: string;
  /** The folder (`out`) or the burner's destination. */
  destination: string;
  /** Burned: read back and compared. Written to a folder: always true. */
  verified: boolean;
}

/** What `backup.restore` returns. */
export interface BackupRestoreResult {
  [key: string]: string | number;
  securityDomain: string;
  fingerprint: string;
  /** When the backup was made. */
  created: string;
  files: number;
  state: 'ready';
}

/** `E_BACKUP_OTHER_DOMAIN` details: both domains, so the administrator can decide. */
export interface OtherDomainDetails {
  [key: string]: { securityDomain: string; fingerprint: string };
  current: { securityDomain: string; fingerprint: string };
  backup: { securityDomain: string; fingerprint: string };
}
