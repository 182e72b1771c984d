/** Scene backgrounds: plain, gradient and value-noise texture (training), stripes and checker (unseen). */
import type { Rng } from './random.ts';
import { BACKGROUND_TONES, UNSEEN_TONES, type BackgroundKind, type Rgb, type ToneGroup } from './vocabulary.ts';

export interface Background {
  kind: BackgroundKind;
  /** The tones it is made of. */
  colours: Rgb[];
  /** Mean luma (0.299 R + 0.587 G + 0.114 B) of the background alone, 0-255, rounded. */
  luminance: number;
  /** The tone group (dark, light) when the world draws from TONE_GROUPS (--spurious, toneGroup). */
  tone?: ToneGroup;
}

function twoTones(rng: Rng, tones: readonly Rgb[]): [Rgb, Rgb] {
  const a = rng.int(0, tones.length - 1);
  const b = (a + rng.int(1, Math.max(1, tones.length - 1))) % tones.length; // a different tone when there is one
  return [tones[a], tones[b]];
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/**
 * Fills `pixels` (RGBA, size x size, alpha 255) with a background of `kind`, in `tones` for the
 * training kinds (the unseen kinds always use UNSEEN_TONES).
 */
export function paintBackground(
  pixels: Uint8ClampedArray,
  size: number,
  kind: BackgroundKind,
  rng: Rng,
  tones: readonly Rgb[] = BACKGROUND_TONES,
): Background {
  const set = (x: number, y: number, c: readonly number[]): void => {
    const o = 4 * (y * size + x);
    pixels[o] = clampByte(c[0]);
    pixels[o + 1] = clampByte(c[1]);
    pixels[o + 2] = clampByte(c[2]);
    pixels[o + 3] = 255;
  };
  let colours: Rgb[];
  switch (kind) {
    case 'plain': {
      const tone = rng.pick(tones);
      colours = [tone];
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) set(x, y, tone);
      break;
    }
    case 'gradient': {
      const [a, b] = twoTones(rng, tones);
      colours = [a, b];
      const [dx, dy] = rng.pick([
        [1, 0],
        [0, 1],
        [1, 1],
        [1, -1],
      ] as const);
      const lo = Math.min(0, dx * (size - 1)) + Math.min(0, dy * (size - 1));
      const span = (Math.abs(dx) + Math.abs(dy)) * (size - 1);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const t = (dx * x + dy * y - lo) / span;
          set(x, y, [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]);
        }
      }
      break;
    }
    case 'noise': {
      // Value noise: random offsets on a coarse grid, bilinearly interpolated, plus a fine grain.
      const tone = rng.pick(tones);
      colours = [tone];
      const cells = rng.int(3, 6),
        amplitude = 28,
        grain = 8;
      const grid = Array.from({ length: (cells + 1) * (cells + 1) }, () => rng.range(-amplitude, amplitude));
      const step = size / cells;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const gx = x / step,
            gy = y / step;
          const i = Math.min(cells - 1, Math.floor(gx)),
            j = Math.min(cells - 1, Math.floor(gy));
          const fx = gx - i,
            fy = gy - j;
          const at = (ii: number, jj: number) => grid[jj * (cells + 1) + ii];
          const smooth =
            (at(i, j) * (1 - fx) + at(i + 1, j) * fx) * (1 - fy) +
            (at(i, j + 1) * (1 - fx) + at(i + 1, j + 1) * fx) * fy;
          const n = smooth + rng.int(-grain, grain);
          set(x, y, [tone[0] + n, tone[1] + n, tone[2] + n]);
        }
      }
      break;
    }
    case 'stripes':
    case 'checker': {
      const [a, b] = twoTones(rng, UNSEEN_TONES);
      colours = [a, b];
      const period = Math.max(2, Math.round(size * rng.range(0.06, 0.14)));
      const vertical = rng.chance(0.5);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const cx = Math.floor(x / period),
            cy = Math.floor(y / period);
          const on = kind === 'checker' ? ((cx + cy) & 1) === 0 : ((vertical ? cx : cy) & 1) === 0;
          set(x, y, on ? a : b);
        }
      }
      break;
    }
  }
  let luma = 0;
  for (let o = 0; o < pixels.length; o += 4) luma += 0.299 * pixels[o] + 0.587 * pixels[o + 1] + 0.114 * pixels[o + 2];
  return { kind, colours, luminance: Math.round(luma / (size * size)) };
}
