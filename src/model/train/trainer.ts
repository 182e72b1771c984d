/**
 * The library's trainer: CLIP's contrastive training on our kernels, on any platform. It trains a
 * loaded model's weights in place (gradients and AdamW moments beside them on the GPU), one batch per
 * `step`; `run` drives a batch source with a learning-rate schedule, step callbacks and an AbortSignal.
 */
import { ClipError } from '../../errors.ts';
import type { GpuContext } from '../../kernels/runtime.ts';
import type { ClipConfig } from '../config.ts';
import type { ClipWeights } from '../weights.ts';
import { TrainableParams } from './grads.ts';
import {
  applyGradients,
  computeGradients,
  type GradientResult,
  type OptimizerHyper,
  type OptimizerResult,
  type TrainBatch,
} from './step.ts';

export interface TrainerOptions extends Partial<OptimizerHyper> {
  /** Micro-batches per batch (open_clip's --accum-freq): memory holds one micro-batch's activations. */
  accumFreq?: number;
  /**
   * Towers whose parameters stay fixed (open_clip's --lock-image / --lock-text; LiT locks the image
   * tower): the other tower learns to meet them. The logit scale always trains.
   */
  lock?: readonly Tower[];
}

export type Tower = 'image' | 'text';

/** The tower an HF tensor belongs to (null: logit_scale). */
export function towerOf(name: string): Tower | null {
  if (name.startsWith('vision_model.') || name === 'visual_projection.weight') return 'image';
  if (name.startsWith('text_model.') || name === 'text_projection.weight') return 'text';
  return null;
}

/** open_clip's defaults for ViT models (betas 0.9/0.98, eps 1e-6, wd 0.2). */
export const TRAINER_DEFAULTS: OptimizerHyper = { lr: 5e-4, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.2 };

export interface StepReport {
  /** 1-based number of optimizer steps taken. */
  step: number;
  /** The batch's loss before this step's update. */
  loss: number;
  lr: number;
  /** The raw logit scale after the update. */
  logitScale: number;
  gradNorm: number;
}

export interface RunOptions {
  /** Learning rate of each (1-based) step; default the trainer's lr. */
  lr?: (step: number) => number;
  onStep?: (r: StepReport) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface TrainerStats {
  /** Optimizer steps taken. */
  step: number;
  /**
   * The high-water mark of live GPU buffer bytes since the trainer was made: the model's weights, the
   * gradients and AdamW moments, and the pooled activations of the largest micro-batch.
   */
  peakGpuBytes: number;
}

export class Trainer {
  readonly params: TrainableParams;
  readonly hyper: OptimizerHyper;
  readonly accumFreq: number;
  readonly lock: readonly Tower[];
  /** Optimizer steps taken (AdamW's t). */
  step = 0;
  private readonly peak: ReturnType<GpuContext['watchPeak']>;

  constructor(
    readonly ctx: GpuContext,
    readonly config: ClipConfig,
    readonly weights: ClipWeights,
    options: TrainerOptions = {},
  ) {
    const { accumFreq, lock, ...hyper } = options;
    this.lock = [...new Set(lock ?? [])];
    if (this.lock.length === 2)
      throw new ClipError('input', 'Both towers are locked: nothing would train but the logit scale.');
    this.hyper = {
      ...TRAINER_DEFAULTS,
      ...Object.fromEntries(Object.entries(hyper).filter(([, v]) => v !== undefined)),
    };
    this.accumFreq = accumFreq ?? 1;
    if (!(Number.isInteger(this.accumFreq) && this.accumFreq >= 1))
      throw new ClipError('input', `accumFreq must be a whole number >= 1, got ${accumFreq}.`);
    this.peak = ctx.watchPeak(); // before the gradients and moments are allocated: they count
    this.params = new TrainableParams(ctx, weights);
  }

  get stats(): TrainerStats {
    return { step: this.step, peakGpuBytes: this.peak.bytes };
  }

  /** Forward and backward of one batch, gradients accumulated (no update): for tests and inspection. */
  gradients(batch: TrainBatch): Promise<GradientResult> {
    return computeGradients(this.ctx, this.config, this.weights, this.params, batch, this.accumFreq);
  }

  /** One AdamW step with the gradients accumulated so far (which it zeroes). */
  async update(lr = this.hyper.lr): Promise<OptimizerResult> {
    this.step++;
    const locked = (name: string) => this.lock.includes(towerOf(name)!);
    const o = await applyGradients(this.ctx, this.params, { ...this.hyper, lr }, this.step, locked);
    this.weights.logitScale = o.logitScale;
    return o;
  }

  /** One optimizer step on one batch. */
  async trainStep(batch: TrainBatch, lr = this.hyper.lr): Promise<StepReport & { logitsPerImage: Float32Array }> {
    const { loss, logitsPerImage } = await this.gradients(batch);
    const o = await this.update(lr);
    return { step: this.step, loss, lr, logitScale: o.logitScale, gradNorm: o.gradNorm, logitsPerImage };
  }

  /** Train on every batch of `batches` (until it ends or `signal` aborts); returns the reports. */
  async run(batches: Iterable<TrainBatch> | AsyncIterable<TrainBatch>, o: RunOptions = {}): Promise<StepReport[]> {
    const reports: StepReport[] = [];
    for await (const batch of batches) {
      o.signal?.throwIfAborted();
      const { logitsPerImage: _, ...r } = await this.trainStep(batch, o.lr?.(this.step + 1) ?? this.hyper.lr);
      reports.push(r);
      await o.onStep?.(r);
    }
    return reports;
  }

  /** An HF tensor's current values, or its accumulated gradient or AdamW moments, by name. */
  async read(name: string, what: 'param' | 'grad' | 'm' | 'v' = 'param'): Promise<Float32Array> {
    const { p, offset, size } = this.params.locate(name);
    const all = await this.ctx.read(p[what]);
    return all.slice(offset, offset + size);
  }

  dispose(): void {
    this.peak.stop();
    this.params.dispose();
  }
}
