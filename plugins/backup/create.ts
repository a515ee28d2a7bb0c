/**
 * `backup.create`: every data file of the data dir (the vault, every collection, the event log)
 * into one encrypted backup file, written to a folder or through the burner.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CommandError, listDataFiles, NOT_DATA, writeFileAtomic, type CommandContext, type DataFile } from '../../src/kernel/index.js';
import { passphraseProblem } from '../../src/kernel/passphrase-policy.js';
import type { IDevices } from '../devices/tokens.js';
import type { IDomain } from '../domain/tokens.js';
import { ownDomainDigest } from '../domains/tokens.js';
import { buildArchive, manifestFor } from './archive.js';
import { sealBackup } from './container.js';
import type { BackupCreateResult } from './tokens.js';

export interface CreateArgs {
  backupPassphrase: string;
  /** A folder to write the file into (the CLI's `--out`); otherwise it is burned. */
  out?: string;
}

export interface CreateDeps {
  dataDir: string;
  domain: IDomain;
  devices?: IDevices;
  now(): Date;
}

/** The Keyward version recorded in manifests. */
const KEYWARD_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** `keyward-backup-20261202-101500.kwbackup` (no `:`: it must be a valid name on a disc and on Windows). */
export function backupFileName(created: Date): string {
  const stamp = created.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `keyward-backup-${stamp}.kwbackup`;
}

export async function createBackup(args: CreateArgs, ctx: CommandContext, deps: CreateDeps): Promise<BackupCreateResult> {
  const problem = passphraseProblem(args.backupPassphrase);
  if (problem) throw new CommandError('E_WEAK_PASSPHRASE', `backup.create: backupPassphrase ${problem}`);
  const created = deps.now();
  const step = (done: number, message: string) => ctx.progress({ done, total: 4, message });

  step(0, 'Copying the data files');
  const files = await readDataFiles(deps.dataDir);
  const { id: domainId, fingerprint } = ownDomainDigest(deps.domain);
  const manifest = manifestFor(files, {
    created: created.toISOString(),
    keywardVersion: KEYWARD_VERSION,
    securityDomain: deps.domain.securityDomain,
    domainId,
    fingerprint,
  });
  step(1, 'Packing the archive');
  const zip = buildArchive({ manifest, files });
  step(2, 'Encrypting');
  const sealed = await sealBackup(zip, args.backupPassphrase);
  zip.fill(0);
  if (ctx.signal.aborted) throw new CommandError('E_CANCELLED', 'backup.create was cancelled');
  step(3, args.out === undefined ? 'Burning' : 'Writing');
  const fileName = backupFileName(created);
  const about = { fileName, size: sealed.length, files: files.length, securityDomain: manifest.securityDomain, fingerprint };
  if (args.out !== undefined) {
    const file = await writeNew(args.out, fileName, sealed);
    step(4, 'Done');
    return { ...about, destination: path.dirname(file), verified: true };
  }
  if (!deps.devices) throw new CommandError('E_NO_BURNER', 'No devices plugin is running, so there is no burner; write the backup to a folder instead');
  const burned = await deps.devices.burn([{ name: fileName, data: sealed }], { volumeLabel: `KEYWARD_BACKUP_${fileName.slice(15, 23)}` });
  step(4, 'Done');
  return { ...about, destination: burned.destination, verified: burned.verified };
}

/**
 * Reads every data file. The caller runs exclusively (no command writes meanwhile); an entry that is
 * not a plain file would not be restored, so it stops the backup rather than being left out.
 */
async function readDataFiles(dataDir: string): Promise<DataFile[]> {
  const names = await listDataFiles(dataDir);
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (!entry.isFile() && !entry.name.startsWith('.') && !NOT_DATA.includes(entry.name)) {
      throw new CommandError('E_BACKUP_UNSUPPORTED', `${path.join(dataDir, entry.name)} is not a plain file, so a backup cannot carry it; nothing was written`);
    }
  }
  return Promise.all(names.map(async (name) => ({ name, data: await readFile(path.join(dataDir, name)) })));
}

/**
 * Writes one new file into `dir`, never replacing one: through a synced temporary file linked into
 * place (writeFileAtomic), so a failed or killed write leaves no part of a backup under its name.
 */
async function writeNew(dir: string, name: string, data: Uint8Array): Promise<string> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new CommandError('E_FILE', `${dir}: no such folder; nothing was written`, { file: dir });
  const file = path.join(dir, name);
  try {
    await writeFileAtomic(file, data, { exclusive: true, mode: 0o600 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError('E_FILE', `${file}: ${code === 'EEXIST' ? 'exists already' : `cannot be written (${code ?? 'error'})`}; nothing was written`, { file });
  }
  return file;
}
