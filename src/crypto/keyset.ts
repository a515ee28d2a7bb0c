/**
 * One identity's key set for a month: ECCSI SSK/PVT (RFC 6507) and SAKKE RSK (RFC 6508),
 * each checked before it is handed out. The batch workers run this for every identity.
 */
import { zeroise } from './bytes.js';
import { issueSsk, validateSsk } from './eccsi.js';
import { CryptoError } from './errors.js';
import { issueRsk, rskMatches } from './sakke.js';

/** The KMS master secrets (and KPAK) a key set is issued from. */
export interface MasterSecrets {
  /** ECCSI KMS Secret Authentication Key, 32 bytes. */
  ksak: Uint8Array;
  /** ECCSI KMS Public Authentication Key, 65 bytes uncompressed. */
  kpak: Uint8Array;
  /** SAKKE KMS master secret, 128 bytes. */
  z: Uint8Array;
}

export interface KeySet {
  identity: Uint8Array;
  /** ECCSI Secret Signing Key, 32 bytes. */
  ssk: Uint8Array;
  /** ECCSI Public Validation Token, 65 bytes uncompressed. */
  pvt: Uint8Array;
  /** SAKKE Receiver Secret Key, 257 bytes uncompressed. */
  rsk: Uint8Array;
}

/**
 * Issue SSK/PVT and RSK for `identity` and check both before returning: the RSK by
 * [a+z]RSK == P (no pairing) and the SSK by RFC 6507 §5.1.2. A failed check (which only a
 * bug or a hardware fault can cause) throws CryptoError 'E_INVALID_KEY' naming `label`.
 */
export function issueKeySet(master: MasterSecrets, identity: Uint8Array, label = 'identity'): KeySet {
  const { ssk, pvt } = issueSsk(master.ksak, master.kpak, identity);
  const rsk = issueRsk(master.z, identity);
  if (!validateSsk(master.kpak, identity, ssk, pvt)) {
    zeroise(ssk, rsk);
    throw new CryptoError('E_INVALID_KEY', 'issued SSK fails RFC 6507 §5.1.2 validation', label);
  }
  if (!rskMatches(master.z, identity, rsk)) {
    zeroise(ssk, rsk);
    throw new CryptoError('E_INVALID_KEY', 'issued RSK fails [a+z]RSK = P', label);
  }
  return { identity, ssk, pvt, rsk };
}
