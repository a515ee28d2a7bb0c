/**
 * The ZIP archive inside a backup (docs/formats.md, "Backup file"): `manifest.json` and one
 * `data/<name>` entry per data file. Reading checks everything before anything is used: entry
 * names (no paths out of the archive, nothing unexpected), the manifest, each file's size and
 * SHA-256; an older format version is migrated, a newer one refused.
 */
import { createHash } from 'node:crypto';
import AdmZip from 'adm-zip';
import { CommandError, dataFileNameProblem, type DataFile } from '../../src/kernel/index.js';
import { normaliseFingerprint } from './fingerprint.js';
import { BACKUP_FORMAT_VERSION, type BackupManifest } from './tokens.js';

export const MANIFEST = 'manifest.json';
const DATA_PREFIX = 'data/';

export interface Archive {
  manifest: BackupManifest;
  files: DataFile[];
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest for `files` (sorted by name). */
export function manifestFor(files: DataFile[], about: Omit<BackupManifest, 'format' | 'formatVersion' | 'files'>): BackupManifest {
  return {
    format: 'keyward-backup',
    formatVersion: BACKUP_FORMAT_VERSION,
    ...about,
    files: [...files].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => ({ name: f.name, size: f.data.length, sha256: sha256Hex(f.data) })),
  };
}

/** The ZIP archive of a backup. */
export function buildArchive({ manifest, files }: Archive): Buffer {
  const zip = new AdmZip();
  zip.addFile(MANIFEST, Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'));
  for (const f of files) zip.addFile(DATA_PREFIX + f.name, Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
  return zip.toBuffer();
}

/**
 * Upgrades an archive of format version v to v+1 (key v). Format 1 is the first, so there is none
 * yet; a format 2 adds its step here and restores of version 1 backups keep working.
 */
const MIGRATIONS: Record<number, (a: Archive) => Archive> = {};

/** Reads and checks a decrypted archive; every refusal is a CommandError naming what is wrong. */
export function readArchive(zipBytes: Buffer, name: string): Archive {
  const fail = (code: string, why: string) => new CommandError(code, `${name}: ${why}; nothing was changed`);
  let entries: AdmZip.IZipEntry[];
  try {
    entries = new AdmZip(zipBytes).getEntries();
  } catch {
    throw fail('E_BACKUP_FORMAT', 'the archive inside is not a readable ZIP archive');
  }
  const byName = new Map<string, AdmZip.IZipEntry>();
  for (const entry of entries) {
    const entryName = entry.entryName;
    if (unsafe(entryName)) throw fail('E_BACKUP_UNSAFE', `the archive holds the unsafe path ${JSON.stringify(entryName)} (it would write outside the data dir)`);
    if (entry.isDirectory || (entryName !== MANIFEST && !entryName.startsWith(DATA_PREFIX))) {
      throw fail('E_BACKUP_UNEXPECTED', `the archive holds ${JSON.stringify(entryName)}, which a Keyward backup does not have`);
    }
    if (byName.has(entryName)) throw fail('E_BACKUP_UNEXPECTED', `the archive holds ${JSON.stringify(entryName)} twice`);
    byName.set(entryName, entry);
  }
  const manifestEntry = byName.get(MANIFEST);
  if (!manifestEntry) throw fail('E_BACKUP_DAMAGED', `the archive has no ${MANIFEST}`);
  const manifest = checkManifest(parseJson(entryData(manifestEntry, fail), fail), fail);

  const listed = new Set(manifest.files.map((f) => DATA_PREFIX + f.name));
  for (const entryName of byName.keys()) {
    if (entryName !== MANIFEST && !listed.has(entryName)) throw fail('E_BACKUP_UNEXPECTED', `the archive holds ${JSON.stringify(entryName)}, which its manifest does not list`);
  }
  const files: DataFile[] = manifest.files.map((f) => {
    const entry = byName.get(DATA_PREFIX + f.name);
    if (!entry) throw fail('E_BACKUP_DAMAGED', `${f.name} is listed in the manifest but missing from the archive`);
    // Sizes first: a damaged or hostile archive must not make us inflate more than the manifest says.
    if (entry.header.size !== f.size) throw fail('E_BACKUP_DAMAGED', `${f.name} has ${entry.header.size} bytes, the manifest says ${f.size}`);
    const data = entryData(entry, fail);
    if (data.length !== f.size || sha256Hex(data) !== f.sha256) throw fail('E_BACKUP_DAMAGED', `${f.name} does not have the SHA-256 its manifest gives`);
    return { name: f.name, data };
  });
  let archive: Archive = { manifest, files };
  for (let v = manifest.formatVersion; v < BACKUP_FORMAT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw fail('E_BACKUP_VERSION', `backup format version ${v} cannot be read by this Keyward`);
    archive = step(archive);
  }
  return archive;
}

/** `../x`, `/x`, `C:x`, `a\\b` and the like: names that would land outside the folder they are extracted to. */
function unsafe(entryName: string): boolean {
  return entryName.startsWith('/') || entryName.includes('\\') || /^[A-Za-z]:/.test(entryName) || entryName.split('/').some((part) => part === '..' || part === '.');
}

type Fail = (code: string, why: string) => CommandError;

function entryData(entry: AdmZip.IZipEntry, fail: Fail): Buffer {
  try {
    return entry.getData();
  } catch {
    throw fail('E_BACKUP_DAMAGED', `${entry.entryName} cannot be extracted`);
  }
}

function parseJson(data: Buffer, fail: Fail): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    throw fail('E_BACKUP_DAMAGED', `${MANIFEST} is not valid JSON`);
  }
}

