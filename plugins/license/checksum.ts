/**
 * The installation checksum (manual: "uniquely identifies the installation of one CMS instance"):
 * SHA-256 over a random installation id kept in `<dataDir>/installation.json` and the machine id,
 * cut to 128 bits. A restart keeps both; a fresh install makes a new id; a backup restored on
 * another machine meets another machine id (backups leave installation.json out).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { CommandError, writeFileAtomic } from '../../src/kernel/index.js';
import { CHECKSUM_BYTES } from './key-format.js';

export const INSTALLATION_FILE = 'installation.json';
/** Names a file to read the machine id from instead of the system's (tests; containers whose id changes). */
export const MACHINE_ID_FILE_ENV = 'KEYWARD_MACHINE_ID_FILE';
const CONTEXT = new TextEncoder().encode('keyward-installation-checksum\0');

interface InstallationFile {
  format: 1;
  /** 128 random bits, 32 hex digits. */
  installationId: string;
  created: string;
}

/** The installation id of `dataDir`, made (atomically, never replacing one) on first need. */
export async function installationId(dataDir: string): Promise<string> {
  const file = join(dataDir, INSTALLATION_FILE);
  const existing = await readInstallation(file);
  if (existing) return existing;
  const doc: InstallationFile = { format: 1, installationId: randomBytes(16).toString('hex'), created: new Date().toISOString() };
  try {
    await writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n', { mode: 0o644, exclusive: true });
    return doc.installationId;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readInstallation(file))!;
    throw err;
  }
}

async function readInstallation(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let id: unknown;
  try {
    id = (JSON.parse(text) as Partial<InstallationFile>).installationId;
  } catch {
    id = undefined;
  }
  if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id)) {
    // Not silently replaced: a new id changes the checksum, and a permanent licence key with it.
    throw new CommandError(
      'E_INSTALLATION_FILE',
      `${file} is damaged (no installationId of 32 hex digits); delete it to make a new one, which changes the installation checksum`,
    );
  }
  return id;
}

/**
 * This machine's id: the file named by KEYWARD_MACHINE_ID_FILE, else systemd's /etc/machine-id
 * (or D-Bus's copy), else Windows' MachineGuid, else the host name.
 */
export function machineId(): string {
  const named = process.env[MACHINE_ID_FILE_ENV];
  if (named) {
    const id = readId(named);
    if (!id) throw new CommandError('E_INSTALLATION_FILE', `${MACHINE_ID_FILE_ENV} names ${named}, which cannot be read or is empty`);
    return id;
  }
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    const id = readId(file);
    if (id) return id;
  }
  if (process.platform === 'win32') {
    const id = windowsMachineGuid();
    if (id) return id;
  }
  return `host:${hostname()}`;
}

function readId(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function windowsMachineGuid(): string | undefined {
  try {
    const out = execFileSync('reg', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid'], { encoding: 'utf8', windowsHide: true });
    return /MachineGuid\s+REG_SZ\s+(\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

/** The checksum of an installation id and a machine id: 32 upper-case hex digits. */
export function checksumOf(installation: string, machine: string): string {
  const digest = sha256(new Uint8Array([...CONTEXT, ...hexToBytes(installation), ...new TextEncoder().encode(machine)]));
  return Buffer.from(digest.subarray(0, CHECKSUM_BYTES)).toString('hex').toUpperCase();
}

/** This installation's checksum (creates installation.json on first use). */
export async function installationChecksum(dataDir: string): Promise<string> {
  return checksumOf(await installationId(dataDir), machineId());
}
