/** CLIP's ToTensor + Normalize, as the goldens define it (shared/README.md, "Pixels"). */
import type { U8Pixels } from './resize.ts';

export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

let lut: Float32Array[] | undefined;

/**
 * `(u8 / 255 - mean[c]) / std[c]` in float64, rounded once to float32. Only 3 x 256 distinct
 * values exist, so they are tabulated. (torchvision itself computes in float32, which can differ
 * by 1 ulp; the goldens use float64.)
 */
export function normalizationTable(): readonly Float32Array[] {
  lut ??= [0, 1, 2].map((c) => {
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = (v / 255 - CLIP_MEAN[c]) / CLIP_STD[c];
    return t;
  });
  return lut;
}

/** Interleaved RGB(A) u8 [H, W, channels] -> normalized float32 [3, H, W] (alpha ignored). */
export function normalizeToCHW(src: U8Pixels, width: number, height: number, channels: number): Float32Array {
  const table = normalizationTable();
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const t = table[c];
    const o = c * plane;
    for (let i = 0; i < plane; i++) out[o + i] = t[src[i * channels + c]];
  }
  return out;
}
