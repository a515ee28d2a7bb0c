/**
 * `keys.export`: the audited retrieval of one identity's keys for one month, for authorised
 * interception (issue 4). It asks for the administrator passphrase again — checked by
 * `kernel.unlock`, which on an unlocked kernel only verifies it — and the kernel records the
 * export (uri and period, never a key) in the event log.
 */
import { CommandError, type CommandContext, type JsonValue } from '../../src/kernel/index.js';
import { bytesToHex, zeroise } from '../../src/crypto/index.js';
import type { IKeys } from './tokens.js';
import { identityFor, parsePeriod } from './uri.js';

export interface KeyExport {
  [key: string]: string;
  /** The identity bytes "YYYY-MM\0tel:+…\0" in hex. */
  identity: string;
  ssk: string;
  /** Uncompressed point (04‖x‖y). */
  pvt: string;
  /** Uncompressed point (04‖x‖y). */
  rsk: string;
}

/** The `keys.export` handler: `{uri, period, passphrase}` → the key set in hex (see the module comment). */
export async function exportKeys(keys: IKeys, args: JsonValue | undefined, ctx: CommandContext): Promise<KeyExport> {
  const a = (typeof args === 'object' && args !== null && !Array.isArray(args) ? args : {}) as Record<string, JsonValue>;
  const uri = typeof a.uri === 'string' ? a.uri : '';
  const period = parsePeriod(a.period);
  identityFor(period, uri); // checks the URI's form before the slow passphrase check
  if (typeof a.passphrase !== 'string' || a.passphrase === '') {
    throw new CommandError('E_INVALID_FIELD', 'passphrase: the administrator passphrase is required to export keys', {
      field: 'passphrase',
      reason: 'missing',
    });
  }
  await ctx.execute('kernel.unlock', { passphrase: a.passphrase });
  const set = await keys.get(uri, period);
  if (!set) {
    throw new CommandError('E_NO_KEYS', `${uri} has no keys for ${period.toString()}`, { uri, period: period.toString() });
  }
  const out = { identity: bytesToHex(set.identity), ssk: bytesToHex(set.ssk), pvt: bytesToHex(set.pvt), rsk: bytesToHex(set.rsk) };
  zeroise(set.ssk, set.rsk);
  return out;
}
