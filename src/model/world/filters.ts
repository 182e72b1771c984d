/** Whole-image corruptions for the noise and blur shifts (ImageNet-C style), on RGBA in place. */
import type { Rng } from './random.ts';

/** Adds triangular noise (the sum of two uniform integers in ±amplitude/2) to every channel. */
export function addNoise(pixels: Uint8ClampedArray, amplitude: number, rng: Rng): void {
  const half = Math.floor(amplitude / 2);
  for (let o = 0; o < pixels.length; o += 4) {
    for (let c = 0; c < 3; c++) pixels[o + c] = pixels[o + c] + rng.int(-half, half) + rng.int(-half, half); // clamped by the array
  }
}

/** Two passes of a separable box blur of the given radius (about a Gaussian of sigma 0.8·radius). */
export function boxBlur(pixels: Uint8ClampedArray, size: number, radius: number): void {
  const tmp = new Float64Array(size * size * 3);
  const width = 2 * radius + 1;
  const clamp = (i: number) => (i < 0 ? 0 : i >= size ? size - 1 : i);
  for (let pass = 0; pass < 2; pass++) {
    for (let y = 0; y < size; y++) {
      // horizontal into tmp
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let k = -radius; k <= radius; k++) sum += pixels[4 * (y * size + clamp(x + k)) + c];
          tmp[3 * (y * size + x) + c] = sum;
        }
      }
    }
    for (let y = 0; y < size; y++) {
      // vertical back into pixels
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let k = -radius; k <= radius; k++) sum += tmp[3 * (clamp(y + k) * size + x) + c];
          pixels[4 * (y * size + x) + c] = Math.round(sum / (width * width));
        }
      }
    }
  }
}
