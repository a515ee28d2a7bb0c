/**
 * `backup.restore`: on the same machine (ready) or a new one (the install wizard, uninitialised).
 * Every check runs before anything is touched — the backup passphrase, the archive, the manifest,
 * every hash, the compromised list, the domain — then the kernel replaces the data in one step
 * and unlocks it with the administrator passphrase that was valid when the backup was made.
 */
import { CommandError, type CommandContext, type StandaloneKernel } from '../../src/kernel/index.js';
import { readArchive } from './archive.js';
import { openBackup } from './container.js';
import type { BackupRestoreResult, OtherDomainDetails } from './tokens.js';

export interface RestoreArgs {
  /** Only for messages. */
  fileName: string;
  contentBase64: string;
  backupPassphrase: string;
  /** The administrator passphrase valid when the backup was made: it unlocks the restored data. */
  passphrase: string;
  /** Restoring over an installation of another domain was confirmed. */
  confirmOtherDomain?: boolean;
}

/** What a ready installation tells the restore about itself (the backup plugin's active part). */
export interface Installation {
  domain(): { securityDomain: string; fingerprint: string };
  compromised(): Promise<string[]>;
}

/** The manual's reason, "Compromised recovery – CMS". */
export const COMPROMISED_REASON = 'NB! It is NOT possible to restore from a backup as the master keys of the system are compromised';

export async function restoreBackup(
  args: RestoreArgs,
  ctx: CommandContext,
  kernel: StandaloneKernel,
  installation: Installation | undefined,
): Promise<BackupRestoreResult> {
  if (kernel.state === 'locked') throw new CommandError('E_LOCKED', 'Keyward is locked: unlock it before restoring a backup over it');
  if (kernel.state === 'ready' && !installation) throw new CommandError('E_PLUGIN_FAILED', 'The backup plugin is not running on this installation');
  const step = (done: number, message: string) => ctx.progress({ done, total: 4, message });
  step(0, 'Decrypting');
  const archive = readArchive(await openBackup(Buffer.from(args.contentBase64, 'base64'), args.backupPassphrase, args.fileName), args.fileName);
  const { manifest } = archive;
  step(1, 'Checking');
  if (installation) {
    if ((await installation.compromised()).includes(manifest.fingerprint)) {
      throw new CommandError(
        'E_BACKUP_COMPROMISED',
        `${args.fileName} is a backup of ${manifest.securityDomain} (fingerprint ${manifest.fingerprint}), which this installation replaced as compromised. ${COMPROMISED_REASON}; nothing was changed`,
      );
    }
    const current = installation.domain();
    if (current.fingerprint !== manifest.fingerprint && args.confirmOtherDomain !== true) {
      const details: OtherDomainDetails = {
        current,
        backup: { securityDomain: manifest.securityDomain, fingerprint: manifest.fingerprint },
      };
      throw new CommandError(
        'E_BACKUP_OTHER_DOMAIN',
        `${args.fileName} is a backup of another domain: ${manifest.securityDomain} (fingerprint ${manifest.fingerprint}); this installation is ${current.securityDomain} (fingerprint ${current.fingerprint}). Restoring replaces this domain and all its keys: confirm to go ahead; nothing was changed`,
        details,
      );
    }
  }
  if (ctx.signal.aborted) throw new CommandError('E_CANCELLED', 'backup.restore was cancelled');
  step(2, 'Replacing the data');
  await kernel.restoreData(archive.files, args.passphrase);
  step(4, 'Done');
  return {
    securityDomain: manifest.securityDomain,
    fingerprint: manifest.fingerprint,
    created: manifest.created,
    files: archive.files.length,
    state: 'ready',
  };
}
