/**
 * What kind of picture some bytes are, from their own header (never from a file
 * name or a Content-Type, which the sender chooses), and how many pixels they
 * decode to: a small PNG can claim a huge canvas, and the OCR engine would try
 * to allocate all of it.
 */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
/** A 4K screen at 150 % is about 19 million pixels; beyond this nobody's screenshot goes. */
export const MAX_IMAGE_PIXELS = 40_000_000;

export type ImageFormat = 'png' | 'jpeg';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngInfo(bytes: Uint8Array): ImageInfo | undefined {
  if (bytes.length < 24 || PNG_SIGNATURE.some((value, index) => bytes[index] !== value)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The first chunk is always IHDR: width and height, big-endian, right after its type.
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

/** Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegInfo(bytes: Uint8Array): ImageInfo | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    // Fill bytes, and markers without a length (RSTn, TEM).
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    const length = view.getUint16(offset + 2);
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) return undefined;
      return { format: 'jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    if (length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

/** The format and size of a PNG or JPEG; undefined for anything else (or a header that does not hold together). */
export function imageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const info = pngInfo(bytes) ?? jpegInfo(bytes);
  return info && info.width > 0 && info.height > 0 ? info : undefined;
}

export type ImageCheck = { ok: true; info: ImageInfo } | { ok: false; problem: 'unsupported' | 'too-large' };

/** Whether the bot reads these bytes at all: a PNG or JPEG within the byte and pixel limits. */
export function checkImage(bytes: Uint8Array): ImageCheck {
  if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, problem: 'too-large' };
  const info = imageInfo(bytes);
  if (!info) return { ok: false, problem: 'unsupported' };
  if (info.width * info.height > MAX_IMAGE_PIXELS) return { ok: false, problem: 'too-large' };
  return { ok: true, info };
}
