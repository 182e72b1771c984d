/**
 * Zero-shot vs linear probe on the same image embeddings, with k-shot curves (the CLIP paper's
 * Figure 6 on our world): for each k, k training images per class drawn with several seeds, a probe
 * fitted on each draw, its test accuracy averaged over the draws; "all" fits once on every training image.
 */
import { ClipError } from '../../errors.ts';
import type { GpuContext } from '../../kernels/runtime.ts';
import { createRng, sceneSeed } from '../world/index.ts';
import { fitLinearProbe, probeLogits } from './fit.ts';
import { PROBE_HYPER, type ProbeHyper } from './hyper.ts';

export const DEFAULT_SHOTS: readonly number[] = [1, 2, 4, 8, 16];
export const DEFAULT_PROBE_SEEDS = 3;

export interface LabelledRows {
  /** [n, dim] raw image embeddings. */
  features: ArrayLike<number>;
  /** [n] class indices. */
  labels: ArrayLike<number>;
}

export interface KShotPoint {
  /** Training images per class (each class gives min(k, what it has)), or 'all'. */
  shots: number | 'all';
  /** Mean test accuracy over the draws. */
  accuracy: number;
  min: number;
  max: number;
  /** One accuracy per seed (one for 'all'). */
  accuracies: number[];
  /** Training images per draw (mean over the draws). */
  trainImages: number;
}

export interface ProbeCurve {
  /** Zero-shot accuracy on the same test rows (the horizontal line). */
  zeroShot: number;
  /** The probe on every training image. */
  probe: number;
  kShot: KShotPoint[];
  seeds: number;
  trainImages: number;
  testImages: number;
  hyper: ProbeHyper;
}

/** Indices of at most `k` rows per class, drawn without replacement by `seed`, in ascending order. */
export function kShotIndices(labels: ArrayLike<number>, classes: number, k: number, seed: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < classes; c++) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) rows.push(i);
    const rng = createRng(sceneSeed(seed, c)); // an independent stream per (seed, class)
    for (let i = 0; i < Math.min(k, rows.length); i++) {
      const j = rng.int(i, rows.length - 1); // a partial Fisher–Yates shuffle
      [rows[i], rows[j]] = [rows[j], rows[i]];
      out.push(rows[i]);
    }
  }
  return out.sort((a, b) => a - b);
}

export function accuracyOf(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    if (best === labels[i]) right++;
  }
  return right / labels.length;
}

function subset(rows: LabelledRows, dim: number, idx: readonly number[]): LabelledRows {
  const features = new Float32Array(idx.length * dim);
  idx.forEach((r, i) => {
    for (let j = 0; j < dim; j++) features[i * dim + j] = rows.features[r * dim + j];
  });
  return { features, labels: idx.map((r) => rows.labels[r]) };
}

export interface ProbeCurveOptions {
  classes: number;
  dim: number;
  /** k values (positive integers), default 1, 2, 4, 8, 16; 'all' is always added. */
  shots?: readonly number[];
  /** Draws per k (default 3), seeds 1..seeds. */
  seeds?: number;
  hyper?: Partial<ProbeHyper>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** The k-shot table and the full probe against `zeroShot` (the accuracy of zero-shot on `test`). */
export async function probeCurve(
  ctx: GpuContext,
  train: LabelledRows,
  test: LabelledRows,
  zeroShot: number,
  o: ProbeCurveOptions,
): Promise<ProbeCurve> {
  const shots = [...(o.shots ?? DEFAULT_SHOTS)];
  const seeds = o.seeds ?? DEFAULT_PROBE_SEEDS;
  for (const k of shots)
    if (!Number.isInteger(k) || k < 1) throw new ClipError('input', `Shots must be positive integers, got ${k}.`);
  if (!Number.isInteger(seeds) || seeds < 1)
    throw new ClipError('input', `Seeds must be a positive integer, got ${seeds}.`);
  if (test.labels.length === 0) throw new ClipError('input', 'No test images for the linear probe.');
  const hyper = { ...PROBE_HYPER, ...o.hyper };
  const total = shots.length * seeds + 1;
  let done = 0;
  const score = async (rows: LabelledRows): Promise<number> => {
    const probe = await fitLinearProbe(
      ctx,
      { ...rows, classes: o.classes, dim: o.dim },
      { ...hyper, signal: o.signal },
    );
    const acc = accuracyOf(await probeLogits(ctx, probe, test.features), test.labels, o.classes);
    o.onProgress?.(++done, total);
    return acc;
  };
  const kShot: KShotPoint[] = [];
  for (const k of shots) {
    const accuracies: number[] = [];
    let images = 0;
    for (let s = 1; s <= seeds; s++) {
      const idx = kShotIndices(train.labels, o.classes, k, s);
      images += idx.length;
      accuracies.push(await score(subset(train, o.dim, idx)));
    }
    kShot.push(point(k, accuracies, images / seeds));
  }
  const all = await score(train);
  kShot.push(point('all', [all], train.labels.length));
  return {
    zeroShot,
    probe: all,
    kShot,
    seeds,
    trainImages: train.labels.length,
    testImages: test.labels.length,
    hyper,
  };
}

function point(shots: number | 'all', accuracies: number[], trainImages: number): KShotPoint {
  return {
    shots,
    accuracy: accuracies.reduce((a, b) => a + b, 0) / accuracies.length,
    min: Math.min(...accuracies),
    max: Math.max(...accuracies),
    accuracies,
    trainImages,
  };
}
