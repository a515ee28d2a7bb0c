/**
 * The vault: the administrator passphrase unlocks a random data key that encrypts every
 * collection record (and every event log record) at rest.
 *
 * `<dataDir>/vault.json` (written atomically, mode 0600):
 * ```json
 * { "format": "keyward-vault", "version": 1,
 *   "kdf": { "name": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": "<base64, 16 bytes>" },
 *   "dataKey": { "cipher": "aes-256-gcm", "iv": "<base64, 12 bytes>", "ciphertext": "<base64, 32 bytes>", "tag": "<base64, 16 bytes>" },
 *   "created": "<ISO 8601 UTC>", "changed": "<ISO 8601 UTC, last passphrase change>" }
 * ```
 * The key-encryption key is scrypt(passphrase NFC-normalised as UTF-8, salt); it wraps the
 * 256-bit data key with AES-256-GCM. Changing the passphrase rewraps the same data key, so
 * nothing sealed needs re-encryption.
 *
 * A sealed record is one line of text: `"v1:" + base64(iv[12] ‖ ciphertext ‖ tag[16])`, AES-256-GCM
 * under the data key with a fresh random 96-bit IV per record (NIST SP 800-38D §8.2.2).
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export type VaultErrorCode =
  | 'E_WRONG_PASSPHRASE' // the passphrase does not unlock the vault
  | 'E_CORRUPT' // vault.json or a sealed record is malformed or was modified
  | 'E_LOCKED' // the data key was zeroised by lock()
  | 'E_EXISTS' // create() on a data dir that already has a vault
  | 'E_NOT_FOUND' // open() on a data dir without a vault
  | 'E_WEAK_PASSPHRASE'; // an empty passphrase

/** Vault failures. Messages name files and fields, never key material or passphrases. */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** File name of the vault inside the data dir. */
export const VAULT_FILE = 'vault.json';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * scrypt cost for new vaults: N=2^17, r=8, p=1 (128 MiB, about 0.4 s here) — the OWASP Password
 * Storage Cheat Sheet minimum for scrypt, parameters as in RFC 7914 §2. Unlocking happens once per
 * session on a desktop, so the delay is paid rarely while every offline guess costs the same.
 */
export const SCRYPT_DEFAULT: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };

/** Cheap parameters for tests only (see {@link VaultCreateOptions.insecureTestKdf}). */
const SCRYPT_TEST: Readonly<ScryptParams> = { N: 2 ** 10, r: 8, p: 1 };

/** Bounds accepted from a vault file, so a damaged file cannot ask for absurd memory or time. */
const SCRYPT_MAX_MEMORY = 1024 * 1024 * 1024;

const SALT_BYTES = 16;
const KEY_BYTES = 32; // AES-256
const IV_BYTES = 12; // 96-bit GCM IV, NIST SP 800-38D §5.2.1.1
const TAG_BYTES = 16; // full 128-bit GCM tag
const SEAL_PREFIX = 'v1:';
/** Associated data separates the two uses of AES-GCM, so a wrapped key never opens as a record or vice versa. */
const WRAP_AAD = Buffer.from('keyward-vault-key-v1');
const RECORD_AAD = Buffer.from('keyward-record-v1');

export interface VaultCreateOptions {
  /**
   * Use scrypt N=2^10 instead of {@link SCRYPT_DEFAULT} so test suites that create many vaults
   * stay fast. Never set it outside tests: it makes passphrase guessing 128 times cheaper.
   */
  insecureTestKdf?: boolean;
}

interface VaultFile {
  format: 'keyward-vault';
  version: 1;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  dataKey: { cipher: 'aes-256-gcm'; iv: string; ciphertext: string; tag: string };
  created: string;
  changed?: string;
}

export class Vault {
  #key: Buffer | null;

  private constructor(
    /** The data dir holding `vault.json`. */
    readonly dataDir: string,
    key: Buffer,
  ) {
    this.#key = key;
  }

  /** Whether `<dataDir>/vault.json` exists (the data dir is initialised). */
  static exists(dataDir: string): boolean {
    return existsSync(vaultPath(dataDir));
  }

