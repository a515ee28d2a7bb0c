/**
 * `keyward-license`: the vendor's side of licensing (docs/formats.md, "Licence key"). Makes the
 * vendor's Ed25519 key pair and issues licence keys that Keyward deployments configured with the
 * public key verify. Runs on the vendor's machine, never in a customer's installation.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkClaims, issueKey, normaliseChecksum, type LicenseClaims } from '../../plugins/license/key-format.js';

export const SECRET_KEY_FILE = 'keyward-license-signing.key';

const USAGE = `usage:
  keyward-license keygen --out DIR [--json]
      Make the vendor key pair: writes DIR/${SECRET_KEY_FILE} (secret, mode 0600, never replaced)
      and prints the public key (64 hex digits) for the deployment config's "licenseVerifyingKey".
  keyward-license issue --key FILE --system-id ID --max-users N [--expires YYYY-MM-DD] [--checksum HEX] [--json]
      Print a licence key. --expires makes a temporary key (valid through that day, UTC);
      --checksum binds a permanent key to one installation (the checksum its Licence view shows).

exit codes: 0 success, 1 failure, 2 the command line is wrong`;

export interface VendorIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

class Usage extends Error {}
class Failure extends Error {}

const OPTIONS = {
  out: { type: 'string' },
  key: { type: 'string' },
  'system-id': { type: 'string' },
  'max-users': { type: 'string' },
  expires: { type: 'string' },
  checksum: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export async function main(argv: string[], io: VendorIo = process): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      throw new Usage((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help || positionals.length === 0) {
      io.stdout.write(`${USAGE}\n`);
      return values.help ? 0 : 2;
    }
    if (positionals.length > 1) throw new Usage(`unexpected "${positionals[1]}"`);
    const allowed = positionals[0] === 'keygen' ? ['out', 'json'] : positionals[0] === 'issue' ? ['key', 'system-id', 'max-users', 'expires', 'checksum', 'json'] : undefined;
    if (!allowed) throw new Usage(`unknown command "${positionals[0]}" (keygen or issue)`);
    const extra = Object.keys(values).find((k) => !allowed.includes(k));
    if (extra) throw new Usage(`${positionals[0]} does not take --${extra}`);
    const result = positionals[0] === 'keygen' ? keygen(values.out) : issue(values);
    io.stdout.write(values.json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
    if (result.note && !values.json) io.stderr.write(`${result.note}\n`);
    return 0;
  } catch (err) {
    if (err instanceof Usage) {
      io.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof Failure) {
      io.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

interface Result {
  text: string;
  json: Record<string, string | number>;
  note?: string;
}

function keygen(out: string | undefined): Result {
  if (!out) throw new Usage('keygen needs --out DIR');
  if (!fs.existsSync(out) || !fs.statSync(out).isDirectory()) throw new Failure(`${out}: no such folder`);
  const file = path.join(out, SECRET_KEY_FILE);
  const { secretKey, publicKey } = ed25519.keygen();
  try {
    // 'wx': an existing vendor key is never replaced (every key issued with it would stop verifying).
    fs.writeFileSync(file, `${bytesToHex(secretKey)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Failure(`${file}: ${code === 'EEXIST' ? 'exists already; nothing was written' : `cannot be written (${code ?? 'error'})`}`);
  } finally {
    secretKey.fill(0);
  }
  const hex = bytesToHex(publicKey);
  return {
    text: hex,
    json: { publicKey: hex, secretKeyFile: file },
    note: `Wrote the secret key to ${file}; keep it offline. Deployments verify with:\n  "licenseVerifyingKey": "${hex}"`,
  };
}

function issue(v: { key?: string; 'system-id'?: string; 'max-users'?: string; expires?: string; checksum?: string }): Result {
  for (const name of ['key', 'system-id', 'max-users'] as const) if (v[name] === undefined) throw new Usage(`issue needs --${name}`);
  const maxUsers = /^\d+$/.test(v['max-users']!) ? Number(v['max-users']) : NaN;
  const claims: LicenseClaims = { systemId: v['system-id']!, maxUsers };
  if (v.expires !== undefined) claims.expires = v.expires;
  if (v.checksum !== undefined) {
    const checksum = normaliseChecksum(v.checksum);
    if (!checksum) throw new Failure('--checksum must be the 32 hex digits the Licence view shows (dashes and spaces may stay)');
    claims.checksum = checksum;
  }
  const problem = checkClaims(claims);
  if (problem) throw new Failure(problem);
  if (claims.expires && claims.expires < new Date().toISOString().slice(0, 10)) {
    throw new Failure(`--expires ${claims.expires} is in the past; Keyward would refuse the key`);
  }
  const secretKey = readSecretKey(v.key!);
  try {
    const key = issueKey(claims, secretKey);
    return { text: key, json: { key, ...claims } };
  } finally {
    secretKey.fill(0);
  }
}

function readSecretKey(file: string): Uint8Array {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Failure(`--key ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`);
  }
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new Failure(`--key ${file}: not a keyward-license signing key (64 hex digits)`);
  return hexToBytes(text.toLowerCase());
}
