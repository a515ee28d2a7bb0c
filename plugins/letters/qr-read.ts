/** Reading a QR code back from a PNG image: the reference reader's camera-less path (jsQR). */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { QrPayloadError } from './errors.js';

/**
 * The raw bytes of the QR code in a PNG image (byte mode payloads come back as they were).
 * @throws QrPayloadError `E_QR_FORMAT` when the file is not a PNG or holds no readable QR code.
 */
export function readQrPng(png: Uint8Array, name = 'image'): Uint8Array {
  let image: PNG;
  try {
    image = PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  } catch {
    throw new QrPayloadError('E_QR_FORMAT', 'is not a PNG image', name);
  }
  // The package is CommonJS with `export default` typings: under NodeNext the default import is
  // its module.exports, which carries the function as `.default` too.
  const found = jsQR.default(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
  if (!found) throw new QrPayloadError('E_QR_FORMAT', 'no readable QR code found in the image', name);
  return Uint8Array.from(found.binaryData);
}
