import { CommandError } from '../../src/kernel/index.js';

/** Upper bound on the name, as for an X.509 organizationName (RFC 5280 App. A, ub-organization-name = 64). */
export const SECURITY_DOMAIN_MAX = 64;

/**
 * Letters and digits of any script, spaces and the punctuation of organisation names
 * ("Ministry of Defence", "acme.example", "R&D (North)"); starts with a letter or digit.
 */
const NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} .,'&()\/_-]*$/u;

/**
 * Check and normalise (trim, Unicode NFC) a Security Domain name; the manual recommends the
 * registered company, government or department name. Throws `E_INVALID_ARGS` naming the field.
 */
export function validateSecurityDomain(value: unknown): string {
  const fail = (why: string) => new CommandError('E_INVALID_ARGS', `securityDomain: ${why}`, { field: 'securityDomain' });
  if (typeof value !== 'string') throw fail('must be a text');
  const name = value.trim().normalize('NFC');
  if (!name) throw fail('must not be empty');
  if ([...name].length > SECURITY_DOMAIN_MAX) throw fail(`must be at most ${SECURITY_DOMAIN_MAX} characters`);
  if (!NAME.test(name)) {
    throw fail("may hold letters, digits, spaces and . , ' & ( ) / _ - only, and must start with a letter or digit");
  }
  return name;
}
