import { createHash } from 'node:crypto';
import sharp, { type Metadata, type OutputInfo } from 'sharp';

/**
 * Turning an untrusted upload into a safe, small, metadata-free photo.
 *
 * Trust nothing the client says: not the file name, not the extension, not the Content-Type. The format
 * is decided from the bytes' own signature and then confirmed by really decoding them with libvips.
 *
 * Output convention: every accepted photo is re-encoded as **JPEG** (quality 85), whatever it came in as.
 * - Model servers decode JPEG everywhere (Triton/DALI, TF `decode_image`, PIL, OpenCV); WebP is not
 *   universally supported by their pre-processing, and PNG photos are 3-5x larger for no visible gain.
 * - One output format keeps storage, content types and cache keys simple downstream.
 * - Transparency (PNG/WebP alpha) is flattened onto white, as a photo viewer would show it.
 * The input format is still reported as `sourceFormat`.
 */

export type AcceptedFormat = 'jpeg' | 'png' | 'webp';

export type ImageRejectionCode = 'unsupported_format' | 'invalid_image' | 'too_large' | 'too_many_pixels';

/** Raised for any upload we refuse; `message` is written for the person who uploaded it. */
export class ImageRejected extends Error {
  readonly code: ImageRejectionCode;
  constructor(code: ImageRejectionCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageRejected';
    this.code = code;
  }
}

/**
 * 10 MB. Phone cameras write 2-6 MB JPEGs (up to ~8 MB for 48 MP modes), so real food photos fit with room
 * to spare; anything larger is almost certainly not a single photo. The whole upload is held in memory
 * while it is checked, so this also bounds memory per request. (The HTTP layer should enforce the same
 * limit on the request body before buffering it.)
 */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * 50 megapixels (e.g. 8192 x 6144): above the 48 MP sensors of current phones. Decompression-bomb defence:
 * a few-KB PNG can declare 100 000 x 100 000 pixels (30 GB decoded). libvips checks the declared size in
 * the header before decoding any pixel, so such files are refused cheaply.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Longest edge of the stored photo. Classifiers take 224-512 px inputs, so 1024 keeps enough detail for
 * them (and for a person looking at their meal history) while keeping stored files around 100-300 KB.
 */
export const MAX_OUTPUT_EDGE = 1024;

/** JPEG quality 85: visually indistinguishable from the original at this size, about half the bytes of q95. */
export const OUTPUT_JPEG_QUALITY = 85;

/**
 * Upper bound on libvips work per photo. A 50 MP photo decodes and shrinks in well under 2 s on one core;
 * 10 s means a pathological file cannot pin a worker thread, without failing real photos on a busy host.
 */
export const PROCESS_TIMEOUT_SECONDS = 10;

export interface ProcessUploadOptions {
  maxBytes?: number;
  maxPixels?: number;
  maxEdge?: number;
  quality?: number;
}

export interface ProcessedImage {
  /** Re-encoded JPEG: auto-oriented, resized, with no EXIF/GPS/XMP/IPTC/ICC metadata. */
  bytes: Buffer;
  /** Always 'jpeg' (see the output convention above). */
  format: 'jpeg';
  contentType: 'image/jpeg';
  /** What the upload really was, decided from its bytes. */
  sourceFormat: AcceptedFormat;
  width: number;
  height: number;
  /** Lower-case hex SHA-256 of `bytes`, for content addressing. */
  sha256: string;
}

const ACCEPTED_HINT = 'Please upload a JPEG, PNG or WebP photo.';

/** The format a buffer declares by its leading bytes (magic numbers), or a name for a known refused one. */
export function sniffFormat(bytes: Buffer): AcceptedFormat | 'other' | 'unknown' {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'webp';
  }
  const head = bytes.toString('latin1', 0, Math.min(bytes.length, 512));
  if (OTHER_IMAGE_SIGNATURES.some((re) => re.test(head))) return 'other';
  return 'unknown';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Image formats people do upload that we refuse: GIF, TIFF, BMP, HEIC/AVIF (ISO-BMFF `ftyp`), SVG, PDF, ICO. */
