/**
 * `keyward backup create|restore` and `keyward init --restore`: the Backup/Restore menu and the
 * install wizard's "Restore from backup" (docs/formats.md, "Backup file").
 */
import path from 'node:path';
import type { JsonObject, JsonValue } from '../kernel/index.js';
import type { BackupCreateResult, BackupRestoreResult, OtherDomainDetails } from '../../plugins/backup/tokens.js';
import { optionValue, type ParsedArgs } from './args.js';
import type { CliCommand, Outcome } from './commands.js';
import { CommandError, UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { currentPassphrase, newPassphrase, readSecretFile } from './passphrase.js';
import { confirm, interactive, promptHidden } from './prompt.js';
import type { Session } from './session.js';

const json = (v: unknown) => v as JsonValue;
const PROTECT = 'The backup holds every key of the system (master keys and all user keys): protect it like the Keyward computer itself.';

/** The passphrase that opens a backup: --backup-passphrase-file, KEYWARD_BACKUP_PASSPHRASE or a hidden prompt. */
async function backupPassphrase(session: Session, args: ParsedArgs): Promise<string> {
  const file = optionValue(args, 'backup-passphrase-file');
  if (file !== undefined) return readSecretFile(file, 'backup-passphrase-file');
  if (session.io.env.KEYWARD_BACKUP_PASSPHRASE) return session.io.env.KEYWARD_BACKUP_PASSPHRASE;
  if (!interactive(session.io)) throw new UsageError('no backup passphrase: give --backup-passphrase-file FILE or set KEYWARD_BACKUP_PASSPHRASE (there is no terminal to ask on)');
  return promptHidden('Backup passphrase: ', session.io);
}

/**
 * Runs `backup.restore`; a backup of another domain is shown (both fingerprints) and needs --yes
 * or a yes at the prompt before it is restored.
 */
async function restore(session: Session, args: ParsedArgs, file: string, passphrase: string): Promise<Outcome> {
  const base: JsonObject = {
    fileName: path.basename(file),
    contentBase64: readInputFile(file).toString('base64'),
    backupPassphrase: await backupPassphrase(session, args),
    passphrase,
  };
  let result: BackupRestoreResult;
  try {
    result = await session.execute<BackupRestoreResult>('backup.restore', base);
  } catch (err) {
    if (!(err instanceof CommandError) || err.code !== 'E_BACKUP_OTHER_DOMAIN') throw err;
    const { current, backup } = err.details as unknown as OtherDomainDetails;
    if (!session.opts.yes) {
      if (!interactive(session.io)) throw err;
      session.io.stderr.write(`This installation: ${current.securityDomain}\n  fingerprint ${current.fingerprint}\nThe backup:        ${backup.securityDomain}\n  fingerprint ${backup.fingerprint}\n`);
      if (!(await confirm('Replace this domain and all its keys with the backup’s?', session.io))) throw new CommandError('E_CANCELLED', 'not confirmed; nothing was changed');
    }
    result = await session.execute<BackupRestoreResult>('backup.restore', { ...base, confirmOtherDomain: true });
  }
  const text = [
    `Restored ${result.securityDomain} (fingerprint ${result.fingerprint}) from the backup of ${result.created}: ${result.files} files.`,
    'Keyward now opens with the administrator passphrase that was valid when the backup was made.',
    'On a new machine the installation checksum is new: ask your supplier for a licence key for it (keyward license show).',
  ].join('\n');
  return { result: json(result), text };
}

export const BACKUP_COMMANDS: CliCommand[] = [
  {
    words: ['backup', 'create'],
    usage: '(--out DIR | --burn) [--backup-passphrase-file F]',
    summary: 'Back up every key, setting, user and the event log into one encrypted file, into a folder or burned',
    options: ['out', 'burn', 'backup-passphrase-file'],
    async run(session, args) {
      const words = ['backup', 'create'];
      const out = optionValue(args, 'out');
      if ((out === undefined) === !args.options.has('burn')) throw new UsageError('give exactly one of --out DIR or --burn', words);
      const file = optionValue(args, 'backup-passphrase-file');
      const passphrase = await newPassphrase(file, 'KEYWARD_BACKUP_PASSPHRASE', 'backup-passphrase-file', session.io);
      const r = await session.execute<BackupCreateResult>('backup.create', { backupPassphrase: passphrase, ...(out === undefined ? {} : { out: path.resolve(out) }) });
      const where = path.join(r.destination, r.fileName);
      if (!r.verified) {
        return { result: json(r), text: `Burned ${where}, but what was read back differs: discard that medium.`, failure: { code: 'E_NOT_VERIFIED', message: 'the burned backup did not read back the same' } };
      }
      return { result: json(r), text: `Wrote ${where} (${r.size} bytes, ${r.files} data files, domain fingerprint ${r.fingerprint}).\n${PROTECT}` };
    },
  },
  {
    words: ['backup', 'restore'],
    operand: '<FILE>',
    usage: '[--backup-passphrase-file F] [--restore-passphrase-file F] [--yes]',
    summary:
      'Replace all data with a backup (everything is checked first; the old data is kept until the restored data opens). --restore-passphrase-file: the administrator passphrase valid when the backup was made, if not the current one',
    options: ['backup-passphrase-file', 'restore-passphrase-file'],
    async run(session, args, file) {
      const words = ['backup', 'restore'];
      if (!file) throw new UsageError('keyward backup restore needs the backup file', words);
      const current = await session.unlock();
      if (!session.opts.yes) {
        if (!interactive(session.io)) throw new UsageError('restoring replaces all data of this installation: add --yes to confirm it (there is no terminal to ask on)', words);
        if (!(await confirm(`Replace all data of this installation with the backup ${file}?`, session.io))) throw new CommandError('E_CANCELLED', 'not confirmed; nothing was changed');
      }
      const other = optionValue(args, 'restore-passphrase-file');
      const passphrase = other !== undefined ? readSecretFile(other, 'restore-passphrase-file') : (current ?? (await currentPassphrase(session.opts.passphraseFile, session.io)));
      return restore(session, args, file, passphrase);
    },
  },
];

/** `keyward init --restore FILE`: a new machine set up from a backup instead of new master keys. */
export async function initFromBackup(session: Session, args: ParsedArgs, file: string): Promise<Outcome> {
  const kernel = await session.open();
  if (kernel.state !== 'uninitialised') {
    throw new CommandError('E_ALREADY_INITIALISED', `Keyward is already set up in ${kernel.dataDir}; use "keyward backup restore" to restore over it; nothing was changed`);
  }
  for (const name of ['security-domain', 'system-id', 'license-key', 'crs-address', 'crs-account', 'crs-secret-file', 'compromised-domain']) {
    if (args.options.has(name)) throw new UsageError(`--${name} does not go with --restore: the backup brings the installation's settings`, ['init']);
  }
  // The administrator passphrase of the backup, checked against its vault (not a new one: no policy here).
  const passphrase = await currentPassphrase(session.opts.passphraseFile, session.io);
  return restore(session, args, file, passphrase);
}
