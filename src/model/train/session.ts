/**
 * A training run over a set of image-caption pairs, for a page (the playground's Train tab) as much
 * as for a script: the batches of each epoch in a seeded order (the CLI's `epochOrder`), open_clip's
 * learning-rate schedule, a report per step with the batch's cosine matrix and images/s, and a yield
 * to the event loop between steps so that a page stays responsive. Stopping (an AbortSignal) leaves
 * the trainer as it is: `run` again continues from its state (step, weights, AdamW moments).
 */
import { ClipError, throwIfAborted } from '../../errors.ts';
import type { ClipModel } from '../clip.ts';
import { epochOrder } from './data.ts';
import { learningRate, type LrScheduler } from './schedule.ts';
import type { StepReport, Trainer, TrainerOptions } from './trainer.ts';

/** The pairs a session trains on; pair i's image goes with pair i's caption. */
export interface TrainingPairs {
  readonly count: number;
  caption(i: number): string;
  /** Pair i as the model takes it: [3, S, S] normalized pixels and 77 token ids. A bad pair names itself. */
  load(i: number): Promise<{ pixels: Float32Array; ids: Int32Array }>;
}

export interface SessionOptions extends TrainerOptions {
  batchSize: number;
  /** Optimizer steps in all (the schedule's length). */
  steps: number;
  /** Linear warmup steps (default 0). */
  warmup?: number;
  /** After warmup (default cosine, as open_clip). */
  scheduler?: LrScheduler;
  /** Seed of the data order (default 0). */
  seed?: number;
}

export interface SessionStep extends StepReport {
  /** Cosines of the batch before the update, [B, B] row-major: image i (row) × caption j, pairs on the diagonal. */
  cosines: Float32Array;
  /** The batch's pairs (indices into the data), in row order. */
  pairs: number[];
  imagesPerSecond: number;
}

export interface SessionRunOptions {
  signal?: AbortSignal;
  onStep?: (s: SessionStep) => void | Promise<void>;
}

/** Lets the page paint and handle input between two steps (GPU work is already asynchronous). */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class TrainingSession {
  readonly trainer: Trainer;
  readonly perEpoch: number;

  constructor(
    readonly model: ClipModel,
    readonly data: TrainingPairs,
    readonly options: SessionOptions,
  ) {
    const { batchSize: B, steps } = options;
    if (!(Number.isInteger(B) && B >= 2))
      throw new ClipError(
        'input',
        `The batch size must be a whole number >= 2 (the loss contrasts its pairs), got ${B}.`,
      );
    if (!(Number.isInteger(steps) && steps >= 1))
      throw new ClipError('input', `Steps must be a whole number >= 1, got ${steps}.`);
    this.perEpoch = Math.floor(data.count / B);
    if (this.perEpoch === 0)
      throw new ClipError('input', `${data.count} image-caption pairs do not fill one batch of ${B}.`);
    this.trainer = model.trainer(options);
  }

  /** Optimizer steps taken so far. */
  get step(): number {
    return this.trainer.step;
  }

  get finished(): boolean {
    return this.step >= this.options.steps;
  }

  /** The pairs of the batch at 0-based `step`. */
  batchPairs(step: number): number[] {
    const B = this.options.batchSize;
    const order = epochOrder(this.data.count, this.options.seed ?? 0, Math.floor(step / this.perEpoch), true);
    const k = step % this.perEpoch;
    return order.slice(k * B, (k + 1) * B);
  }

  /** Trains until `steps` or until `signal` aborts (ClipError 'aborted', after the step in flight). */
  async run(o: SessionRunOptions = {}): Promise<void> {
    const { batchSize: B, steps, warmup = 0, scheduler = 'cosine' } = this.options;
    while (!this.finished) {
      throwIfAborted(o.signal, 'training');
      const t0 = performance.now();
      const pairs = this.batchPairs(this.step);
      const loaded = [];
      for (const i of pairs) loaded.push(await this.data.load(i));
      const per = loaded[0].pixels.length;
      const pixels = new Float32Array(B * per);
      loaded.forEach((p, b) => pixels.set(p.pixels, b * per));
      const scale = this.model.logitScale.exp; // the scale the step's logits are computed with
      const lr = learningRate(scheduler, this.trainer.hyper.lr, warmup, steps, this.step);
      const { logitsPerImage, ...report } = await this.trainer.trainStep({ pixels, ids: loaded.map((p) => p.ids) }, lr);
      const seconds = (performance.now() - t0) / 1000;
      const cosines = logitsPerImage.map((x) => x / scale);
      await o.onStep?.({ ...report, cosines, pairs, imagesPerSecond: B / Math.max(seconds, 1e-6) });
      await yieldToPage();
    }
  }

  /** Frees the gradients and AdamW moments (the model stays). */
  dispose(): void {
    this.trainer.dispose();
  }
}
