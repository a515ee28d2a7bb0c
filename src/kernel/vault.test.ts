import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Datastore from 'nedb-promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCRYPT_DEFAULT, VAULT_FILE, Vault, VaultError } from './vault.js';

const PASS = 'correct horse battery staple';
const fast = { insecureTestKdf: true };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kw-vault-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Assert `fn` rejects/throws a VaultError with `code`, and return it for further checks. */
async function vaultError(fn: () => unknown, code: string): Promise<VaultError> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(VaultError);
  expect((caught as VaultError).code).toBe(code);
  return caught as VaultError;
}

async function snapshot(d: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await fs.readdir(d)) out[name] = (await fs.readFile(path.join(d, name))).toString('base64');
  return out;
}

describe('Vault.create', () => {
  it('writes vault.json with the default scrypt cost, mode 0600, and without the passphrase', async () => {
    const v = await Vault.create(dir, PASS);
    const text = await fs.readFile(path.join(dir, VAULT_FILE), 'utf8');
    const file = JSON.parse(text);
    expect(file.format).toBe('keyward-vault');
    expect(file.version).toBe(1);
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    expect(SCRYPT_DEFAULT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(Buffer.from(file.kdf.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(file.dataKey.ciphertext, 'base64')).toHaveLength(32);
    expect(Number.isNaN(Date.parse(file.created))).toBe(false);
    expect(text).not.toContain(PASS);
    if (process.platform !== 'win32') expect((await fs.stat(path.join(dir, VAULT_FILE))).mode & 0o777).toBe(0o600);
    expect(Vault.exists(dir)).toBe(true);
    // The strong-cost vault opens again with the same passphrase and the same data key.
    const again = await Vault.open(dir, PASS);
    expect(again.open(v.seal('hello'))).toBe('hello');
  });

  it('creates a missing data dir', async () => {
    const nested = path.join(dir, 'a', 'b');
    expect(Vault.exists(nested)).toBe(false);
    await Vault.create(nested, PASS, fast);
    expect(Vault.exists(nested)).toBe(true);
  });

  it('refuses when a vault exists and leaves it untouched', async () => {
    await Vault.create(dir, PASS, fast);
    const before = await snapshot(dir);
    await vaultError(() => Vault.create(dir, 'another passphrase', fast), 'E_EXISTS');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('refuses an empty passphrase and writes nothing', async () => {
    await vaultError(() => Vault.create(dir, '', fast), 'E_WEAK_PASSPHRASE');
    expect(await fs.readdir(dir)).toEqual([]);
  });
});

describe('Vault.open', () => {
  it('unlocks the same data key with the right passphrase', async () => {
    const a = await Vault.create(dir, PASS, fast);
    const sealed = a.seal('ålesund ☎ +46701234567');
    const b = await Vault.open(dir, PASS);
    expect(b.open(sealed)).toBe('ålesund ☎ +46701234567');
  });

  it('wrong passphrase: E_WRONG_PASSPHRASE, a clear message without the passphrase, nothing touched', async () => {
    await Vault.create(dir, PASS, fast);
    const before = await snapshot(dir);
    const mtime = (await fs.stat(path.join(dir, VAULT_FILE))).mtimeMs;
    const err = await vaultError(() => Vault.open(dir, 'correct horse battery stapler'), 'E_WRONG_PASSPHRASE');
    expect(err.message).toMatch(/wrong passphrase/);
    expect(err.message).not.toContain('stapler');
    expect(await snapshot(dir)).toEqual(before);
    expect((await fs.stat(path.join(dir, VAULT_FILE))).mtimeMs).toBe(mtime);
  });

  it('treats canonically equivalent Unicode passphrases as the same (NFC)', async () => {
    await Vault.create(dir, 'caf\u00e9 au lait', fast);
    await expect(Vault.open(dir, 'cafe\u0301 au lait')).resolves.toBeInstanceOf(Vault);
  });

  it('E_NOT_FOUND on a data dir without a vault', async () => {
    const err = await vaultError(() => Vault.open(dir, PASS), 'E_NOT_FOUND');
    expect(err.message).toContain(VAULT_FILE);
  });

  it('E_CORRUPT naming the field when vault.json is damaged', async () => {
    await Vault.create(dir, PASS, fast);
    const file = path.join(dir, VAULT_FILE);
    const good = JSON.parse(await fs.readFile(file, 'utf8'));
    const cases: [unknown, RegExp][] = [
      [{ ...good, kdf: { ...good.kdf, N: 3 } }, /kdf\.N/],
      [{ ...good, kdf: { ...good.kdf, N: 2 ** 30 } }, /kdf\.N/],
      [{ ...good, kdf: { ...good.kdf, salt: 'AAAA' } }, /kdf\.salt/],
      [{ ...good, dataKey: undefined }, /dataKey/],
      [{ ...good, dataKey: { ...good.dataKey, tag: good.dataKey.tag.slice(0, -4) } }, /dataKey\.tag/],
      [{ ...good, version: 2 }, /version/],
    ];
    for (const [content, field] of cases) {
      await fs.writeFile(file, JSON.stringify(content));
      const err = await vaultError(() => Vault.open(dir, PASS), 'E_CORRUPT');
      expect(err.message).toMatch(field);
    }
    await fs.writeFile(file, '{"format": "keyward-vault", ');
    expect((await vaultError(() => Vault.open(dir, PASS), 'E_CORRUPT')).message).toMatch(/not valid JSON/);
  });
});

describe('seal / open', () => {
  it('seals to one line with a fresh IV each time and opens it back', async () => {
    const v = await Vault.create(dir, PASS, fast);
    for (const plain of ['', 'x', '{"a":1}\n{"b":2}', 'é'.repeat(10_000)]) {
      const s1 = v.seal(plain);
      const s2 = v.seal(plain);
      expect(s1).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
      expect(s1).not.toEqual(s2);
      expect(Buffer.from(s1.slice(3), 'base64').subarray(0, 12)).not.toEqual(Buffer.from(s2.slice(3), 'base64').subarray(0, 12));
      expect(v.open(s1)).toBe(plain);
      expect(v.open(s2)).toBe(plain);
    }
  });

  it('any single changed character makes open() fail with E_CORRUPT naming nothing secret', async () => {
    const v = await Vault.create(dir, PASS, fast);
    const plain = 'secret-marker-4711';
    const sealed = v.seal(plain);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=:v';
    for (let i = 0; i < sealed.length; i++) {
      // Replace with a neighbouring alphabet character so the text stays plausible base64.
      const next = alphabet[(alphabet.indexOf(sealed[i]!) + 1) % alphabet.length]!;
      const tampered = sealed.slice(0, i) + next + sealed.slice(i + 1);
      const err = await vaultError(() => v.open(tampered), 'E_CORRUPT');
      expect(err.message).not.toContain(plain);
      expect(err.message).not.toContain(sealed.slice(3, 20));
    }
    for (const junk of ['', 'v1:', 'v1:AAAA', 'v2:' + sealed.slice(3), sealed + '\n', sealed.slice(0, -4)]) {
      await vaultError(() => v.open(junk), 'E_CORRUPT');
    }
  });

  it('a record sealed by another vault does not open', async () => {
    const a = await Vault.create(dir, PASS, fast);
    const other = mkdtempSync(path.join(os.tmpdir(), 'kw-vault-other-'));
    try {
      const b = await Vault.create(other, PASS, fast);
      await vaultError(() => a.open(b.seal('hello')), 'E_CORRUPT');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('lock', () => {
  it('after lock(), seal, open and changePassphrase throw E_LOCKED', async () => {
    const v = await Vault.create(dir, PASS, fast);
    const sealed = v.seal('x');
    expect(v.locked).toBe(false);
    v.lock();
    expect(v.locked).toBe(true);
    await vaultError(() => v.seal('x'), 'E_LOCKED');
    await vaultError(() => v.open(sealed), 'E_LOCKED');
    await vaultError(() => v.changePassphrase(PASS, 'next one'), 'E_LOCKED');
    v.lock(); // idempotent
    expect((await Vault.open(dir, PASS)).open(sealed)).toBe('x');
  });
});

describe('changePassphrase', () => {
  it('rewraps the same data key under the new passphrase with a fresh salt and the same cost', async () => {
    const v = await Vault.create(dir, PASS, fast);
    const sealed = v.seal('still readable');
    const before = JSON.parse(await fs.readFile(path.join(dir, VAULT_FILE), 'utf8'));
    await v.changePassphrase(PASS, 'a brand new passphrase');
    const after = JSON.parse(await fs.readFile(path.join(dir, VAULT_FILE), 'utf8'));
    expect(after.kdf.salt).not.toBe(before.kdf.salt);
    expect([after.kdf.N, after.kdf.r, after.kdf.p]).toEqual([before.kdf.N, before.kdf.r, before.kdf.p]);
    expect(after.created).toBe(before.created);
    expect(typeof after.changed).toBe('string');
    expect(await fs.readdir(dir)).toEqual([VAULT_FILE]); // no temp file left behind
    await vaultError(() => Vault.open(dir, PASS), 'E_WRONG_PASSPHRASE');
    const reopened = await Vault.open(dir, 'a brand new passphrase');
    expect(reopened.open(sealed)).toBe('still readable');
    expect(v.open(reopened.seal('both ways'))).toBe('both ways');
  });

  it('wrong current passphrase or empty next: error and vault.json byte-identical', async () => {
    const v = await Vault.create(dir, PASS, fast);
    const before = await snapshot(dir);
    await vaultError(() => v.changePassphrase('not it', 'next'), 'E_WRONG_PASSPHRASE');
    await vaultError(() => v.changePassphrase(PASS, ''), 'E_WEAK_PASSPHRASE');
    expect(await snapshot(dir)).toEqual(before);
    await expect(Vault.open(dir, PASS)).resolves.toBeInstanceOf(Vault);
  });
});

describe('with nedb-promises serialization hooks', () => {
  const SECRET = 'Sh4red-CRS-s3cret-9f1c';

  function store(v: Vault, file: string) {
    return Datastore.create({
      filename: file,
      afterSerialization: (s: string) => v.seal(s),
      beforeDeserialization: (s: string) => v.open(s),
      corruptAlertThreshold: 0,
    });
  }

  it('keeps records encrypted on disk and reads them back after reload', async () => {
    const v = await Vault.create(dir, PASS, fast);
    const file = path.join(dir, 'settings.db');
    const db = store(v, file);
    await db.insert({ name: 'crs', secret: SECRET, n: 1 });
    await db.insert({ name: 'other', n: 2 });
    const raw = await fs.readFile(file);
    const text = raw.toString('utf8');
    // Field names and short values as they stand in nedb's JSON; bare 'crs' would turn up in random base64 now and then.
    for (const form of [SECRET, Buffer.from(SECRET).toString('hex'), Buffer.from(SECRET).toString('base64'), '"name":"crs"', '"secret"']) {
      expect(text).not.toContain(form);
    }
    expect(raw.includes(Buffer.from(SECRET))).toBe(false);
    const lines = text.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);

    const reloaded = store(await Vault.open(dir, PASS), file);
    await reloaded.load();
    expect(await reloaded.findOne({ name: 'crs' })).toMatchObject({ name: 'crs', secret: SECRET, n: 1 });
    expect(await reloaded.count({})).toBe(2);
  });

  it('a tampered record makes the load fail when corruptAlertThreshold is 0', async () => {
    const v = await Vault.create(dir, PASS, fast);
    const file = path.join(dir, 'users.db');
    const db = store(v, file);
    for (let i = 0; i < 20; i++) await db.insert({ i });
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    const l = lines[7]!;
    lines[7] = l.slice(0, 20) + (l[20] === 'A' ? 'B' : 'A') + l.slice(21);
    await fs.writeFile(file, lines.join('\n'));
    await expect(store(await Vault.open(dir, PASS), file).load()).rejects.toThrow(/corrupt/);
  });
});
