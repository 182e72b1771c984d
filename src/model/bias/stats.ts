/**
 * The numbers of a bias probe: top-1 counts become rates with Wilson score intervals, and each label
 * gets two disparity measures across groups. Pure functions, no GPU; every zero case is explicit.
 *
 * Rate and interval (per group g and label L): k = images of g whose top-1 prediction is L, n = images
 * of g, rate = k / n, and the Wilson score interval (Wilson 1927; "method 3" of Newcombe 1998,
 * Statistics in Medicine 17:857-872), without continuity correction, z = Φ⁻¹(0.975):
 *
 *   centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · sqrt(p(1 − p)/n + z²/4n²)
 *
 * It stays inside [0, 1] and is sensible at k = 0 and k = n (where the Wald interval collapses to a
 * point): k = 0 gives [0, z²/(n + z²)], k = n gives [n/(n + z²), 1], so n = 1 gives [0, 0.7935] or
 * [0.2065, 1]. The ends at 0 and 1 are set exactly, not left to rounding.
 *
 * max/min ratio (per label): the highest group rate over the lowest. All rates 0 → 1 (every group is
 * equal: none is predicted L); lowest 0 and highest > 0 → Infinity (unbounded; `null` in JSON).
 *
 * MaxSkew (per label), after Geyik, Ambler & Kenthapadi, "Fairness-Aware Ranking in Search &
 * Recommendation Systems with Application to LinkedIn Talent Search", KDD 2019, §3.1:
 * Skew_g = ln(p_selected,g / p_desired,g), MaxSkew = max_g Skew_g, MinSkew = min_g Skew_g. Berg et al.
 * ("A Prompt Array Keeps the Bias Away", AACL 2022) use it on CLIP retrieval. Here the selected set is
 * the images predicted L and the desired proportions are the groups' shares of the probe, so
 *
 *   Skew_g(L) = ln( (k_g / K) / (n_g / N) ) = ln( rate_g / rate_overall ),   K = Σ k_g, N = Σ n_g,
 *
 * the group's rate against the pooled rate. 0 means "as often as everyone", ln 2 = 0.693 "twice as
 * often". Zeros: a group with k_g = 0 has Skew −Infinity (it is never selected) and so never sets
 * MaxSkew while K > 0; MaxSkew is then ≥ 0 (the pooled rate is a weighted mean of the group rates).
 * With K = 0 (nobody predicted L) there is no selected set and every Skew, MaxSkew and MinSkew is 0.
 */
import { ClipError } from '../../errors.ts';

/** Φ⁻¹(0.975): the z of a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

function checkCount(k: number, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ClipError('input', `A rate needs at least one image (n = ${n}).`);
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new ClipError('input', `A count must be an integer in [0, ${n}], got ${k}.`);
}

/** k / n (n ≥ 1). */
export function rate(k: number, n: number): number {
  checkCount(k, n);
  return k / n;
}

/** Wilson score interval for k successes in n trials (n ≥ 1), as [lo, hi]. */
export function wilsonInterval(k: number, n: number, z: number = Z_95): [number, number] {
  checkCount(k, n);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const lo = k === 0 ? 0 : Math.max(0, centre - half);
  const hi = k === n ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}

/** Highest rate / lowest rate: 1 when all are 0, Infinity when only the lowest is 0. */
export function maxMinRatio(rates: readonly number[]): number {
  if (rates.length === 0) throw new ClipError('input', 'max/min ratio of no rates.');
  const hi = Math.max(...rates);
  const lo = Math.min(...rates);
  if (hi === 0) return 1;
  if (lo === 0) return Infinity;
  return hi / lo;
}

/**
 * Skew of each group: ln(rate_g / pooled rate) from counts k_g of n_g. −Infinity where k_g = 0
 * (and K > 0); all 0 when K = 0.
 */
export function skews(counts: readonly number[], sizes: readonly number[]): number[] {
  if (counts.length !== sizes.length || counts.length === 0) {
    throw new ClipError(
      'input',
      `skews needs one count per group size (${counts.length} counts, ${sizes.length} sizes).`,
    );
  }
  counts.forEach((k, i) => checkCount(k, sizes[i]));
  const K = counts.reduce((a, b) => a + b, 0);
  const N = sizes.reduce((a, b) => a + b, 0);
  if (K === 0) return counts.map(() => 0);
  // (k/n) / (K/N) as one ratio of integer products: exact for equal rates (ln 1 = 0).
  return counts.map((k, i) => (k === 0 ? -Infinity : Math.log((k * N) / (sizes[i] * K))));
}

export function maxSkew(counts: readonly number[], sizes: readonly number[]): number {
  return Math.max(...skews(counts, sizes));
}

export function minSkew(counts: readonly number[], sizes: readonly number[]): number {
  return Math.min(...skews(counts, sizes));
}

/** The disparity of one label (or category) across groups. */
export interface Disparity {
  /** Highest group rate / lowest (1 when all 0, Infinity when only the lowest is 0). */
  maxMinRatio: number;
  /** Highest rate − lowest rate. */
  maxMinDifference: number;
  /** max over groups of ln(rate_g / pooled rate); 0 when no image has the label. */
  maxSkew: number;
  /** min over groups of the same (−Infinity when a group never has it). */
  minSkew: number;
  /** Per group, in the order given. */
  skews: number[];
  /** k / N over all groups pooled. */
  pooledRate: number;
  /** Index of the group with the highest and the lowest rate (the first one on ties). */
  highest: number;
  lowest: number;
}

export function disparity(counts: readonly number[], sizes: readonly number[]): Disparity {
  const s = skews(counts, sizes);
  const rates = counts.map((k, i) => rate(k, sizes[i]));
  const hi = Math.max(...rates);
  const lo = Math.min(...rates);
  return {
    maxMinRatio: maxMinRatio(rates),
    maxMinDifference: hi - lo,
    maxSkew: Math.max(...s),
    minSkew: Math.min(...s),
    skews: s,
    pooledRate: counts.reduce((a, b) => a + b, 0) / sizes.reduce((a, b) => a + b, 0),
    highest: rates.indexOf(hi),
    lowest: rates.indexOf(lo),
  };
}

/** Index of the largest value (the first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Indices sorted by value, highest first; ties keep their order. */
export function ranking(values: ArrayLike<number>): number[] {
  return Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
}
