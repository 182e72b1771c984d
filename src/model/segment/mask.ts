/**
 * From the label maps on the grid to a label per image pixel: each label's map is upsampled
 * bilinearly to the image (PyTorch's `interpolate(mode='bilinear', align_corners=False)`, as the
 * papers' code does), then per pixel the best label wins, unless the background wins: a background
 * label whose map is highest, or (threshold) a best probability below the threshold, the
 * probabilities being softmax(logitScale · cosine) over the labels (SCLIP/NACLIP's `prob_thd`), or
 * (share, for relevance maps) a best map below that share of the image's best.
 */
import { upsampleBilinear } from '../detect/boxes.ts';

/** Value of background pixels in a mask. */
export const BACKGROUND = -1;

export interface MaskOptions {
  /** Index of the background label's map in `logits` (its pixels become BACKGROUND). */
  backgroundIndex?: number;
  /** Background where the best label's probability is below this. */
  threshold?: number;
  /** Multiplies the cosines before the softmax of `threshold` (SCLIP and NACLIP use 40). */
  logitScale: number;
  /** Background where the best map is below this share of the image's best ('relevance'). */
  share?: number;
}

/**
 * logits [labels][gh][gw] -> mask [height][width] (row-major Int16Array): the index of the winning
 * label, or BACKGROUND. One map is upsampled at a time (twice with a threshold): memory stays at a
 * few arrays of the image's size whatever the number of labels.
 */
export function labelMask(
  logits: Float32Array,
  labels: number,
  grid: [number, number],
  size: { width: number; height: number },
  o: MaskOptions,
): Int16Array {
  const [gh, gw] = grid;
  const { width, height } = size;
  const n = width * height;
  const map = (l: number) => upsampleBilinear(logits.subarray(l * gh * gw, (l + 1) * gh * gw), gh, gw, height, width);
  const best = new Float32Array(n).fill(-Infinity);
  const mask = new Int16Array(n);
  for (let l = 0; l < labels; l++) {
    const m = map(l);
    for (let i = 0; i < n; i++) {
      if (m[i] > best[i]) {
        best[i] = m[i];
        mask[i] = l;
      }
    }
  }
  if (o.threshold !== undefined) {
    const sum = new Float64Array(n); // Σ_l exp(s (c_l − c_best)): the best probability is 1 / sum
    for (let l = 0; l < labels; l++) {
      const m = map(l);
      for (let i = 0; i < n; i++) sum[i] += Math.exp(o.logitScale * (m[i] - best[i]));
    }
    for (let i = 0; i < n; i++) if (1 / sum[i] < o.threshold) mask[i] = BACKGROUND;
  }
  if (o.share !== undefined) {
    let top = -Infinity;
    for (let i = 0; i < n; i++) top = Math.max(top, best[i]);
    const none = top <= 0 && o.share > 0; // no label has any relevance here
    for (let i = 0; i < n; i++) if (none || best[i] < o.share * top) mask[i] = BACKGROUND;
  }
  if (o.backgroundIndex !== undefined) {
    for (let i = 0; i < n; i++) if (mask[i] === o.backgroundIndex) mask[i] = BACKGROUND;
  }
  return mask;
}
