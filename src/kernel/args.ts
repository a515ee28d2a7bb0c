import type { JsonValue, SetupPayload } from './api.js';
import { CommandError } from './errors.js';
import { passphraseProblem } from './passphrase-policy.js';

/*
 * Checks of the built-in commands' arguments. Errors name the command and the field,
 * never the value: it may be a passphrase or the CRS secret.
 */

/** `E_INVALID_ARGS` for command `id`. */
export function invalid(id: string, what: string): CommandError {
  return new CommandError('E_INVALID_ARGS', `${id}: ${what}`);
}

/** `v` as a JSON object, or `E_INVALID_ARGS` naming it `name`. */
export function object(v: JsonValue | undefined, id: string, name: string): { [k: string]: JsonValue } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(id, `${name} must be an object`);
  return v;
}

/** The string at dotted path `name` in `args` (`setup.crs.secret`). */
export function field(args: JsonValue | undefined, id: string, name: string, opts: { optional?: boolean; empty?: boolean } = {}): string {
  const path = name.split('.');
  let v: JsonValue | undefined = args;
  for (const [i, key] of path.entries()) v = object(v, id, i === 0 ? 'the argument' : path.slice(0, i).join('.'))[key];
  if (v === undefined && opts.optional) return '';
  if (typeof v !== 'string' || (v === '' && !opts.empty)) throw invalid(id, `${name} must be a ${opts.empty ? '' : 'non-empty '}string`);
  return v;
}

/** The `setup` argument of `kernel.init`, with absent optional fields left out. */
export function setupPayload(args: JsonValue): SetupPayload {
  const f = (name: string, opts?: { optional?: boolean; empty?: boolean }) => field(args, 'kernel.init', `setup.${name}`, opts);
  const systemId = f('systemId', { optional: true, empty: true });
  const licenseKey = f('licenseKey', { optional: true, empty: true });
  const { compromisedDomains } = object(object(args, 'kernel.init', 'the argument').setup, 'kernel.init', 'setup');
  if (compromisedDomains !== undefined && (!Array.isArray(compromisedDomains) || !compromisedDomains.every((d) => typeof d === 'string'))) {
    throw invalid('kernel.init', 'setup.compromisedDomains must be a list of fingerprints');
  }
  return {
    securityDomain: f('securityDomain'),
    ...(systemId ? { systemId } : {}),
    ...(licenseKey ? { licenseKey } : {}),
    crs: { address: f('crs.address', { empty: true }), account: f('crs.account', { empty: true }), secret: f('crs.secret', { empty: true }) },
    ...(compromisedDomains?.length ? { compromisedDomains: compromisedDomains as string[] } : {}),
  };
}

/** A new administrator passphrase at `name`, checked against the passphrase policy. */
export function newPassphrase(args: JsonValue | undefined, id: string, name: string): string {
  const passphrase = field(args, id, name);
  const problem = passphraseProblem(passphrase);
  if (problem) throw new CommandError('E_WEAK_PASSPHRASE', `${id}: ${name} ${problem}`);
  return passphrase;
}
