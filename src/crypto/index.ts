/**
 * Keyward crypto core: the public surface for plugins and the kernel.
 *
 * - Identities (RFC 6509 §3.2, plus Keyward's channel scheme): {@link Period},
 *   {@link userIdentity}, {@link channelIdentity}, {@link parseIdentity}.
 * - ECCSI (RFC 6507, P-256/SHA-256): master keys, SSK/PVT issuing and validation, sign, verify.
 * - SAKKE (RFC 6508, RFC 6509 parameter set 1): master keys, RSK issuing and validation,
 *   SSV encapsulation and decapsulation, point encoding.
 * - Batch issuing of whole key sets over worker threads: {@link issueKeySets}.
 *
 * Conventions: secrets are `Uint8Array` (big-endian scalars), owned by the caller, who
 * zeroises them with {@link zeroise} when done; points are uncompressed (0x04‖x‖y) unless
 * said otherwise; compressed points are accepted wherever a point is read. Malformed input
 * throws {@link CryptoError} naming the field; a well-formed key or signature that fails its
 * equation makes the check return false. Threat model: docs/security.md.
 *
 * @packageDocumentation
 */

export { CryptoError, type CryptoErrorCode } from './errors.js';
export { bytesToHex, concatBytes, hexToBytes, zeroise } from './bytes.js';

export { Period, userIdentity, channelIdentity, parseIdentity, type ParsedIdentity } from './identity.js';

export {
  generateEccsiMasterKeys,
  issueSsk,
  validateSsk,
  eccsiSign,
  eccsiVerify,
  decodeEccsiPoint,
  ECCSI_SIGNATURE_BYTES,
  type EccsiMasterKeys,
  type EccsiUserKeys,
} from './eccsi.js';

export {
  generateSakkeMasterKeys,
  issueRsk,
  rskMatches,
  issueRsks,
  rsksMatch,
  validateRsk,
  sakkeEncapsulate,
  sakkeDecapsulate,
  SAKKE_SECRET_BYTES,
  decodePoint as decodeSakkePoint,
  encodePoint as encodeSakkePoint,
  POINT_BYTES as SAKKE_POINT_BYTES,
  COMPRESSED_POINT_BYTES as SAKKE_COMPRESSED_POINT_BYTES,
  type Point as SakkePoint,
  type DecodeOptions as SakkeDecodeOptions,
  type SakkeMasterKeys,
  type SakkeEncapsulation,
} from './sakke.js';

export { issueKeySets, type IssueKeySetsOptions } from './batch.js';
export { issueKeySet, issueKeySetChunk, type KeySet, type MasterSecrets } from './keyset.js';
