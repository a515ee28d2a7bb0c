import { isIP } from 'node:net';
import { CommandError } from '../../src/kernel/index.js';

/** An `E_INVALID_ARGS` error naming the field; never carries the value (it may be a secret). */
export function invalid(field: string, why: string): CommandError {
  return new CommandError('E_INVALID_ARGS', `${field}: ${why}`, { field });
}

/** A string field, trimmed. */
export function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a text');
  return value.trim();
}

/** DNS limits: 63 octets per label, 253 per name (RFC 1035 §2.3.4); letters, digits, hyphens (RFC 1123 §2.1). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
const FQDN_MAX = 253;

/** An IPv4/IPv6 address or a fully qualified domain name (at least two labels, top label not numeric). */
export function validateAddress(value: unknown, field: string): string {
  const address = text(value, field).replace(/\.$/, '');
  if (!address) throw invalid(field, 'must not be empty');
  if (isIP(address)) return address;
  const labels = address.split('.');
  const fqdn =
    address.length <= FQDN_MAX && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!);
  if (!fqdn) throw invalid(field, 'must be an IP address or a fully qualified domain name such as crs.example.net');
  return address;
}

/** Identifiers handed out by the CRS host or the vendor: letters, digits and . _ - */
const ID = /^[A-Za-z0-9._-]+$/;

export function validateId(value: unknown, field: string, max = 64): string {
  const id = text(value, field);
  if (!id) throw invalid(field, 'must not be empty');
  if (id.length > max) throw invalid(field, `must be at most ${max} characters`);
  if (!ID.test(id)) throw invalid(field, 'may hold letters, digits and . _ - only');
  return id;
}

/** Shared secret bounds: long enough to mean something, printable ASCII so it can be typed from paper. */
const SECRET_MIN = 8;
const SECRET_MAX = 256;
const PRINTABLE = /^[\x21-\x7e]+$/;

export function validateSecret(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a text');
  if (value.length < SECRET_MIN || value.length > SECRET_MAX) {
    throw invalid(field, `must be ${SECRET_MIN} to ${SECRET_MAX} characters long`);
  }
  if (!PRINTABLE.test(value)) throw invalid(field, 'may hold printable ASCII characters only (no spaces)');
  return value;
}

/** Optional free text (licence key as given): no control characters, bounded. */
export function validateOptionalText(value: unknown, field: string, max: number): string {
  if (value === undefined || value === null) return '';
  const s = text(value, field);
  if (s.length > max) throw invalid(field, `must be at most ${max} characters`);
  if (/[\p{Cc}]/u.test(s)) throw invalid(field, 'must not hold control characters');
  return s;
}

/** Command arguments must be a JSON object. */
export function argsObject(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new CommandError('E_INVALID_ARGS', 'arguments must be an object');
  }
  return args as Record<string, unknown>;
}
