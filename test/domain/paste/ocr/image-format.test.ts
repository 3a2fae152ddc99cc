/** Telling PNG and JPEG from their own headers, and refusing pictures too large to decode. */
import { checkImage, imageInfo, MAX_IMAGE_BYTES } from '../../../../src/domain/paste/ocr/image-format';

function png(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

/** SOI, an APP0 segment, then a baseline frame header (SOF0) of the given size. */
function jpeg(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...new Array<number>(14).fill(0)];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03];
  return Uint8Array.from([0xff, 0xd8, ...app0, ...sof0, ...new Array<number>(10).fill(0)]);
}

describe('imageInfo and checkImage', () => {
  test('When the bytes are a PNG or a JPEG, Then the format and size come from the header', () => {
    expect(imageInfo(png(1280, 720))).toEqual({ format: 'png', width: 1280, height: 720 });
    expect(imageInfo(jpeg(1920, 1080))).toEqual({ format: 'jpeg', width: 1920, height: 1080 });
    expect(checkImage(png(1280, 720))).toEqual({ ok: true, info: { format: 'png', width: 1280, height: 720 } });
  });

  test.each([
    ['a GIF', Uint8Array.from(Buffer.from('GIF89a\x01\x00\x01\x00'))],
    ['text', Uint8Array.from(Buffer.from('UserErrorGuestAgentStatusUnavailable'))],
    ['a PNG cut before its header', png(10, 10).subarray(0, 20)],
    ['a PNG of zero width', png(0, 10)],
    ['a JPEG without a frame header', Uint8Array.from([0xff, 0xd8, 0xff, 0xd9])],
  ])('When the bytes are %s, Then they are unsupported', (_, bytes) => {
    expect(checkImage(bytes)).toEqual({ ok: false, problem: 'unsupported' });
  });

  test('When a small file claims a huge canvas, or the file is over 4 MB, Then it is too large', () => {
    expect(checkImage(png(20_000, 20_000))).toEqual({ ok: false, problem: 'too-large' });
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(png(100, 100));
    expect(checkImage(big)).toEqual({ ok: false, problem: 'too-large' });
  });
});
