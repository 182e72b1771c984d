/**
 * CLIP's image preprocessing (OpenAI `clip.load(...)[1]`), reproduced bit for bit on the CPU:
 *   Resize(S, BICUBIC) -> CenterCrop(S) -> convert('RGB') -> ToTensor -> Normalize.
 * The resize runs on the image as PIL holds it (before the RGB conversion), so PIL's per-mode rules
 * apply: RGBA is resized premultiplied, palette / 1-bit images with NEAREST.
 */
import { mat3, vec2 } from 'wgpu-matrix';
import type { Mat3 } from 'wgpu-matrix';
import { ClipError } from '../../errors.ts';
import { centerCropOffsets, cropPixels } from './crop.ts';
import { normalizeToCHW } from './normalize.ts';
import { premultiplyAlpha, resizeBicubic, resizeNearest, unpremultiplyAlpha } from './resize.ts';
import type { U8Pixels } from './resize.ts';

/** Decoders refuse larger images: 16384² RGBA is already 1 GiB. */
export const MAX_IMAGE_SIDE = 16384;
/**
 * Decoders refuse images with more pixels, before allocating anything: PIL's decompression-bomb
 * threshold (89.5 MP; a 0.36 GB RGBA buffer, decoded twice over inside the decoders).
 */
export const MAX_IMAGE_PIXELS = 89_478_485;

export interface RawImage {
  width: number;
  height: number;
  /** Row-major, interleaved RGB or RGBA with straight (not premultiplied) alpha. */
  data: U8Pixels;
  channels: 3 | 4;
  /** Decoded from a palette or 1-bit image (PIL mode 'P' / '1'): PIL resizes those with NEAREST. */
  indexed?: boolean;
}

export interface PreprocessedImage {
  /** Normalized model input, float32 [3, S, S] (NCHW without the batch dimension). */
  pixels: Float32Array;
  /** wgpu-matrix mat3: model-input pixel coordinates -> original image pixel coordinates. */
  transform: Mat3;
  original: { width: number; height: number };
  /** Size after the resize, before the crop. */
  resized: { width: number; height: number };
  /** Crop window in resized pixels. */
  crop: { left: number; top: number; size: number };
}

/** torchvision Resize(int): the shorter side becomes S, the longer `int(S * long / short)`. */
export function clipResizeSize(width: number, height: number, imageSize: number): { width: number; height: number } {
  if (width <= height) return { width: imageSize, height: Math.trunc((imageSize * height) / width) };
  return { width: Math.trunc((imageSize * width) / height), height: imageSize };
}

/** PIL `Image.resize((width, height), BICUBIC)` for the image's mode; the channel count is kept. */
export function resizeLikePIL(image: RawImage, width: number, height: number): RawImage {
  const { width: w, height: h, channels, data } = image;
  if (w === width && h === height) return { ...image, data: Uint8Array.from(data) }; // PIL copies
  if (image.indexed) return { ...image, width, height, data: resizeNearest(data, w, h, channels, width, height) };
  if (channels === 4) {
    const out = resizeBicubic(premultiplyAlpha(data), w, h, 4, width, height);
    return { ...image, width, height, data: unpremultiplyAlpha(out) };
  }
  return { ...image, width, height, data: resizeBicubic(data, w, h, channels, width, height) };
}

function isOpaque(rgba: U8Pixels): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

function dropAlpha(rgba: U8Pixels): Uint8Array {
  const n = rgba.length / 4;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = rgba[i * 4];
    out[i * 3 + 1] = rgba[i * 4 + 1];
    out[i * 3 + 2] = rgba[i * 4 + 2];
  }
  return out;
}

function validate(image: RawImage, imageSize: number): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(imageSize) || imageSize < 1 || imageSize > MAX_IMAGE_SIDE) {
    throw new ClipError('input', `imageSize must be an integer in 1..${MAX_IMAGE_SIDE}, got ${imageSize}`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ClipError('input', `image size must be positive integers, got ${width}x${height}`);
  }
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new ClipError('input', `image is ${width}x${height}; the largest supported side is ${MAX_IMAGE_SIDE} px`);
  }
  if (channels !== 3 && channels !== 4) {
    throw new ClipError('input', `image must have 3 (RGB) or 4 (RGBA) channels, got ${channels}`);
  }
  if (data.length !== width * height * channels) {
    throw new ClipError(
      'input',
      `image data has ${data.length} bytes; ${width}x${height}x${channels} needs ${width * height * channels}`,
    );
  }
}

export function preprocessImage(image: RawImage, imageSize: number): PreprocessedImage {
  validate(image, imageSize);
  const { width, height } = image;
  // With alpha 255 everywhere PIL's premultiplied resize equals the RGB one: skip the extra work.
  const src: RawImage =
    image.channels === 4 && isOpaque(image.data) ? { ...image, channels: 3, data: dropAlpha(image.data) } : image;
  const size = clipResizeSize(width, height, imageSize);
  const resized = resizeLikePIL(src, size.width, size.height);
  const { left, top } = centerCropOffsets(size.width, size.height, imageSize);
  const cropped = cropPixels(resized.data, size.width, size.height, resized.channels, left, top, imageSize, imageSize);
  const pixels = normalizeToCHW(cropped, imageSize, imageSize, resized.channels);

  // PIL maps output pixel edges linearly onto input pixel edges (centre of out px i = (i + 0.5) * in/out).
  const transform = mat3.multiply(
    mat3.scaling([width / size.width, height / size.height]),
    mat3.translation([left, top]),
  );
  return {
    pixels,
    transform,
    original: { width, height },
    resized: { ...size },
    crop: { left, top, size: imageSize },
  };
}

/** Maps a point in model-input pixels (0..S, pixel edges at integers) to original image pixels. */
export function modelToImage(transform: Mat3, x: number, y: number): [number, number] {
  const p = vec2.transformMat3([x, y], transform);
  return [p[0], p[1]];
}
