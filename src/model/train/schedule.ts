/**
 * open_clip's learning-rate schedules (src/open_clip_train/scheduler.py), for 0-based step s of
 * `steps`: a linear warmup lr·(s + 1)/warmup, then cosine 0.5·(1 + cos(π·e/es))·lr with e = s − warmup,
 * es = steps − warmup, or constant.
 */
export type LrScheduler = 'cosine' | 'const';

export function learningRate(kind: LrScheduler, baseLr: number, warmup: number, steps: number, step: number): number {
  if (step < warmup) return (baseLr * (step + 1)) / warmup;
  if (kind === 'const') return baseLr;
  const e = step - warmup,
    es = steps - warmup;
  return es > 0 ? 0.5 * (1 + Math.cos((Math.PI * e) / es)) * baseLr : baseLr;
}