  /**
   * Create a vault with a fresh random data key under `passphrase`. Creates the data dir if needed.
   * Refuses with `E_EXISTS` if a vault is already there (the existing file is left untouched).
   */
  static async create(dataDir: string, passphrase: string, opts: VaultCreateOptions = {}): Promise<Vault> {
    checkPassphrase(passphrase);
    if (Vault.exists(dataDir)) throw new VaultError('E_EXISTS', `a vault already exists in ${dataDir}`);
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    const params = opts.insecureTestKdf ? SCRYPT_TEST : SCRYPT_DEFAULT;
    const dataKey = randomBytes(KEY_BYTES);
    const now = new Date().toISOString();
    const file = await wrapDataKey(dataKey, passphrase, params, now);
    try {
      await writeFileAtomic(vaultPath(dataDir), JSON.stringify(file, null, 2) + '\n', { exclusive: true });
    } catch (e) {
      dataKey.fill(0);
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new VaultError('E_EXISTS', `a vault already exists in ${dataDir}`);
      throw e;
    }
    return new Vault(dataDir, dataKey);
  }

  /** Unlock the vault in `dataDir`. A wrong passphrase gives `E_WRONG_PASSPHRASE` and changes nothing. */
  static async open(dataDir: string, passphrase: string): Promise<Vault> {
    const file = await readVaultFile(dataDir);
    return new Vault(dataDir, await unwrapDataKey(file, passphrase));
  }

  /** Whether {@link lock} has zeroised the data key. */
  get locked(): boolean {
    return this.#key === null;
  }

  /**
   * Rewrap the data key under `next` (fresh salt, same scrypt cost) and replace vault.json
   * atomically. `current` is checked against the file first; if it is wrong nothing is written.
   */
  async changePassphrase(current: string, next: string): Promise<void> {
    const key = this.#requireKey();
    checkPassphrase(next);
    const file = await readVaultFile(this.dataDir);
    const onDisk = await unwrapDataKey(file, current);
    try {
      if (!timingSafeEqual(onDisk, key)) {
        throw new VaultError('E_CORRUPT', `${vaultPath(this.dataDir)} holds a different data key than the unlocked vault`);
      }
    } finally {
      onDisk.fill(0);
    }
    const { N, r, p } = file.kdf;
    const rewrapped = await wrapDataKey(key, next, { N, r, p }, file.created, new Date().toISOString());
    await writeFileAtomic(vaultPath(this.dataDir), JSON.stringify(rewrapped, null, 2) + '\n');
  }

  /** Encrypt one record to a single line of text (no newline), e.g. for nedb's `afterSerialization`. */
  seal(plain: string): string {
    const key = this.#requireKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(RECORD_AAD);
    const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return SEAL_PREFIX + body.toString('base64');
  }

  /** Decrypt a line made by {@link seal} (nedb's `beforeDeserialization`); `E_CORRUPT` if it was altered. */
  open(sealed: string): string {
    const key = this.#requireKey();
    const corrupt = () => new VaultError('E_CORRUPT', 'a sealed record is corrupt or was not sealed by this vault');
    if (!sealed.startsWith(SEAL_PREFIX)) throw corrupt();
    const body = decodeBase64Strict(sealed.slice(SEAL_PREFIX.length));
    if (!body || body.length < IV_BYTES + TAG_BYTES) throw corrupt();
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(RECORD_AAD);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw corrupt();
    }
  }

  /** Zeroise the data key. Afterwards seal/open/changePassphrase throw `E_LOCKED`; unlock again with {@link Vault.open}. */
  lock(): void {
    this.#key?.fill(0);
    this.#key = null;
  }

  #requireKey(): Buffer {
    if (!this.#key) throw new VaultError('E_LOCKED', 'the vault is locked');
    return this.#key;
  }
}

function vaultPath(dataDir: string): string {
  return path.join(dataDir, VAULT_FILE);
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new VaultError('E_WEAK_PASSPHRASE', 'the passphrase must not be empty');
  }
}

/**
 * A 32-byte key from a passphrase: scrypt of the NFC-normalised passphrase, so the same words typed
 * on different keyboards/IMEs match. The vault's key-encryption key; also the backup file's key.
 */
