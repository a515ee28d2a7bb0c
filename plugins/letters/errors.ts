import { CommandError } from '../../src/kernel/index.js';

/**
 * A QR payload that cannot be read or made: names the field (`details.field`), never its value.
 * A CommandError, so a command that meets one reports its code and message as they are.
 */
export class QrPayloadError extends CommandError {
  constructor(
    code: 'E_QR_FORMAT' | 'E_QR_KEY' | 'E_QR_KEY_NEEDED',
    message: string,
    readonly field: string,
  ) {
    super(code, `QR payload, ${field}: ${message}`, { field });
  }
}
