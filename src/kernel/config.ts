import { readFile } from 'node:fs/promises';
import type { DeploymentConfig } from './api.js';
import { KernelError } from './errors.js';

const FIELDS = ['disabled', 'enabled', 'flags', 'licenseVerifyingKey'];

/**
 * Reads and validates `keyward.config.json`. A missing file is `{}` when `optional`
 * (the default path beside the data) and an error otherwise (a path the administrator named).
 * Every error names the file and the field.
 */
export async function readConfig(file: string, optional: boolean): Promise<DeploymentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && optional) return {};
    throw new KernelError(`${file}: cannot read the deployment config (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    throw new KernelError(`${file}: not valid JSON${where(text, message)}: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
  return validateConfig(raw, file);
}

/** Checks the shape of a parsed config; `file` names it in errors. */
export function validateConfig(raw: unknown, file: string): DeploymentConfig {
  const fail = (field: string, why: string) => new KernelError(`${file}: ${field} ${why}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail('the top level', 'must be a JSON object');
  const cfg = raw as Record<string, unknown>;
  for (const key of Object.keys(cfg)) {
    if (!FIELDS.includes(key)) throw fail(`"${key}"`, `is not a known field (expected ${FIELDS.join(', ')})`);
  }
  const { disabled, enabled, flags, licenseVerifyingKey } = cfg;
  for (const [name, list] of Object.entries({ disabled, enabled })) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw fail(`"${name}"`, 'must be an array of plugin ids');
    list.forEach((id, i) => {
      if (typeof id !== 'string') throw fail(`"${name}[${i}]"`, 'must be a plugin id (a string)');
    });
  }
  const both = (enabled as string[] | undefined)?.find((id) => (disabled as string[] | undefined)?.includes(id));
  if (both !== undefined) throw fail('"enabled" and "disabled"', `both name "${both}"; keep it in one of them`);
  if (flags !== undefined && (typeof flags !== 'object' || flags === null || Array.isArray(flags))) {
    throw fail('"flags"', 'must be an object of flag ids to values');
  }
  // An Ed25519 public key is 32 bytes (RFC 8032 §5.1.5), here as 64 hex digits.
  if (licenseVerifyingKey !== undefined && !(typeof licenseVerifyingKey === 'string' && /^[0-9a-fA-F]{64}$/.test(licenseVerifyingKey))) {
    throw fail('"licenseVerifyingKey"', 'must be an Ed25519 public key as 64 hex digits');
  }
  return cfg as DeploymentConfig;
}

/** " at line L, column C" from the position V8 puts in JSON.parse messages, when it does. */
function where(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1])).split('\n');
  return ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}