const OTHER_IMAGE_SIGNATURES: readonly RegExp[] = [
  /^GIF8[79]a/,
  /^(II\*\0|MM\0\*)/,
  /^BM/,
  /^....ftyp(heic|heix|hevc|mif1|msf1|avif|avis)/s,
  /^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/is,
  /^%PDF-/,
  // eslint-disable-next-line no-control-regex -- an ICO header is these bytes
  /^\0\0\x01\0/,
];

/**
 * Validate and normalise an uploaded photo. Throws `ImageRejected` for anything that is not a decodable
 * JPEG, PNG or WebP within the size limits.
 */
export async function processUpload(bytes: Buffer, opts: ProcessUploadOptions = {}): Promise<ProcessedImage> {
  const maxBytes = opts.maxBytes ?? MAX_UPLOAD_BYTES;
  const maxPixels = opts.maxPixels ?? MAX_INPUT_PIXELS;
  const maxEdge = opts.maxEdge ?? MAX_OUTPUT_EDGE;
  const quality = opts.quality ?? OUTPUT_JPEG_QUALITY;

  if (bytes.length === 0) throw new ImageRejected('invalid_image', 'The photo is empty.');
  if (bytes.length > maxBytes) {
    throw new ImageRejected(
      'too_large',
      `The photo is larger than ${formatMb(maxBytes)}. Please upload a smaller photo.`,
    );
  }

  // Only the three accepted formats ever reach libvips: it has loaders for dozens of formats (SVG, PDF,
  // TIFF, ...), and each one is attack surface we do not need.
  const sniffed = sniffFormat(bytes);
  if (sniffed === 'other' || sniffed === 'unknown') {
    throw new ImageRejected('unsupported_format', `This file is not a supported photo. ${ACCEPTED_HINT}`);
  }

  // failOn 'error': truncated or corrupt data is refused (the model would see grey blocks), while the
  // harmless warnings some cameras trigger (e.g. stray bytes between JPEG markers) are tolerated.
  const input = { failOn: 'error', limitInputPixels: maxPixels, autoOrient: true } as const;

  let meta: Metadata;
  try {
    meta = await sharp(bytes, input).metadata();
  } catch (err) {
    throw rejectionFor(err, maxPixels);
  }
  if (meta.format !== sniffed) {
    // The signature and libvips disagree (a polyglot or a mislabelled container): refuse rather than guess.
    throw new ImageRejected('invalid_image', `This photo could not be read. ${ACCEPTED_HINT}`);
  }
  // Belt and braces: libvips enforces limitInputPixels too, but this refusal needs no decoding at all.
  if ((meta.width ?? 0) * (meta.height ?? 0) > maxPixels) throw tooManyPixels(maxPixels);

  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(bytes, input)
      // Auto-orientation (from EXIF Orientation) happens on load via `autoOrient`, before resizing, so
      // "fit inside" applies to the picture as the person sees it.
      .resize(maxEdge, maxEdge, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      // No withMetadata/keepMetadata: sharp writes no EXIF (GPS included), XMP, IPTC or ICC profile and
      // converts to sRGB, so nothing about the camera, the place or the person survives.
      .jpeg({ quality })
      .timeout({ seconds: PROCESS_TIMEOUT_SECONDS })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw rejectionFor(err, maxPixels);
  }

  return {
    bytes: out.data,
    format: 'jpeg',
    contentType: 'image/jpeg',
    sourceFormat: sniffed,
    width: out.info.width,
    height: out.info.height,
    sha256: createHash('sha256').update(out.data).digest('hex'),
  };
}

function rejectionFor(err: unknown, maxPixels: number): ImageRejected {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) return tooManyPixels(maxPixels);
  if (/unsupported image format/i.test(message)) {
    return new ImageRejected('unsupported_format', `This file is not a supported photo. ${ACCEPTED_HINT}`, {
      cause: err,
    });
  }
  return new ImageRejected(
    'invalid_image',
    `This photo is damaged or incomplete and could not be read. ${ACCEPTED_HINT}`,
    {
      cause: err,
    },
  );
}

function tooManyPixels(maxPixels: number): ImageRejected {
  return new ImageRejected(
    'too_many_pixels',
    `The photo has more than ${Math.round(maxPixels / 1_000_000)} megapixels. Please upload a smaller photo.`,
  );
}

function formatMb(n: number): string {
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
}
