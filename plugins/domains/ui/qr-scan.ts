/**
 * Reading the peer's QR code in the renderer: from a camera (getUserMedia) or from an image file
 * (PNG or JPEG, decoded by the browser), both through jsQR on the pixels.
 */
import jsQRModule from 'jsqr';

type Decode = typeof jsQRModule.default;
// esbuild hands over the function itself (the package marks itself __esModule); Node, under
// NodeNext, hands over module.exports, which carries it as `.default`.
const jsQR: Decode = typeof jsQRModule === 'function' ? (jsQRModule as unknown as Decode) : jsQRModule.default;

/** The bytes of a QR code in these pixels, or undefined. */
export function decodePixels(image: ImageData): Uint8Array | undefined {
  const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
  return found && found.binaryData.length ? Uint8Array.from(found.binaryData) : undefined;
}

function pixelsOf(source: CanvasImageSource, width: number, height: number, canvas = document.createElement('canvas')): ImageData {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(source, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}

/** The QR code's bytes in an image file; an error naming the file when there is none. */
export async function decodeImageFile(file: File): Promise<Uint8Array> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name}: not an image this browser can read (use PNG or JPEG)`);
  }
  const bytes = decodePixels(pixelsOf(bitmap, bitmap.width, bitmap.height));
  bitmap.close();
  if (!bytes) throw new Error(`${file.name}: no readable QR code found in the image`);
  return bytes;
}

/** Frames from the camera shown in `video`, scanned until a QR code is read or `stop()` is called. */
export interface CameraScan {
  result: Promise<Uint8Array>;
  stop(): void;
}

/** Start the camera in `video` and scan its frames a few times a second. */
export async function scanCamera(video: HTMLVideoElement): Promise<CameraScan> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  video.muted = true;
  await video.play();
  const canvas = document.createElement('canvas');
  let timer: ReturnType<typeof setInterval> | undefined;
  let rejectScan: (err: Error) => void = () => {};
  const stop = () => {
    clearInterval(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const result = new Promise<Uint8Array>((resolve, reject) => {
    rejectScan = reject;
    timer = setInterval(() => {
      if (video.videoWidth === 0) return;
      const bytes = decodePixels(pixelsOf(video, video.videoWidth, video.videoHeight, canvas));
      if (bytes) {
        stop();
        resolve(bytes);
      }
    }, 200);
  });
  return {
    result,
    stop: () => {
      stop();
      rejectScan(new Error('stopped'));
    },
  };
}

/** Base64 of bytes, for `domains.preview` and `domains.add`. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
