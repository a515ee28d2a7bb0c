/**
 * QR symbols of payloads: byte mode (the payload is binary), error-correction level M
 * (ISO/IEC 18004 §6.5.1, ~15 % of the symbol may be damaged), the standard 4-module quiet zone.
 */
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** The symbol as an SVG data URL: vector, so the PDF prints it sharp at any printer resolution. */
export async function qrSvgDataUrl(payload: Uint8Array): Promise<string> {
  const svg = await QRCode.toString([{ data: payload, mode: 'byte' }], { ...OPTIONS, type: 'svg' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The symbol as a PNG data URL for the screen, `scale` pixels per module. */
export async function qrPngDataUrl(payload: Uint8Array, scale = 6): Promise<string> {
  const png = await QRCode.toBuffer([{ data: payload, mode: 'byte' }], { ...OPTIONS, type: 'png', scale });
  return `data:image/png;base64,${png.toString('base64')}`;
}
