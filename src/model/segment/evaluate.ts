/**
 * Scoring segmentations against ground truth as mmseg's IoUMetric does: per class, the pixels of
 * every image are summed (intersection and union over the whole dataset), IoU = ∩ / ∪ per class,
 * mIoU = the mean over the classes that occur in the truth or the predictions. Class 0 is the
 * background, class k > 0 is label k − 1.
 */
import { BACKGROUND } from './mask.ts';

export interface IouScore {
  /** Class names, background first. */
  classes: string[];
  /** Per class: IoU, or null for a class absent from both truth and predictions. */
  iou: (number | null)[];
  miou: number;
  /** Correct pixels / all pixels. */
  pixelAccuracy: number;
  images: number;
  pixels: number;
}

export class IouCounter {
  private readonly inter: Float64Array;
  private readonly union: Float64Array;
  private correct = 0;
  private pixels = 0;
  private images = 0;

  /** `classes`: names, background first. */
  constructor(readonly classes: readonly string[]) {
    this.inter = new Float64Array(classes.length);
    this.union = new Float64Array(classes.length);
  }

  /**
   * One image: `mask` as `Segmentation.mask` gives it (label index, BACKGROUND = -1) and `truth`
   * with class ids (0 background, k = label k − 1), same length.
   */
  add(mask: ArrayLike<number>, truth: ArrayLike<number>): void {
    if (mask.length !== truth.length)
      throw new RangeError(`IouCounter: ${mask.length} predictions, ${truth.length} truths`);
    const K = this.classes.length;
    const predCount = new Float64Array(K),
      truthCount = new Float64Array(K),
      both = new Float64Array(K);
    for (let i = 0; i < mask.length; i++) {
      const p = mask[i] === BACKGROUND ? 0 : mask[i] + 1;
      const t = truth[i];
      if (!(t >= 0 && t < K && p < K)) throw new RangeError(`IouCounter: class ${t} or prediction ${p} out of ${K}`);
      predCount[p]++;
      truthCount[t]++;
      if (p === t) both[p]++;
    }
    for (let k = 0; k < K; k++) {
      this.inter[k] += both[k];
      this.union[k] += predCount[k] + truthCount[k] - both[k];
      this.correct += both[k];
    }
    this.pixels += mask.length;
    this.images++;
  }

  score(): IouScore {
    const iou = Array.from(this.inter, (v, k) => (this.union[k] > 0 ? v / this.union[k] : null));
    const present = iou.filter((v): v is number => v !== null);
    return {
      classes: [...this.classes],
      iou,
      miou: present.length ? present.reduce((a, b) => a + b, 0) / present.length : 0,
      pixelAccuracy: this.pixels ? this.correct / this.pixels : 0,
      images: this.images,
      pixels: this.pixels,
    };
  }
}
