/**
 * The encrypted backup file around the ZIP archive (docs/formats.md, "Backup file"):
 *
 * ```
 * offset  bytes  field
 *  0       8     magic "KWBACKUP" (ASCII)
 *  8       1     container version (1)
 *  9       1     scrypt log2(N)
 * 10       1     scrypt r
 * 11       1     scrypt p
 * 12      16     scrypt salt
 * 28      12     AES-GCM IV
 * 40       n     AES-256-GCM ciphertext of the ZIP archive
 * 40+n    16     GCM tag
 * ```
 * key = scrypt(backup passphrase NFC-normalised as UTF-8, salt, N, r, p, 32 bytes); the 40 header
 * bytes are the associated data, so a changed cost, salt or version fails like a changed ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CommandError, derivePassphraseKey } from '../../src/kernel/index.js';

const MAGIC = Buffer.from('KWBACKUP', 'ascii');
const CONTAINER_VERSION = 1;
const HEADER_BYTES = 40;
const TAG_BYTES = 16;
const SALT_BYTES = 16;
const IV_BYTES = 12;

export interface BackupKdf {
  log2N: number;
  r: number;
  p: number;
}

/**
 * scrypt N=2^17, r=8, p=1 (128 MiB), as the vault: the backup holds every key of the system, so an
 * offline guess at its passphrase must cost as much as one at the administrator passphrase.
 */
export const BACKUP_KDF: Readonly<BackupKdf> = { log2N: 17, r: 8, p: 1 };

/** Bounds accepted from a file, so a damaged header cannot ask for absurd memory or time. */
const MAX_MEMORY = 1024 * 1024 * 1024;

/** Encrypts `zip` under `passphrase`. `kdf` other than {@link BACKUP_KDF} is for tests that craft files. */
export async function sealBackup(zip: Uint8Array, passphrase: string, kdf: BackupKdf = BACKUP_KDF): Promise<Buffer> {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt8(CONTAINER_VERSION, 8);
  header.writeUInt8(kdf.log2N, 9);
  header.writeUInt8(kdf.r, 10);
  header.writeUInt8(kdf.p, 11);
  randomBytes(SALT_BYTES).copy(header, 12);
  randomBytes(IV_BYTES).copy(header, 28);
  const key = await deriveKey(passphrase, header);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, header.subarray(28, 40), { authTagLength: TAG_BYTES });
    cipher.setAAD(header);
    return Buffer.concat([header, cipher.update(zip), cipher.final(), cipher.getAuthTag()]);
  } finally {
    key.fill(0);
  }
}

/**
 * The ZIP archive inside a backup file. Refuses, changing nothing: not a backup or cut short
 * (`E_BACKUP_FORMAT`), a newer container (`E_BACKUP_VERSION`), a wrong passphrase or any changed
 * byte (`E_BACKUP_PASSPHRASE` — GCM cannot tell the two apart).
 */
export async function openBackup(file: Uint8Array, passphrase: string, name: string): Promise<Buffer> {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(MAGIC)) {
    throw new CommandError('E_BACKUP_FORMAT', `${name} is not a Keyward backup file; nothing was changed`);
  }
  if (bytes.length < HEADER_BYTES + TAG_BYTES) throw new CommandError('E_BACKUP_FORMAT', `${name} is cut short (${bytes.length} bytes); nothing was changed`);
  const version = bytes.readUInt8(8);
  if (version > CONTAINER_VERSION) {
    throw new CommandError('E_BACKUP_VERSION', `${name} was made by a newer Keyward (backup container version ${version}; this one reads up to ${CONTAINER_VERSION}): update Keyward first; nothing was changed`);
  }
  if (version < 1) throw new CommandError('E_BACKUP_FORMAT', `${name}: container version ${version} does not exist; nothing was changed`);
  const header = bytes.subarray(0, HEADER_BYTES);
  const kdf = { log2N: header.readUInt8(9), r: header.readUInt8(10), p: header.readUInt8(11) };
  if (kdf.log2N < 10 || kdf.log2N > 22 || kdf.r < 1 || kdf.r > 32 || kdf.p < 1 || kdf.p > 16 || 128 * 2 ** kdf.log2N * kdf.r * kdf.p > MAX_MEMORY) {
    throw new CommandError('E_BACKUP_FORMAT', `${name}: the key derivation parameters are out of range (the file is damaged); nothing was changed`);
  }
  const key = await deriveKey(passphrase, header);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(28, 40), { authTagLength: TAG_BYTES });
    decipher.setAAD(header);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CommandError('E_BACKUP_PASSPHRASE', `${name}: the backup passphrase is wrong, or the file was changed or damaged; nothing was changed`);
  } finally {
    key.fill(0);
  }
}

function deriveKey(passphrase: string, header: Buffer): Promise<Buffer> {
  const [log2N, r, p] = [header.readUInt8(9), header.readUInt8(10), header.readUInt8(11)];
  return derivePassphraseKey(passphrase, header.subarray(12, 28), { N: 2 ** log2N, r, p });
}
