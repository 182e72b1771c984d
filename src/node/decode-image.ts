/**
 * Node image decoding (PNG via pngjs, JPEG via jpeg-js) to straight RGBA8, with PIL's pixel values
 * wherever the file format leaves a choice, since CLIP's reference pipeline reads images with PIL:
 * - 16-bit channels keep their high byte (PIL's "RGB;16B" unpackers), not round(v / 257);
 * - a tRNS colour key on grey/RGB PNGs is ignored (PIL keeps those in mode L/RGB, opaque);
 * - palette and 1-bit PNGs are flagged `indexed`: PIL resizes them with NEAREST;
 * - no EXIF orientation, no ICC or gAMA colour management.
 * Not browser-safe (Buffer, fs): import it from Node code only.
 */
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ClipError } from '../errors.ts';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from '../model/preprocess/preprocess.ts';
import type { RawImage } from '../model/preprocess/preprocess.ts';

export interface DecodedImage extends RawImage {
  data: Uint8Array;
  channels: 4;
  format: 'png' | 'jpeg';
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads and decodes an image file; `not-found` if the path does not exist, `image` if it is no PNG/JPEG. */
export async function decodeImageFile(path: string): Promise<DecodedImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new ClipError('not-found', `image file not found: ${path}`, { cause: e });
    if (code === 'EISDIR') throw new ClipError('image', `${path} is a directory, not an image file`, { cause: e });
    throw new ClipError('image', `cannot read image file ${path}: ${(e as Error).message}`, { cause: e });
  }
  return decodeImageBytes(bytes, path);
}

/** Decodes a path or the bytes of a PNG/JPEG file; `name` labels the bytes in error messages. */
export async function decodeImage(source: string | Uint8Array, name?: string): Promise<DecodedImage> {
  return typeof source === 'string' ? decodeImageFile(source) : decodeImageBytes(source, name);
}

