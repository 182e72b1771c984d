/**
 * Images through the Node decoder and CLIP's preprocessing: every PNG kind (grey, 16-bit, palette,
 * 1-bit, alpha, tRNS), baseline, progressive and CMYK JPEGs and a 1×1 image, then cut, bit-flipped
 * (PNG chunks re-checksummed, so the damage reaches the inflater), or given absurd dimensions,
 * which must meet the side and pixel-count limits instead of an allocation that runs out of memory.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { decodeImageBytes } from '../../../src/node/decode-image.ts';
import { preprocessImage } from '../../../src/model/preprocess/preprocess.ts';
import type { CaseGenerator, Rng } from '../harness.ts';
import { bitFlips, truncate } from '../mutate.ts';

const PREPROCESS = resolve(__dirname, '../../fixtures/preprocess');
const OWN = resolve(__dirname, '../fixtures');
const read = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/.test(f))
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(resolve(dir, f))) }));

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG whose header claims width×height, with `rows` rows of real data (so it inflates quickly). */
export function pngClaiming(width: number, height: number, colorType = 2, depth = 8, rows = 1): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([depth, colorType, 0, 0, 0], 8);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType] ?? 3;
  const rowBytes = 1 + Math.ceil((Math.min(width, 4096) * channels * depth) / 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (colorType === 3) parts.push(chunk('PLTE', new Uint8Array(768)));
  parts.push(chunk('IDAT', deflateSync(new Uint8Array(rowBytes * rows))), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** A JPEG whose frame header claims width×height (the rest is the photo fixture's). */
function jpegClaiming(base: Uint8Array, width: number, height: number): Uint8Array {
  const out = base.slice();
  for (let i = 2; i + 9 < out.length; ) {
    const marker = out[i + 1];
    if (marker >= 0xc0 && marker <= 0xc2) {
      out[i + 5] = height >> 8;
      out[i + 6] = height & 255;
      out[i + 7] = width >> 8;
      out[i + 8] = width & 255;
      break;
    }
    i += 2 + ((out[i + 2] << 8) | out[i + 3]);
  }
  return out;
}

/** Flips bits inside PNG chunk data and fixes the checksums, so only the decoder can notice. */
function flipPngData(png: Uint8Array, rng: Rng): Uint8Array {
  const out = png.slice();
  const dv = new DataView(out.buffer);
  const chunks: [number, number][] = [];
  for (let i = 8; i + 12 <= out.length; ) {
    const len = dv.getUint32(i);
    if (i + 12 + len > out.length) break;
    chunks.push([i, len]);
    i += 12 + len;
  }
  const withData = chunks.filter(([, len]) => len > 0);
  if (withData.length === 0) return out;
  const [at, len] = rng.pick(withData);
  for (let k = 0; k <= rng.int(4); k++) out[at + 8 + rng.int(len)] ^= 1 << rng.int(8);
  dv.setUint32(at + 8 + len, crc32(out.subarray(at + 4, at + 8 + len)));
  return out;
}

let seeds: { name: string; bytes: Uint8Array }[] | undefined;
function seedImages() {
  if (!seeds) {
    seeds = [
      ...read(PREPROCESS),
      ...read(OWN),
      { name: '1x1.png', bytes: pngClaiming(1, 1, 6) },
      { name: '1x1-grey.png', bytes: pngClaiming(1, 1, 0) },
    ];
  }
  return seeds;
}

export const imageCases: CaseGenerator = (rng) => {
  const seed = rng.pick(seedImages());
  const isPng = seed.name.endsWith('.png');
  let bytes: Uint8Array;
  let label: string;
  switch (rng.int(6)) {
    case 0:
      bytes = seed.bytes;
      label = 'intact';
      break;
    case 1:
      bytes = truncate(seed.bytes, rng);
      label = 'truncated';
      break;
    case 2:
      bytes = bitFlips(seed.bytes, rng, 1 + rng.int(6));
      label = 'bit flips';
      break;
    case 3:
      bytes = isPng
        ? flipPngData(seed.bytes, rng)
        : bitFlips(seed.bytes, rng, 1 + rng.int(3), Math.floor(seed.bytes.length / 3));
      label = 'damaged data behind valid checksums';
      break;
    default: {
      const [w, h] = rng.pick([
        [16000, 16000],
        [16384, 16384],
        [12000, 9000],
        [100_000, 1],
        [1, 100_000],
        [2 ** 31 - 1, 2 ** 31 - 1],
        [0, 10],
        [65535, 65535],
        [9500, 9500],
      ]);
      const jpeg = seedImages().find((s) => s.name === 'photo_240x160.jpg')!.bytes;
      const kind = rng.int(3);
      bytes =
        kind === 0
          ? jpegClaiming(jpeg, Math.min(w, 65535), Math.min(h, 65535))
          : pngClaiming(w, h, rng.pick([0, 2, 3, 4, 6]), rng.pick([8, 16]));
      label = `${kind === 0 ? 'JPEG' : 'PNG'} claiming ${w}x${h}`;
      return { label, run: () => preprocessImage(decodeImageBytes(bytes, label), 64).pixels.length };
    }
  }
  label = `${seed.name} ${label}`;
  return { label, run: () => preprocessImage(decodeImageBytes(bytes, seed.name), 64).pixels.length };
};
