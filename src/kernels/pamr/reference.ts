/**
 * PAMR, pixel-adaptive mask refinement (Araslanov & Roth, CVPR 2020; SCLIP and other training-free
 * segmenters refine their upsampled logits with it), in float64 on the CPU: the reference of the
 * WGSL kernels in this folder.
 *
 * For each pixel p, its neighbours q_n at offsets {-d, 0, d}² \ (0, 0) for every dilation d (edge
 * pixels replicated): 8 · |dilations| of them. Per image channel k, σ_k(p) is the standard deviation
 * (unbiased) of the 9 · |dilations| values at p's 3 x 3 offsets (the centre once per dilation), and
 *   a_n(p) = mean_k ( −|x_k(p) − x_k(q_n)| / (1e-8 + 0.1 σ_k(p)) ),   w_n(p) = softmax_n a_n(p).
 * Then `iterations` times, every mask channel c: m_c(p) ← Σ_n w_n(p) m_c(q_n(p)).
 * Each channel's σ makes the affinity independent of the image's per-channel scale and offset
 * (CLIP's normalization changes nothing).
 */

export interface PamrOptions {
  /** Refinement steps (default 10, as SCLIP). */
  iterations?: number;
  /** Neighbour distances in pixels (default [1, 2, 4, 8, 12, 24], as SCLIP). */
  dilations?: readonly number[];
}

export const PAMR_DEFAULTS = { iterations: 10, dilations: [1, 2, 4, 8, 12, 24] } as const;

/** The 8 offsets of a 3 x 3 neighbourhood without its centre, [dy, dx] in units of the dilation. */
export const PAMR_OFFSETS: readonly [number, number][] = [
  [-1, -1],
  [-1, 0],
  [-1, 1],
  [0, -1],
  [0, 1],
  [1, -1],
  [1, 0],
  [1, 1],
];

const clamp = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);

/** Neighbour n (dilation index n >> 3, offset n & 7) of pixel (y, x), edges replicated. */
function neighbour(y: number, x: number, n: number, dilations: readonly number[], H: number, W: number): number {
  const d = dilations[n >> 3];
  const [dy, dx] = PAMR_OFFSETS[n & 7];
  return clamp(y + dy * d, H) * W + clamp(x + dx * d, W);
}

/** The affinity weights w [8·|dilations|, H, W] of an image [K, H, W] (each pixel's sum to 1). */
export function pamrAffinityReference(
  image: ArrayLike<number>,
  K: number,
  H: number,
  W: number,
  dilations: readonly number[] = PAMR_DEFAULTS.dilations,
): Float64Array {
  const N = 8 * dilations.length;
  const HW = H * W;
  const w = new Float64Array(N * HW);
  const a = new Float64Array(N);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      a.fill(0);
      for (let k = 0; k < K; k++) {
        const c = image[k * HW + p];
        // σ over the centre (once per dilation) and the 8 neighbours of every dilation
        let sum = dilations.length * c,
          sq = dilations.length * c * c;
        for (let n = 0; n < N; n++) {
          const v = image[k * HW + neighbour(y, x, n, dilations, H, W)];
          sum += v;
          sq += v * v;
        }
        const count = 9 * dilations.length;
        const mean = sum / count;
        const sigma = Math.sqrt(Math.max(0, (sq - count * mean * mean) / (count - 1)));
        for (let n = 0; n < N; n++) {
          const v = image[k * HW + neighbour(y, x, n, dilations, H, W)];
          a[n] -= Math.abs(c - v) / (1e-8 + 0.1 * sigma) / K;
        }
      }
      let max = -Infinity;
      for (let n = 0; n < N; n++) max = Math.max(max, a[n]);
      let total = 0;
      for (let n = 0; n < N; n++) total += Math.exp(a[n] - max);
      for (let n = 0; n < N; n++) w[n * HW + p] = Math.exp(a[n] - max) / total;
    }
  }
  return w;
}

/** PAMR of a mask [C, H, W] by an image [K, H, W] of the same size: the refined mask [C, H, W]. */
export function pamrReference(
  image: ArrayLike<number>,
  K: number,
  mask: ArrayLike<number>,
  C: number,
  H: number,
  W: number,
  options: PamrOptions = {},
): Float64Array {
  const dilations = options.dilations ?? PAMR_DEFAULTS.dilations;
  const iterations = options.iterations ?? PAMR_DEFAULTS.iterations;
  const w = pamrAffinityReference(image, K, H, W, dilations);
  let m: Float64Array = Float64Array.from(mask);
  for (let it = 0; it < iterations; it++) m = pamrStepReference(w, m, C, H, W, dilations);
  return m;
}

/** One step m(p) ← Σ_n w_n(p) m(q_n) of a mask [C, H, W] by affinity weights w [8·|dilations|, H, W]. */
export function pamrStepReference(
  w: ArrayLike<number>,
  m: ArrayLike<number>,
  C: number,
  H: number,
  W: number,
  dilations: readonly number[] = PAMR_DEFAULTS.dilations,
): Float64Array {
  const N = 8 * dilations.length;
  const HW = H * W;
  const next = new Float64Array(C * HW);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      for (let n = 0; n < N; n++) {
        const q = neighbour(y, x, n, dilations, H, W);
        const wn = w[n * HW + p];
        for (let c = 0; c < C; c++) next[c * HW + p] += wn * m[c * HW + q];
      }
    }
  }
  return next;
}
