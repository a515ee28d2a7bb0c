/**
 * Test helpers that drive the real `keyward` binary as a child process, as an administrator would.
 * Used by src/cli tests and the cross-cutting tests in test/.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KEYWARD_BIN = path.join(PROJECT_ROOT, 'bin', 'keyward.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `node bin/keyward.js …args` with a clean environment (plus `env`); stdin is not a terminal. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir() };
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [KEYWARD_BIN, ...args],
      { cwd: PROJECT_ROOT, env: { ...base, ...env }, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Write a one-line secret file (with the trailing newline editors add). */
export function secretFile(dir: string, name: string, value: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, value + '\n', { mode: 0o600 });
  return file;
}

/** Every regular file under dir, relative paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out.sort();
}

/** SHA-256 over every file's name and content: equal hashes mean nothing in the dir changed. */
export function hashDir(dir: string): string {
  const h = createHash('sha256');
  for (const f of listFiles(dir)) h.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
  return h.digest('hex');
}

/** The wizard's answers used by the CLI tests. */
export const INIT_VALUES = {
  securityDomain: 'Keyward Test Domain',
  systemId: 'SYS-TEST-1',
  licenseKey: 'TEST-LICENSE-KEY',
  crsAddress: 'crs.example.net',
  crsAccount: 'DEMOACCOUNT_1',
  crsSecret: 'Il1-shared-secret-0O',
  passphrase: 'correct horse battery staple',
};

/** Run `keyward init` non-interactively into dataDir with INIT_VALUES (secret files written to secretsDir). */
export function initWithCli(dataDir: string, secretsDir: string, values = INIT_VALUES): Promise<CliRun> {
  return runCli([
    '--data-dir', dataDir,
    'init',
    '--security-domain', values.securityDomain,
    '--system-id', values.systemId,
    '--license-key', values.licenseKey,
    '--crs-address', values.crsAddress,
    '--crs-account', values.crsAccount,
    '--crs-secret-file', secretFile(secretsDir, 'crs-secret.txt', values.crsSecret),
    '--passphrase-file', secretFile(secretsDir, 'passphrase.txt', values.passphrase),
  ]);
}
