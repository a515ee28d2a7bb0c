import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { QrPayloadError } from './errors.js';
import { readQrPng } from './qr-read.js';

function blankPng(): Uint8Array {
  const png = new PNG({ width: 64, height: 64 });
  png.data.fill(255);
  return PNG.sync.write(png);
}

describe('readQrPng', () => {
  it('names the file when it is not a PNG', () => {
    expect(() => readQrPng(new TextEncoder().encode('not a png'), 'letter.png')).toThrow(QrPayloadError);
    expect(() => readQrPng(new TextEncoder().encode('not a png'), 'letter.png')).toThrow(/letter\.png: is not a PNG image/);
  });

  it('says so when the image holds no QR code', () => {
    expect(() => readQrPng(blankPng(), 'blank.png')).toThrow(/blank\.png: no readable QR code/);
  });
});