/** Decodes the bytes of a PNG or JPEG file (format sniffed from the magic bytes, never the name). */
export function decodeImageBytes(bytes: Uint8Array, name = 'image data'): DecodedImage {
  if (bytes.length === 0) throw new ClipError('image', `${name} is empty (0 bytes), not an image`);
  if (startsWith(bytes, PNG_SIGNATURE.slice(0, Math.min(8, bytes.length)))) return decodePng(bytes, name);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return decodeJpeg(bytes, name);
  const other = otherFormat(bytes);
  if (other)
    throw new ClipError('image', `${name} is a ${other} image; only PNG and JPEG are supported (convert it to PNG)`);
  throw new ClipError('image', `${name} is not a PNG or JPEG image (starts with ${describeStart(bytes)})`);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function otherFormat(b: Uint8Array): string | undefined {
  if (ascii(b, 0, 4) === 'GIF8') return 'GIF';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'WebP';
  if (ascii(b, 0, 2) === 'BM') return 'BMP';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'TIFF';
  if (ascii(b, 4, 8) === 'ftyp') return /avi[fs]/.test(ascii(b, 8, 12)) ? 'AVIF' : 'HEIF/HEIC';
  if (startsWith(b, [0xff, 0x0a]) || ascii(b, 4, 12) === 'jP  \r\n\x87\n') return 'JPEG XL / JPEG 2000';
  if (startsWith(b, [0x00, 0x00, 0x01, 0x00])) return 'ICO';
  if (ascii(b, 0, 4) === '8BPS') return 'Photoshop (PSD)';
  return undefined;
}

/** "'hello world'" for text, "bytes 00 01 02 ..." otherwise. */
function describeStart(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 16);
  const printable = head.every((c) => (c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d);
  if (printable) {
    const text = ascii(head, 0, head.length).replace(/\s+/g, ' ').trim();
    return `'${text}${bytes.length > head.length ? '...' : ''}'`;
  }
  return `bytes ${[...bytes.subarray(0, 8)].map((c) => c.toString(16).padStart(2, '0')).join(' ')}`;
}

function checkSize(name: string, format: string, width: number, height: number): void {
  if (width < 1 || height < 1)
    throw new ClipError('image', `${name} is a corrupt ${format}: its header says ${width}x${height} pixels`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new ClipError(
      'image',
      `${name} is ${width}x${height} pixels; the largest supported side is ${MAX_IMAGE_SIDE} px (downscale it first)`,
    );
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ClipError(
      'image',
      `${name} is ${width}x${height} pixels (${((width * height) / 1e6).toFixed(0)} megapixels); ` +
        `the most supported is ${(MAX_IMAGE_PIXELS / 1e6).toFixed(1)} megapixels (downscale it first)`,
    );
  }
}

// ---------------------------------------------------------------- PNG

function u32(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

let crcTable: Uint32Array | undefined;
function crc32(b: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = crcTable[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Checks the chunk structure (lengths, CRCs, IEND) for clear error messages, as PIL does, and
 * drops tRNS when asked (chunks are copied whole, so their CRCs stay valid).
 */
function checkPngChunks(b: Uint8Array, name: string, dropTrns: boolean): Uint8Array {
  const keep: Uint8Array[] = [b.subarray(0, 8)];
  let dropped = false;
  for (let i = 8; ; ) {
    if (i + 12 > b.length)
      throw new ClipError('image', `${name} is a truncated PNG (the data ends before the IEND chunk)`);
    const end = i + 12 + u32(b, i);
    const type = ascii(b, i + 4, i + 8);
    if (end > b.length) throw new ClipError('image', `${name} is a truncated PNG (the ${type} chunk is cut off)`);
    if (crc32(b.subarray(i + 4, end - 4)) !== u32(b, end - 4)) {
      throw new ClipError('image', `${name} is a corrupt PNG (checksum mismatch in the ${type} chunk)`);
    }
    if (dropTrns && type === 'tRNS') dropped = true;
    else keep.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return dropped ? Buffer.concat(keep) : b;
}

function decodePng(bytes: Uint8Array, name: string): DecodedImage {
  if (bytes.length < 33 || ascii(bytes, 12, 16) !== 'IHDR') {
    throw new ClipError(
      'image',
      `${name} is a truncated or corrupt PNG (${bytes.length} bytes, no complete IHDR header)`,
    );
  }
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  const depth = bytes[24];
  const colorType = bytes[25];
  checkSize(name, 'PNG', width, height);

  const input = checkPngChunks(bytes, name, colorType === 0 || colorType === 2);
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    // skipRescale: we scale ourselves, 16-bit by taking the high byte as PIL does.
    png = PNG.sync.read(Buffer.from(input.buffer, input.byteOffset, input.length), { skipRescale: true });
  } catch (e) {
    throw new ClipError('image', `${name} is a corrupt PNG (${(e as Error).message})`, { cause: e });
  }
  // pngjs returns Uint16Array data for 16-bit images although its types say Buffer.
  const src = png.data as unknown as ArrayLike<number>;
  const data = new Uint8Array(width * height * 4);
  if (depth === 16) {
    for (let i = 0; i < data.length; i++) data[i] = src[i] >> 8;
  } else if (depth < 8 && colorType !== 3) {
    const scale = 255 / (2 ** depth - 1); // 255, 85, 17: what PIL's L;1/L;2/L;4 unpackers produce
    for (let i = 0; i < data.length; i++) data[i] = src[i] * scale;
  } else {
    data.set(src);
  }
  const indexed = colorType === 3 || (colorType === 0 && depth === 1);
  return { width, height, data, channels: 4, format: 'png', indexed };
}

// ---------------------------------------------------------------- JPEG

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Walks the marker segments up to the first scan: frame size, and whether an EOI follows the scan. */
function scanJpeg(b: Uint8Array): { width: number; height: number; hasFrame: boolean; complete: boolean } {
  let width = 0,
    height = 0,
    hasFrame = false;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) break;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    const len = (b[i + 2] << 8) | b[i + 3];
    if (SOF_MARKERS.has(marker) && i + 9 <= b.length) {
      height = (b[i + 5] << 8) | b[i + 6];
      width = (b[i + 7] << 8) | b[i + 8];
      hasFrame = true;
    }
    if (marker === 0xda) {
      // Entropy-coded data never contains FF D9 (FF is followed by 00 or RSTn), so this is the EOI.
      for (let j = i + 2 + len; j + 1 < b.length; j++)
        if (b[j] === 0xff && b[j + 1] === 0xd9) return { width, height, hasFrame, complete: true };
      return { width, height, hasFrame, complete: false };
    }
    i += 2 + len;
  }
  return { width, height, hasFrame, complete: false };
}

function decodeJpeg(bytes: Uint8Array, name: string): DecodedImage {
  const info = scanJpeg(bytes);
  if (!info.hasFrame) throw new ClipError('image', `${name} is a truncated or corrupt JPEG (no frame header)`);
  checkSize(name, 'JPEG', info.width, info.height);
  if (!info.complete)
    throw new ClipError('image', `${name} is a truncated JPEG (the data ends before the end-of-image marker)`);
  try {
    const out = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: 4096,
    });
    checkSize(name, 'JPEG', out.width, out.height);
    return { width: out.width, height: out.height, data: out.data, channels: 4, format: 'jpeg', indexed: false };
  } catch (e) {
    if (e instanceof ClipError) throw e;
    throw new ClipError('image', `${name} is a corrupt or unsupported JPEG (${(e as Error).message})`, { cause: e });
  }
}
