import { token } from '../../src/kernel/index.js';
import type { LetterData } from '../layouts/tokens.js';

/** Layout ids of the letters this plugin registers (defaults in `layouts/`). */
export const USER_LETTER_LAYOUT = 'letters.user-initiation';
export const GATEWAY_LETTER_LAYOUT = 'letters.gateway-initiation';

/** A finished PDF. It carries private keys: it goes to the chosen device and nowhere else. */
export interface LetterFile {
  fileName: string;
  pdf: Uint8Array;
}

/** The QR code of a user's initiation as shown on screen (User Details → View QR). */
export interface UserQr {
  [key: string]: string | boolean;
  /** The payload bytes in hex (docs/formats.md, "User initiation QR payload"). */
  payload: string;
  /** The QR code as a PNG data URL. */
  png: string;
  /** Encrypted under the user's QR code key (Settings → QR protection). */
  protected: boolean;
  /** The month of the keys in it, `YYYY-MM`. */
  period: string;
}

export interface LetterOptions {
  /** One PDF for all letters (each on its own pages) instead of one per letter. */
  combined?: boolean;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

/** One letter to render with a layout: its file name (when not combined) and its data. */
export interface LetterInput {
  fileName: string;
  data: LetterData;
}

/**
 * Initiation letters: QR payloads, letters rendered through ILayouts and made into PDF in the
 * installed browser. Used by users now, by gateways and the domain certificate later.
 */
export interface ILetters {
  /** The initiation letters of these users (E.164 numbers) for the current month. */
  userLetterPdf(mobiles: string[], opts?: LetterOptions): Promise<LetterFile[]>;
  /** A user's initiation QR code for the screen. */
  userQr(mobile: string): Promise<UserQr>;
  /** Any layout's letters as PDF (gateway letters, the domain certificate), one browser for the batch. */
  layoutPdf(layoutId: string, letters: LetterInput[], opts?: LetterOptions & { combinedName?: string }): Promise<LetterFile[]>;
}
export const ILetters = token<ILetters>('letters:ILetters');

// Pure helpers for plugins that make their own letters (gateways, the domain certificate):
// the QR payload codec (docs/formats.md), its QR symbol and the CRS TLS credential.
export { QrPayloadError } from './errors.js';
export { decodeUserQr, encodeUserQr, isProtectedQr, type DecodedUserQr, type UserQrPayload } from './qr-payload.js';
export { qrPngDataUrl, qrSvgDataUrl } from './qr-image.js';
export { tlsCredential, TLS_CREDENTIAL_BYTES } from './tls-credential.js';