function checkManifest(json: unknown, fail: Fail): BackupManifest {
  const bad = (field: string, what: string) => fail('E_BACKUP_DAMAGED', `${MANIFEST}: ${field} ${what}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('(root)', 'is not an object');
  const m = json as Record<string, unknown>;
  if (m.format !== 'keyward-backup') throw bad('format', 'is not "keyward-backup"');
  const v = m.formatVersion;
  if (!Number.isInteger(v) || (v as number) < 1) throw bad('formatVersion', 'is not a positive integer');
  if ((v as number) > BACKUP_FORMAT_VERSION) {
    throw fail('E_BACKUP_VERSION', `the backup was made by a newer Keyward (backup format version ${v}; this one reads up to ${BACKUP_FORMAT_VERSION}): update Keyward first`);
  }
  for (const field of ['created', 'keywardVersion', 'securityDomain', 'domainId'] as const) {
    if (typeof m[field] !== 'string' || m[field] === '') throw bad(field, 'is not a non-empty string');
  }
  if (typeof m.fingerprint !== 'string' || normaliseFingerprint(m.fingerprint) !== m.fingerprint) throw bad('fingerprint', 'is not 16 groups of 4 hex digits');
  if (!Array.isArray(m.files)) throw bad('files', 'is not a list');
  const seen = new Set<string>();
  m.files.forEach((f: unknown, i) => {
    const at = `files[${i}]`;
    if (typeof f !== 'object' || f === null) throw bad(at, 'is not an object');
    const { name, size, sha256 } = f as Record<string, unknown>;
    if (typeof name !== 'string') throw bad(`${at}.name`, 'is not a string');
    const problem = dataFileNameProblem(name);
    if (problem) throw fail('E_BACKUP_UNSAFE', `${MANIFEST}: ${at}.name ${JSON.stringify(name)} ${problem}`);
    if (seen.has(name)) throw bad(`${at}.name`, `${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    if (!Number.isSafeInteger(size) || (size as number) < 0) throw bad(`${at}.size`, 'is not a byte count');
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw bad(`${at}.sha256`, 'is not 64 lower-case hex digits');
  });
  if (!seen.has('vault.json')) throw bad('files', 'does not list vault.json');
  return m as unknown as BackupManifest;
}
