import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ClipError } from '../src/errors.ts';
import { decodeImage, decodeImageBytes, decodeImageFile } from '../src/node/decode-image.ts';
import type { DecodedImage } from '../src/node/decode-image.ts';
import {
  centerCropOffsets,
  clipResizeSize,
  cropPixels,
  modelToImage,
  normalizationTable,
  preprocessImage,
  resizeLikePIL,
  roundHalfEven,
} from '../src/model/preprocess/index.ts';
import { measured } from './helpers/measurements.ts';
import { tempDir } from './helpers/temp.ts';

const FIXTURES = path.resolve(__dirname, 'fixtures/preprocess');
const TINY_CLIP = path.resolve(__dirname, '../../shared/fixtures/tiny-clip');

interface GoldenCase {
  file: string;
  image_size: number;
  pil_mode: string;
  size: [number, number];
  resized_size: [number, number];
  crop: [number, number];
  resized: string | null;
  resized_channels: 3 | 4;
  max_u8_diff_if_converted_to_rgb_first: number;
}
interface Goldens {
  normalize_lut_f32: string;
  decode: Record<string, { pil_mode: string; size: [number, number]; rgba: string; indexed: boolean }>;
  cases: GoldenCase[];
  jpeg: { file: string; pil_decoded: string; image_size: number; cropped_rgb: string };
}
const goldens = JSON.parse(readFileSync(path.join(FIXTURES, 'goldens.json'), 'utf8')) as Goldens;

/** base64(zlib(raw)) -> bytes */
function unpack(s: string): Uint8Array {
  return new Uint8Array(inflateSync(Buffer.from(s, 'base64')));
}

const fixture = (name: string) => path.join(FIXTURES, name);
const decodedCache = new Map<string, DecodedImage>();
async function decoded(name: string): Promise<DecodedImage> {
  if (!decodedCache.has(name)) decodedCache.set(name, await decodeImageFile(fixture(name)));
  return decodedCache.get(name)!;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Keeps the first `keep` of every `channels` values. */
function channelsOf(data: ArrayLike<number>, channels: number, keep: number): Uint8Array {
  const n = data.length / channels;
  const out = new Uint8Array(n * keep);
  for (let i = 0; i < n; i++) for (let c = 0; c < keep; c++) out[i * keep + c] = data[i * channels + c];
  return out;
}

/** Expected model input: numpy's float32 normalization table applied to interleaved RGB -> CHW. */
function expectedPixels(rgb: Uint8Array, size: number): Float32Array {
  const lut = new Float32Array(unpack(goldens.normalize_lut_f32).buffer);
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++)
    for (let i = 0; i < size * size; i++) out[c * size * size + i] = lut[c * 256 + rgb[i * 3 + c]];
  return out;
}

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

