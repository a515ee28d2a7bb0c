/**
 * One identity's key set for a month: ECCSI SSK/PVT (RFC 6507) and SAKKE RSK (RFC 6508),
 * each checked before it is handed out. The batch workers run this for every identity.
 */
import { zeroise } from './bytes.js';
import { issueSsk, validateSsk } from './eccsi.js';
import { CryptoError } from './errors.js';
import { issueRsks, rsksMatch } from './sakke.js';

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
 * Issue SSK/PVT and RSK for each identity and check every key before returning: the RSKs by
 * [a+z]RSK == P (no pairing; checked for the chunk at once, then one by one only if that fails)
 * and each SSK by RFC 6507 §5.1.2. RSKs are issued together so the chunk shares its modular
 * inversions. A failed check (which only a bug or a hardware fault can cause) throws
 * CryptoError 'E_INVALID_KEY' naming `identity #<firstIndex + i>`.
 */
export function issueKeySetChunk(master: MasterSecrets, identities: readonly Uint8Array[], firstIndex = 0): KeySet[] {
  const rsks = issueRsks(master.z, identities);
  const sets = identities.map((identity, i) => ({ identity, ...issueSsk(master.ksak, master.kpak, identity), rsk: rsks[i]! }));
  const fail = (i: number, what: string): never => {
    for (const set of sets) zeroise(set.ssk, set.rsk);
    throw new CryptoError('E_INVALID_KEY', `issued ${what}`, `identity #${firstIndex + i}`);
  };
  sets.forEach((set, i) => validateSsk(master.kpak, set.identity, set.ssk, set.pvt) || fail(i, 'SSK fails RFC 6507 §5.1.2 validation'));
  rsksMatch(master.z, identities, rsks).forEach((ok, i) => ok || fail(i, 'RSK fails [a+z]RSK = P'));
  return sets;
}

/** One identity's checked key set; see {@link issueKeySetChunk}. */
export function issueKeySet(master: MasterSecrets, identity: Uint8Array, index = 0): KeySet {
  return issueKeySetChunk(master, [identity], index)[0]!;
}
