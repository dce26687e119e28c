import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  ImageRejected,
  type ImageRejectionCode,
  MAX_INPUT_PIXELS,
  MAX_OUTPUT_EDGE,
  MAX_UPLOAD_BYTES,
  processUpload,
  sniffFormat,
} from '../../src/adapters/images/validate';
import { SVG_TEXT, exifHasGpsPointer, jpegWithGps, photo } from '../fixtures/images';

async function rejection(bytes: Buffer, opts?: Parameters<typeof processUpload>[1]): Promise<ImageRejected> {
  try {
    await processUpload(bytes, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ImageRejected);
    return err as ImageRejected;
  }
  throw new Error('expected the upload to be rejected');
}

async function expectRejected(bytes: Buffer, code: ImageRejectionCode): Promise<void> {
  const err = await rejection(bytes);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(/photo/i); // written for a person, not a libvips error
  expect(err.message).not.toMatch(/vips|sharp/i);
}

/** A valid PNG whose IHDR declares a huge size: a decompression bomb as it arrives (a few hundred bytes). */
async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await photo('png', 8, 8));
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC covers type + data (bytes 12..29).
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
  return png;
}

describe('processUpload: accepted formats', () => {
  it.each(['jpeg', 'png', 'webp'] as const)('accepts a real %s and re-encodes it as JPEG', async (format) => {
    const out = await processUpload(await photo(format, 64, 48));
    expect(out.sourceFormat).toBe(format);
    expect(out.format).toBe('jpeg');
    expect(out.contentType).toBe('image/jpeg');
    expect([out.width, out.height]).toEqual([64, 48]);
    const meta = await sharp(out.bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([64, 48]);
    expect(out.sha256).toBe(createHash('sha256').update(out.bytes).digest('hex'));
  });

  it('flattens transparency onto white (JPEG has no alpha)', async () => {
    const transparent = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const out = await processUpload(transparent);
    const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect(Math.min(...data)).toBeGreaterThan(245);
  });

  it('is deterministic: the same upload gives the same bytes and hash', async () => {
    const input = await photo('png', 300, 200);
    const [a, b] = await Promise.all([processUpload(input), processUpload(input)]);
    expect(a.sha256).toBe(b.sha256);
  });
});

describe('processUpload: refused input', () => {
  it('judges by content, not name: a text file (say, "lunch.jpg") is not a photo', async () => {
    await expectRejected(Buffer.from('this is not an image, despite its .jpg name\n'), 'unsupported_format');
  });

  it.each(['gif', 'tiff', 'avif'] as const)('refuses %s', async (format) => {
    await expectRejected(await photo(format, 16, 16), 'unsupported_format');
  });

  it('refuses SVG (never handed to the SVG renderer)', async () => {
    await expectRejected(SVG_TEXT, 'unsupported_format');
    await expectRejected(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'unsupported_format');
  });

  it('refuses random bytes and an empty upload', async () => {
    await expectRejected(Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37) % 256)), 'unsupported_format');
    await expectRejected(Buffer.alloc(0), 'invalid_image');
  });

  it('refuses a truncated JPEG (an interrupted upload) as invalid', async () => {
    const jpeg = await photo('jpeg', 200, 150);
    await expectRejected(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 'invalid_image');
  });

  it('refuses a truncated PNG and a JPEG signature followed by garbage', async () => {
    const png = await photo('png', 200, 150);
    await expectRejected(png.subarray(0, Math.floor(png.length / 2)), 'invalid_image');
    await expectRejected(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]), 'invalid_image');
  });

  it(`refuses more than ${MAX_UPLOAD_BYTES} bytes before decoding anything`, async () => {
    const huge = Buffer.alloc(MAX_UPLOAD_BYTES + 1);
    (await photo('jpeg')).copy(huge);
    await expectRejected(huge, 'too_large');
    expect((await rejection(huge)).message).toContain('10 MB');
    // Exactly at the limit is accepted; bytes after the JPEG's end marker (padding, an appended archive in
    // a polyglot file) are ignored by the decoder and do not survive re-encoding.
    const atLimit = await processUpload(huge.subarray(0, MAX_UPLOAD_BYTES));
    expect(atLimit.bytes.length).toBeLessThan(10_000);
  });

  it('refuses a decompression bomb by its declared size (tiny file, 10 gigapixels)', async () => {
    const bomb = await pngDeclaring(100_000, 100_000);
    expect(bomb.length).toBeLessThan(1_000);
    await expectRejected(bomb, 'too_many_pixels');
  });

  it(`refuses a real image above ${MAX_INPUT_PIXELS} pixels`, async () => {
    const big = await sharp({ create: { width: 7200, height: 7200, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    expect(big.length).toBeLessThan(MAX_UPLOAD_BYTES); // small file, 52 megapixels
    await expectRejected(big, 'too_many_pixels');
  });

  it('honours a lower pixel limit from the options', async () => {
    expect((await rejection(await photo('jpeg', 100, 100), { maxPixels: 5_000 })).code).toBe('too_many_pixels');
  });
});

describe('processUpload: privacy and geometry', () => {
  it('strips EXIF (GPS, camera), XMP, IPTC and ICC', async () => {
    const input = await jpegWithGps();
    const before = await sharp(input).metadata();
    expect(before.exif).toBeDefined();
    expect(exifHasGpsPointer(before.exif)).toBe(true);

    const out = await processUpload(input);
    const after = await sharp(out.bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.bytes.includes(Buffer.from('TestCam'))).toBe(false);
  });

  it('applies the EXIF orientation to the pixels before stripping it', async () => {
    // Stored 80x40 with a dark bar on the left; orientation 6 = rotate 90° clockwise to display.
    const out = await processUpload(await jpegWithGps(6, 80, 40));
    expect([out.width, out.height]).toEqual([40, 80]);
    const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    const red = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
    expect(red(20, 5)).toBeLessThan(60); // the bar is now along the top
    expect(red(20, 70)).toBeGreaterThan(150);
  });

  it.each([
    [3000, 1500, MAX_OUTPUT_EDGE, 512],
    [2000, 3000, 683, MAX_OUTPUT_EDGE],
    [1024, 1024, 1024, 1024],
    [64, 48, 64, 48], // never enlarged
  ])('fits %ix%i inside the output box', async (w, h, ew, eh) => {
    const out = await processUpload(await photo('jpeg', w, h));
    expect([out.width, out.height]).toEqual([ew, eh]);
  });

  it('honours a smaller maxEdge (model input size)', async () => {
    const out = await processUpload(await photo('webp', 1600, 1200), { maxEdge: 512 });
    expect([out.width, out.height]).toEqual([512, 384]);
  });
});

describe('sniffFormat', () => {
  it('recognises signatures regardless of any name', async () => {
    expect(sniffFormat(await photo('jpeg'))).toBe('jpeg');
    expect(sniffFormat(await photo('png'))).toBe('png');
    expect(sniffFormat(await photo('webp'))).toBe('webp');
    expect(sniffFormat(await photo('gif'))).toBe('other');
    expect(sniffFormat(SVG_TEXT)).toBe('other');
    expect(sniffFormat(Buffer.from('%PDF-1.7'))).toBe('other');
    expect(sniffFormat(Buffer.from('hello'))).toBe('unknown');
  });
});
