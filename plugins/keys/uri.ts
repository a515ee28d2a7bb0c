/**
 * Key URIs as RFC 6509 §3.2 puts them into identities: `tel:+<E.164>` for users, their lines and
 * gateways; Keyward's `keyward:channel:<32 hex>` for channels (src/crypto/identity.ts).
 */
import { CryptoError, Period, channelIdentity, hexToBytes, parseIdentity, userIdentity } from '../../src/crypto/index.js';
import { CommandError } from '../../src/kernel/index.js';

const TEL = 'tel:';
const CHANNEL = 'keyward:channel:';

/**
 * The identity bytes of `uri` in `period`. A URI in neither form is `E_INVALID_FIELD` naming
 * `field`; the URI is echoed back as given (it is a number, not a secret).
 */
export function identityFor(period: Period, uri: string, field = 'uri'): Uint8Array {
  try {
    const id = uri.startsWith(TEL)
      ? userIdentity(period, uri.slice(TEL.length))
      : uri.startsWith(CHANNEL)
        ? channelIdentity(period, hexToBytes(uri.slice(CHANNEL.length)))
        : undefined;
    // One spelling per identity: a URI must read back exactly (channel ids are lower-case hex only).
    if (id && parseIdentity(id).uri === uri) return id;
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err;
  }
  throw new CommandError('E_INVALID_FIELD', `${field}: "${uri}" is neither tel:+<1–15 digits> nor keyward:channel:<32 hex digits>`, {
    field,
    reason: 'not a key URI',
  });
}

/** `text` as a Period, or `E_INVALID_FIELD` naming `field`. */
export function parsePeriod(text: unknown, field = 'period'): Period {
  if (typeof text === 'string') {
    try {
      return Period.parse(text);
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
    }
  }
  throw new CommandError('E_INVALID_FIELD', `${field}: must be a month written YYYY-MM, e.g. 2026-12`, { field, reason: 'not YYYY-MM' });
}