async function expectClipError(run: () => unknown, code: string, fragment: string): Promise<void> {
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ClipError(${code}) containing "${fragment}"`).toBeInstanceOf(ClipError);
  expect((caught as ClipError).code).toBe(code);
  expect((caught as ClipError).message).toContain(fragment);
}

describe('normalization', () => {
  it('equals numpy float64 -> float32 for every u8 value, bitwise', () => {
    const lut = new Float32Array(unpack(goldens.normalize_lut_f32).buffer);
    const ours = normalizationTable();
    for (let c = 0; c < 3; c++) expect(bitsEqual(ours[c], lut.subarray(c * 256, c * 256 + 256))).toBe(true);
  });

  it('reproduces shared/fixtures/tiny-clip/pixel_values.json for img0..3 at 64 px', async () => {
    const golden = JSON.parse(readFileSync(path.join(TINY_CLIP, 'pixel_values.json'), 'utf8')) as {
      images: string[];
      pixel_values: number[][][][];
    };
    for (let n = 0; n < golden.images.length; n++) {
      const image = await decodeImageFile(path.join(TINY_CLIP, golden.images[n]));
      const { pixels, resized, crop } = preprocessImage(image, 64);
      expect(resized).toEqual({ width: 64, height: 64 });
      expect(crop).toEqual({ left: 0, top: 0, size: 64 });
      const expected = golden.pixel_values[n].flat(2);
      expect(pixels.length).toBe(expected.length);
      // The JSON holds 7 significant digits ('%.7g' of the float32): ours must print identically.
      let mismatches = 0;
      for (let i = 0; i < expected.length; i++) if (Number(pixels[i].toPrecision(7)) !== expected[i]) mismatches++;
      expect(mismatches).toBe(0);
    }
  });
});

describe('decoding (PIL pixel values)', () => {
  for (const [name, g] of Object.entries(goldens.decode)) {
    it(`${name} (PIL mode ${g.pil_mode})`, async () => {
      const img = await decoded(name);
      expect([img.width, img.height]).toEqual(g.size);
      expect(img.channels).toBe(4);
      expect(img.indexed ?? false).toBe(g.indexed);
      expect(maxAbsDiff(img.data, unpack(g.rgba))).toBe(0);
    });
  }

  it('sniffs the format from the bytes, not the extension', async () => {
    const dir = tempDir('clip-pre-');
    writeFileSync(path.join(dir, 'really-a-png.jpg'), readFileSync(fixture('grey_33x47.png')));
    const img = await decodeImage(path.join(dir, 'really-a-png.jpg'));
    expect(img.format).toBe('png');
    expect(decodeImageBytes(readFileSync(fixture('photo_240x160.jpg'))).format).toBe('jpeg');
  });

  it('JPEG: jpeg-js vs PIL (libjpeg) decode', async () => {
    const ours = await decoded(goldens.jpeg.file);
    const pil = await decoded(goldens.jpeg.pil_decoded);
    const diff = maxAbsDiff(channelsOf(ours.data, 4, 3), channelsOf(pil.data, 4, 3));
    let sum = 0;
    for (let i = 0; i < ours.data.length; i++) if (i % 4 !== 3) sum += Math.abs(ours.data[i] - pil.data[i]);
    const mean = sum / ((ours.data.length / 4) * 3);
    measured(`jpeg-js vs PIL decode of ${goldens.jpeg.file}: max |diff| ${diff}, mean ${mean.toFixed(3)} (u8)`);
    // Different IDCT and chroma upsampling (jpeg-js: nearest; libjpeg: "fancy" triangle filter).
    expect(diff).toBeLessThanOrEqual(128);
    expect(mean).toBeLessThan(3);

    const { pixels } = preprocessImage(ours, goldens.jpeg.image_size);
    const ref = expectedPixels(unpack(goldens.jpeg.cropped_rgb), goldens.jpeg.image_size);
    const d = maxAbsDiff(pixels, ref);
    measured(
      `JPEG through the whole pipeline: max |diff| ${d.toFixed(4)} normalized (= ${(d * 0.2613 * 255).toFixed(1)} u8)`,
    );
    expect(d).toBeLessThan(1);
  });
});

describe('resize (PIL BICUBIC, exact)', () => {
  for (const g of goldens.cases) {
    it(`${g.file} (${g.pil_mode}) ${g.size.join('x')} -> ${g.resized_size.join('x')} at ${g.image_size}`, async () => {
      const img = await decoded(g.file);
      const size = clipResizeSize(img.width, img.height, g.image_size);
      expect([size.width, size.height]).toEqual(g.resized_size);
      // Resize the 4-channel decode directly: for opaque images this is the premultiplied path too.
      const resized = resizeLikePIL(img, size.width, size.height);
      const expected = g.resized === null ? channelsOf(img.data, 4, g.resized_channels) : unpack(g.resized);
      const keep = g.resized_channels;
      expect(maxAbsDiff(channelsOf(resized.data, resized.channels, keep), expected)).toBe(0);
    });
  }
});

describe('full pipeline', () => {
  for (const g of goldens.cases) {
    it(`${g.file} at ${g.image_size}: crop offsets, pixels bitwise, transform`, async () => {
      const img = await decoded(g.file);
      const out = preprocessImage(img, g.image_size);
      const S = g.image_size;
      expect(out.crop).toEqual({ left: g.crop[0], top: g.crop[1], size: S });
      expect(out.original).toEqual({ width: g.size[0], height: g.size[1] });

      const [rw, rh] = g.resized_size;
      const resized = g.resized === null ? channelsOf(img.data, 4, g.resized_channels) : unpack(g.resized);
      const rgb = channelsOf(
        cropPixels(resized, rw, rh, g.resized_channels, g.crop[0], g.crop[1], S, S),
        g.resized_channels,
        3,
      );
      expect(bitsEqual(out.pixels, expectedPixels(rgb, S))).toBe(true);

      // Corners of the model input land on the crop window's corners in original pixels.
      const sx = g.size[0] / rw,
        sy = g.size[1] / rh;
      for (const [x, y] of [
        [0, 0],
        [S, 0],
        [0, S],
        [S, S],
        [S / 2, S / 2],
      ]) {
        const [ox, oy] = modelToImage(out.transform, x, y);
        expect(ox).toBeCloseTo((g.crop[0] + x) * sx, 3);
        expect(oy).toBeCloseTo((g.crop[1] + y) * sy, 3);
      }
    });
  }

  it('passes an image that is already S x S through untouched, RGBA alpha dropped not composited', () => {
    const data = new Uint8Array(4 * 4 * 4).map((_, i) => (i * 37) % 256);
    const out = preprocessImage({ width: 4, height: 4, data, channels: 4 }, 4);
    const rgb = channelsOf(data, 4, 3);
    expect(bitsEqual(out.pixels, expectedPixels(rgb, 4))).toBe(true);
    expect(modelToImage(out.transform, 4, 4)).toEqual([4, 4]);
  });

  it('maps model pixels back for a landscape downscale (97x61 at 64 -> 101x64, crop left 18)', async () => {
    const out = preprocessImage(await decoded('grad_97x61.png'), 64);
    expect(out.resized).toEqual({ width: 101, height: 64 });
    const [x0, y0] = modelToImage(out.transform, 0, 0);
    const [x1, y1] = modelToImage(out.transform, 64, 64);
    expect(x0).toBeCloseTo((18 * 97) / 101, 4);
    expect(y0).toBeCloseTo(0, 6);
    expect(x1).toBeCloseTo((82 * 97) / 101, 4);
    expect(y1).toBeCloseTo(61, 4);
  });
});

describe('crop helpers', () => {
  it('rounds half to even like Python (torchvision CenterCrop)', () => {
    expect([0.5, 1.5, 2.5, 18.5, 19.5, 3.2, 3.7].map(roundHalfEven)).toEqual([0, 2, 2, 18, 20, 3, 4]);
    expect(centerCropOffsets(64, 101, 64)).toEqual({ left: 0, top: 18 });
    expect(centerCropOffsets(101, 64, 64)).toEqual({ left: 18, top: 0 });
  });

  it('uses torchvision size rule int(S * long / short)', () => {
    expect(clipResizeSize(97, 61, 64)).toEqual({ width: 101, height: 64 });
    expect(clipResizeSize(40, 120, 64)).toEqual({ width: 64, height: 192 });
    expect(clipResizeSize(640, 480, 224)).toEqual({ width: 298, height: 224 });
    expect(clipResizeSize(100, 100, 224)).toEqual({ width: 224, height: 224 });
  });
});

describe('bad input', () => {
  const dir = tempDir('clip-bad-');
  const file = (name: string, bytes: Uint8Array | string) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const png = readFileSync(fixture('grad_97x61.png'));
  const jpg = readFileSync(fixture('photo_240x160.jpg'));

  it('text file', async () => {
    const p = file('cat.txt', 'hello world, I am not a picture');
    await expectClipError(
      () => decodeImageFile(p),
      'image',
      `${p} is not a PNG or JPEG image (starts with 'hello world, I a...')`,
    );
  });
  it('binary junk', async () => {
    await expectClipError(
      () => decodeImageBytes(new Uint8Array([0, 1, 2, 250]), 'junk.bin'),
      'image',
      'junk.bin is not a PNG or JPEG image (starts with bytes 00 01 02 fa)',
    );
  });
  it('zero bytes', async () => {
    const p = file('empty.png', new Uint8Array(0));
    await expectClipError(() => decodeImageFile(p), 'image', `${p} is empty (0 bytes)`);
  });
  it('truncated PNG (inside the pixel data, and inside the header)', async () => {
    const p = file('cut.png', png.subarray(0, 2000));
    await expectClipError(() => decodeImageFile(p), 'image', `${p} is a truncated PNG`);
    const q = file('cut-header.png', png.subarray(0, 20));
    await expectClipError(() => decodeImageFile(q), 'image', `${q} is a truncated or corrupt PNG (20 bytes`);
  });
  it('corrupt PNG (bad checksum, missing IEND)', async () => {
    const bad = Uint8Array.from(png);
    bad[60] ^= 0xff; // inside the IDAT data
    await expectClipError(
      () => decodeImageBytes(bad, 'bad.png'),
      'image',
      'bad.png is a corrupt PNG (checksum mismatch in the IDAT chunk)',
    );
    await expectClipError(
      () => decodeImageBytes(png.subarray(0, png.length - 12), 'noend.png'),
      'image',
      'noend.png is a truncated PNG (the data ends before the IEND chunk)',
    );
  });
  it('truncated and corrupt JPEG', async () => {
    const p = file('cut.jpg', jpg.subarray(0, 2000));
    await expectClipError(() => decodeImageFile(p), 'image', `${p} is a truncated JPEG`);
    await expectClipError(
      () => decodeImageBytes(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), 'x.jpg'),
      'image',
      'x.jpg is a truncated or corrupt JPEG (no frame header)',
    );
  });
  it('unsupported formats are named', async () => {
    const gif = file('anim.gif', 'GIF89a\x01\x00\x01\x00');
    await expectClipError(
      () => decodeImageFile(gif),
      'image',
      `${gif} is a GIF image; only PNG and JPEG are supported`,
    );
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    await expectClipError(() => decodeImageBytes(webp, 'photo.webp'), 'image', 'photo.webp is a WebP image');
  });
  it('absurd dimensions', async () => {
    await expectClipError(
      () => decodeImageFile(fixture('huge_20000x10.png')),
      'image',
      'huge_20000x10.png is 20000x10 pixels; the largest supported side is 16384 px',
    );
    await expectClipError(
      () => decodeImageFile(fixture('huge_10x20000.jpg')),
      'image',
      'huge_10x20000.jpg is 10x20000 pixels; the largest supported side is 16384 px',
    );
  });
  it('missing path and directory', async () => {
    await expectClipError(
      () => decodeImageFile(path.join(dir, 'nope.png')),
      'not-found',
      `image file not found: ${path.join(dir, 'nope.png')}`,
    );
    const sub = path.join(dir, 'folder.png');
    mkdirSync(sub);
    await expectClipError(() => decodeImageFile(sub), 'image', `${sub} is a directory`);
  });
  it('preprocessImage validates its input', async () => {
    const data = new Uint8Array(12);
    await expectClipError(
      () => preprocessImage({ width: 2, height: 2, data, channels: 4 }, 8),
      'input',
      'image data has 12 bytes; 2x2x4 needs 16',
    );
    await expectClipError(() => preprocessImage({ width: 2, height: 2, data, channels: 2 as 3 }, 8), 'input', 'got 2');
    await expectClipError(
      () => preprocessImage({ width: 2, height: 2, data, channels: 3 }, 0),
      'input',
      'imageSize must be an integer',
    );
    await expectClipError(
      () => preprocessImage({ width: 0, height: 2, data, channels: 3 }, 8),
      'input',
      'positive integers',
    );
  });
});
