/**
 * End-to-end encode times on a loaded ClipModel: image latency (batch 1), image throughput
 * (batch 32 by default), and text throughput for an ImageNet-sized zero-shot head (1,000 classes x
 * 80 templates = 80,000 prompts) measured on a fixed number of prompt batches and reported as
 * prompts/s (the full head's time is an extrapolation, labelled as such).
 *
 * Each time is wall time around the public API call (upload, every dispatch, readback), after a
 * warm-up call that compiles the pipelines; the median of the samples is reported.
 */
import { throwIfAborted } from '../errors.ts';
import { batchTextLength } from '../model/text.ts';
import type { ClipModel } from '../model/clip.ts';
import { IMAGENET_TEMPLATES } from '../model/templates.ts';
import { median, rand } from './harness.ts';

export interface E2eOptions {
  /** Timed calls per measurement after one warm-up call (default 3). */
  samples?: number;
  /** Images in the throughput batch (default 32; 0 skips it). */
  imageBatch?: number;
  /** Prompts per text batch (default 80: one class's 80 templates). */
  textBatch?: number;
  /** Text batches timed per sample (default 1). */
  textBatches?: number;
  onStep?: (message: string) => void;
  /** Cancels after the encode in progress with ClipError('aborted'). */
  signal?: AbortSignal;
}

export interface E2eResult {
  /** Batch-1 image encode, median ms. */
  image_ms: number;
  /** Batch of 32 images, median ms (null when another batch size was measured). */
  image_batch32_ms: number | null;
  image_batch: number;
  image_batch_ms: number | null;
  images_per_s: number | null;
  /** Prompts per second over `text_batches` batches of `text_batch` prompts. */
  text_prompts_per_s: number;
  text_batch: number;
  text_batches: number;
  /** Positions per prompt run: the batch's longest prompt (the text tower stops there; clip.ts). */
  text_tokens: number;
  /** Median ms of one text batch. */
  text_ms: number;
  /** 80,000 prompts / text_prompts_per_s: an extrapolation, not a measurement. */
  imagenet_head_s_extrapolated: number;
  samples: number;
  /** GPU memory the runtime holds after the runs (weights + pooled buffers; pools never shrink, so this is the peak). */
  gpu_bytes_peak: number;
  weights_bytes: number;
  /** Buffers created by a repeated call (0: plain inference allocates nothing after the first call). */
  buffers_created_per_call: number;
  /** The inputs and our outputs, for comparing a peer on the same data. */
  inputs: E2eInputs;
}

export interface E2eInputs {
  /** One image's pixels [3, S, S] (batch-1 runs) and the throughput batch (the same image repeated with noise). */
  pixels: Float32Array[];
  /** Token id rows [text_batch][77]. */
  ids: Int32Array[];
  imageEmbeds: Float32Array[];
  textEmbeds: Float32Array[];
}

/** `n` ImageNet-style prompts: template i of class j. */
export function imagenetPrompts(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    out.push(
      IMAGENET_TEMPLATES[i % IMAGENET_TEMPLATES.length].replaceAll(
        '{}',
        `class number ${Math.floor(i / IMAGENET_TEMPLATES.length)}`,
      ),
    );
  }
  return out;
}

/** Wall time of one awaited call, ms. */
export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function measureE2e(model: ClipModel, options: E2eOptions = {}): Promise<E2eResult> {
  const samples = Math.max(1, options.samples ?? 3);
  const imageBatch = options.imageBatch ?? 32;
  const textBatch = Math.max(1, options.textBatch ?? 80);
  const textBatches = Math.max(1, options.textBatches ?? 1);
  const step = (message: string) => {
    throwIfAborted(options.signal, 'benchmark'); // every encode reports before it runs: stop there
    options.onStep?.(message);
  };
  const S = model.config.vision.imageSize;
  const weightsBytes = model.gpuStats.liveBytes;

  const pixels = Array.from({ length: Math.max(1, imageBatch) }, (_, i) => rand(3 * S * S, 100 + i, 2));
  const ids = model.tokenize(imagenetPrompts(textBatch), { truncate: true });

  // Image, batch 1: warm-up (compiles), then samples; the repeated calls must create no buffer.
  step('image encode, batch 1 (warm-up)');
  const [imageEmbed] = await model.encodePixels([pixels[0]]);
  const before = model.gpuStats.buffersCreated;
  const imageTimes: number[] = [];
  for (let i = 0; i < samples; i++) {
    step(`image encode, batch 1 (${i + 1}/${samples})`);
    imageTimes.push(await timeIt(() => model.encodePixels([pixels[0]])));
  }
  const perCall = (model.gpuStats.buffersCreated - before) / samples;

  let batchMs: number | null = null;
  if (imageBatch > 1) {
    step(`image encode, batch ${imageBatch} (warm-up)`);
    await model.encodePixels(pixels, { batchSize: imageBatch });
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      step(`image encode, batch ${imageBatch} (${i + 1}/${samples})`);
      times.push(await timeIt(() => model.encodePixels(pixels, { batchSize: imageBatch })));
    }
    batchMs = median(times);
  }

  step(`text encode, ${textBatch} prompts (warm-up)`);
  const textEmbeds = await model.encodeIds(ids);
  const textTimes: number[] = [];
  for (let i = 0; i < samples; i++) {
    step(`text encode, ${textBatches} x ${textBatch} prompts (${i + 1}/${samples})`);
    textTimes.push(
      (await timeIt(async () => {
        for (let b = 0; b < textBatches; b++) await model.encodeIds(ids);
      })) / textBatches,
    );
  }
  const textMs = median(textTimes);
  const promptsPerS = textBatch / (textMs / 1000);

  return {
    image_ms: median(imageTimes),
    image_batch32_ms: imageBatch === 32 ? batchMs : null,
    image_batch: imageBatch,
    image_batch_ms: batchMs,
    images_per_s: batchMs === null ? null : imageBatch / (batchMs / 1000),
    text_prompts_per_s: promptsPerS,
    text_batch: textBatch,
    text_batches: textBatches,
    text_tokens: batchTextLength(ids, model.config.text.eosTokenId),
    text_ms: textMs,
    imagenet_head_s_extrapolated: 80_000 / promptsPerS,
    samples,
    gpu_bytes_peak: model.gpuStats.liveBytes,
    weights_bytes: weightsBytes,
    buffers_created_per_call: perCall,
    inputs: { pixels, ids, imageEmbeds: [imageEmbed], textEmbeds },
  };
}
