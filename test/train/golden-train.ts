/** ../shared's training golden and the tiny model's parameters, for the trainer's tests. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseClipConfig, type ClipConfig } from '../../src/model/config.ts';
import { SafetensorsFile } from '../../src/model/safetensors/reader.ts';
import { FileSource } from '../../src/node/file-source.ts';
import type { ParamsRef } from '../../src/model/train/reference.ts';
import type { OptimizerHyper } from '../../src/model/train/step.ts';
import { TINY, json } from '../helpers/fixtures.ts';

interface TensorJson {
  shape: number[];
  data: number[];
}

export interface GoldenTrain {
  batch: { prompts: string[]; input_ids: number[][] };
  optimizer: {
    lr: number;
    betas: [number, number];
    eps: number;
    weight_decay: number;
    decay: string[];
    logit_scale_max: number;
  };
  loss: [number, number, number];
  logits_per_image: number[][];
  grad_norms: Record<string, number>;
  grads: Record<string, TensorJson>;
  token_embedding_grad_rows: Record<string, number[]>;
  after_2_steps: Record<string, TensorJson>;
  token_embedding_rows_after_2_steps: Record<string, number[]>;
}

export const goldenTrain = () => json<GoldenTrain>(resolve(TINY, 'golden_train.json'));
export const tinyConfig = (): ClipConfig =>
  parseClipConfig(JSON.parse(readFileSync(resolve(TINY, 'config.json'), 'utf8')));
export const TOKEN_TABLE = 'text_model.embeddings.token_embedding.weight';

/** The golden's AdamW hyper-parameters in the trainer's terms. */
export function goldenHyper(g: GoldenTrain): OptimizerHyper {
  const o = g.optimizer;
  return { lr: o.lr, beta1: o.betas[0], beta2: o.betas[1], eps: o.eps, weightDecay: o.weight_decay };
}

/** The four fixture images' pixels [4, 3, 64, 64]. */
export function tinyPixels(): Float32Array {
  const pv = json<{ pixel_values: unknown[] }>(resolve(TINY, 'pixel_values.json')).pixel_values;
  return Float32Array.from(pv.flat(Infinity as 1) as number[]);
}

/** Every tensor of model.safetensors but the position_ids buffers, upcast to float64. */
export async function tinyParams64(): Promise<ParamsRef> {
  const file = await SafetensorsFile.open(new FileSource(resolve(TINY, 'model.safetensors')));
  const out: ParamsRef = new Map();
  for (const [name, info] of file.tensors) {
    if (info.dtype === 'I64') continue;
    out.set(name, Float64Array.from(await file.readF32(name)));
  }
  return out;
}

/** max |a − b|, and the largest |b|. */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; scale: number } {
  if (a.length !== b.length) throw new Error(`diff: lengths ${a.length} and ${b.length}`);
  let max = 0,
    scale = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Number.isNaN(d) ? Infinity : Math.max(max, d);
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { max, scale };
}