export function derivePassphraseKey(passphrase: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N, r, p, maxmem: 2 * 128 * N * r * p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(passphrase.normalize('NFC'), 'utf8'), salt, KEY_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

async function wrapDataKey(dataKey: Buffer, passphrase: string, params: ScryptParams, created: string, changed?: string): Promise<VaultFile> {
  const salt = randomBytes(SALT_BYTES);
  const kek = await derivePassphraseKey(passphrase, salt, params);
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(WRAP_AAD);
    const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return {
      format: 'keyward-vault',
      version: 1,
      kdf: { name: 'scrypt', ...params, salt: salt.toString('base64') },
      dataKey: { cipher: 'aes-256-gcm', iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') },
      created,
      ...(changed ? { changed } : {}),
    };
  } finally {
    kek.fill(0);
  }
}

async function unwrapDataKey(file: VaultFile, passphrase: string): Promise<Buffer> {
  if (typeof passphrase !== 'string') throw new VaultError('E_WRONG_PASSPHRASE', 'wrong passphrase: the vault could not be unlocked');
  const kek = await derivePassphraseKey(passphrase, Buffer.from(file.kdf.salt, 'base64'), file.kdf);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(file.dataKey.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(WRAP_AAD);
    decipher.setAuthTag(Buffer.from(file.dataKey.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(file.dataKey.ciphertext, 'base64')), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong passphrase from a modified wrapped key; the passphrase is by far the likelier cause.
    throw new VaultError('E_WRONG_PASSPHRASE', 'wrong passphrase: the vault could not be unlocked');
  } finally {
    kek.fill(0);
  }
}

async function readVaultFile(dataDir: string): Promise<VaultFile> {
  const file = vaultPath(dataDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new VaultError('E_NOT_FOUND', `no vault in ${dataDir} (${VAULT_FILE} is missing)`);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VaultError('E_CORRUPT', `${file} is not valid JSON`);
  }
  return validateVaultFile(json, file);
}

function validateVaultFile(json: unknown, file: string): VaultFile {
  const bad = (field: string, what: string) => new VaultError('E_CORRUPT', `${file}: ${field} ${what}`);
  const obj = (v: unknown, field: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(field, 'is not an object');
    return v as Record<string, unknown>;
  };
  const b64 = (v: unknown, field: string, bytes: number): void => {
    const decoded = typeof v === 'string' ? decodeBase64Strict(v) : null;
    if (!decoded || decoded.length !== bytes) throw bad(field, `is not ${bytes} bytes of base64`);
  };
  const root = obj(json, '(root)');
  if (root.format !== 'keyward-vault') throw bad('format', 'is not "keyward-vault"');
  if (root.version !== 1) throw bad('version', `is ${JSON.stringify(root.version)}; this Keyward reads version 1`);
  const kdf = obj(root.kdf, 'kdf');
  if (kdf.name !== 'scrypt') throw bad('kdf.name', 'is not "scrypt"');
  const { N, r, p } = kdf;
  if (!Number.isInteger(N) || (N as number) < 2 ** 10 || (N as number) > 2 ** 22 || ((N as number) & ((N as number) - 1)) !== 0) {
    throw bad('kdf.N', 'is not a power of two between 2^10 and 2^22');
  }
  if (!Number.isInteger(r) || (r as number) < 1 || (r as number) > 32) throw bad('kdf.r', 'is not an integer from 1 to 32');
  if (!Number.isInteger(p) || (p as number) < 1 || (p as number) > 16) throw bad('kdf.p', 'is not an integer from 1 to 16');
  if (128 * (N as number) * (r as number) * (p as number) > SCRYPT_MAX_MEMORY) throw bad('kdf', 'asks for more than 1 GiB of memory');
  b64(kdf.salt, 'kdf.salt', SALT_BYTES);
  const dataKey = obj(root.dataKey, 'dataKey');
  if (dataKey.cipher !== 'aes-256-gcm') throw bad('dataKey.cipher', 'is not "aes-256-gcm"');
  b64(dataKey.iv, 'dataKey.iv', IV_BYTES);
  b64(dataKey.ciphertext, 'dataKey.ciphertext', KEY_BYTES);
  b64(dataKey.tag, 'dataKey.tag', TAG_BYTES);
  if (typeof root.created !== 'string') throw bad('created', 'is not a string');
  return root as unknown as VaultFile;
}

/**
 * Decode canonical base64 only: Node's decoder skips stray characters and ignores unused low bits,
 * which would let a modified text decode to the same bytes. Returns null if `text` is not canonical.
 */
function decodeBase64Strict(text: string): Buffer | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
