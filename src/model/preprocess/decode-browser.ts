/**
 * Browser image decoding to straight RGBA8 through the platform decoder. No colour management
 * (`colorSpaceConversion: 'none'`), like PIL, which ignores ICC profiles.
 * Caveat: 2D canvases store premultiplied alpha, so colours of semi-transparent pixels can be off by
 * a few levels after the round trip (opaque pixels are exact). CLIP resizes RGBA premultiplied
 * anyway, which mostly hides this.
 */
import { ClipError } from '../../errors.ts';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from './preprocess.ts';
import type { RawImage } from './preprocess.ts';

export type BrowserImageSource =
  | ImageBitmap
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | Blob
  | string; // URL

export interface BrowserDecodedImage extends RawImage {
  data: Uint8ClampedArray;
  channels: 4;
}

const BITMAP_OPTIONS: ImageBitmapOptions = { colorSpaceConversion: 'none', premultiplyAlpha: 'none' };

/** `instanceof` that is safe where a DOM class does not exist (workers have no HTMLImageElement). */
function isA<T>(value: unknown, ctorName: string): value is T {
  const ctor = (globalThis as Record<string, unknown>)[ctorName];
  return typeof ctor === 'function' && value instanceof (ctor as new (...args: never[]) => unknown);
}

function checkSize(what: string, width: number, height: number): void {
  if (width < 1 || height < 1) throw new ClipError('image', `${what} has no pixels (${width}x${height})`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new ClipError(
      'image',
      `${what} is ${width}x${height} pixels; the largest supported side is ${MAX_IMAGE_SIDE} px`,
    );
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ClipError(
      'image',
      `${what} is ${width}x${height} pixels (${((width * height) / 1e6).toFixed(0)} megapixels); ` +
        `the most supported is ${(MAX_IMAGE_PIXELS / 1e6).toFixed(1)} megapixels`,
    );
  }
}

function describeBlob(blob: Blob): string {
  const name = isA<File>(blob, 'File') ? blob.name : 'image blob';
  return `${name} (${blob.type || 'unknown type'}, ${blob.size} bytes)`;
}

async function fetchBlob(url: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ClipError('network', `could not fetch image ${url}: ${(e as Error).message}`, { cause: e });
  }
  if (response.status === 404) throw new ClipError('not-found', `image not found: ${url} (HTTP 404)`);
  if (!response.ok) throw new ClipError('network', `could not fetch image ${url}: HTTP ${response.status}`);
  return response.blob();
}

async function blobToBitmap(blob: Blob, what: string): Promise<ImageBitmap> {
  if (blob.size === 0) throw new ClipError('image', `${what} is empty (0 bytes), not an image`);
  try {
    return await createImageBitmap(blob, BITMAP_OPTIONS);
  } catch (e) {
    throw new ClipError('image', `${what} could not be decoded as an image (${(e as Error).message})`, { cause: e });
  }
}

async function elementToBitmap(img: HTMLImageElement): Promise<ImageBitmap> {
  const what = `image ${img.currentSrc || img.src || '<img>'}`;
  try {
    if (!img.complete || img.naturalWidth === 0) await img.decode();
  } catch (e) {
    throw new ClipError('image', `${what} failed to load or decode`, { cause: e });
  }
  if (img.naturalWidth === 0) throw new ClipError('image', `${what} failed to load or decode`);
  return createImageBitmap(img, BITMAP_OPTIONS);
}

/** Draws a bitmap or canvas into a fresh 2D canvas and reads its RGBA back. */
function readPixels(source: CanvasImageSource, width: number, height: number, what: string): BrowserDecodedImage {
  checkSize(what, width, height);
  const canvas =
    typeof OffscreenCanvas === 'function'
      ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as
    | OffscreenCanvasRenderingContext2D
    | CanvasRenderingContext2D
    | null;
  if (!ctx) throw new ClipError('image', 'cannot create a 2D canvas to read the image pixels');
  ctx.drawImage(source, 0, 0);
  let data: Uint8ClampedArray;
  try {
    data = ctx.getImageData(0, 0, width, height).data;
  } catch (e) {
    // SecurityError: a cross-origin image without CORS headers taints the canvas.
    throw new ClipError(
      'image',
      `cannot read the pixels of ${what}: ${(e as Error).message} (cross-origin images need CORS)`,
      { cause: e },
    );
  }
  return { width, height, data, channels: 4 };
}

/**
 * Decodes any browser image source to RGBA8. `ImageData` is copied as is; everything else is
 * drawn into a canvas. Failures are `ClipError('image')` (or `not-found` / `network` for URLs).
 */
export async function decodeImageBrowser(source: BrowserImageSource): Promise<BrowserDecodedImage> {
  if (isA<ImageData>(source, 'ImageData')) {
    checkSize('ImageData', source.width, source.height);
    return { width: source.width, height: source.height, data: new Uint8ClampedArray(source.data), channels: 4 };
  }
  if (typeof source === 'string') {
    const bitmap = await blobToBitmap(await fetchBlob(source), `image ${source}`);
    return readAndClose(bitmap, `image ${source}`);
  }
  if (isA<Blob>(source, 'Blob'))
    return readAndClose(await blobToBitmap(source, describeBlob(source)), describeBlob(source));
  if (isA<HTMLImageElement>(source, 'HTMLImageElement'))
    return readAndClose(await elementToBitmap(source), `image ${source.currentSrc || source.src}`);
  if (isA<ImageBitmap>(source, 'ImageBitmap')) return readPixels(source, source.width, source.height, 'ImageBitmap');
  if (isA<HTMLCanvasElement>(source, 'HTMLCanvasElement') || isA<OffscreenCanvas>(source, 'OffscreenCanvas')) {
    return readPixels(source, source.width, source.height, 'canvas');
  }
  throw new ClipError('input', `unsupported image source: ${Object.prototype.toString.call(source)}`);
}

function readAndClose(bitmap: ImageBitmap, what: string): BrowserDecodedImage {
  try {
    return readPixels(bitmap, bitmap.width, bitmap.height, what);
  } finally {
    bitmap.close();
  }
}
