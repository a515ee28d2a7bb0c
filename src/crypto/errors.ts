/**
 * Typed errors for everything the crypto core rejects. Messages say what is wrong
 * with the input (which field, which check) and never carry secret values.
 */
export type CryptoErrorCode =
  | 'E_LENGTH' // wrong byte length
  | 'E_ENCODING' // bad prefix byte, bad hex, malformed structure
  | 'E_RANGE' // scalar or coordinate outside its range
  | 'E_NOT_ON_CURVE' // point does not satisfy the curve equation
  | 'E_NOT_IN_SUBGROUP' // point not of order q (e.g. RSK plus a point of order 2)
  | 'E_INFINITY' // the point at infinity where a real point is required
  | 'E_INVALID_KEY' // a key fails its RFC validation (SSK 6507 §5.1.2, RSK 6508 §6.1.2)
  | 'E_IDENTITY' // identity string not in the RFC 6509 / channel form
  | 'E_CANCELLED'; // a batch was cancelled

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    /** What was being parsed or checked, e.g. "RSK", "KPAK", "PVT". */
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
  }
}
