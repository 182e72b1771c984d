/** The JSON documents of the two figures (`clip-webgpu eval --json` and <clip-dataset-eval>'s events). */
import type { ShiftResult } from '../bias/world.ts';
import type { ProbeCurve } from './kshot.ts';

/** Zero-shot vs the linear probe with its k-shot table. */
export function probeJson(c: ProbeCurve): Record<string, unknown> {
  return {
    zero_shot: c.zeroShot,
    probe: c.probe,
    train_images: c.trainImages,
    test_images: c.testImages,
    seeds: c.seeds,
    k_shot: c.kShot.map((p) => ({
      shots: p.shots,
      accuracy: p.accuracy,
      min: p.min,
      max: p.max,
      accuracies: p.accuracies,
      train_images: p.trainImages,
    })),
    optimizer: {
      name: 'adamw',
      full_batch: true,
      features: 'image embeddings, l2-normalized, standardized with the training mean and deviation',
      ...c.hyper,
    },
  };
}

/** Accuracy on the clean world ("none") and each shift. */
export function shiftsJson(results: readonly ShiftResult[]): Record<string, unknown>[] {
  return results.map(({ shift, evaluation: e }) => ({
    shift,
    n: e.n,
    accuracy: e.accuracy,
    accuracy_ci: e.accuracyCi,
    per_class: Object.fromEntries(e.perClass.map((c) => [c.name, Number.isNaN(c.accuracy) ? null : c.accuracy])),
  }));
}
