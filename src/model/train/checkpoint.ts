/**
 * What a checkpoint holds, as safetensors tensors: the model in HF CLIPModel names (F32, q/k/v split
 * as HF stores them), and the optimizer state beside it (AdamW's moments per trainable tensor and the
 * step), so that resuming continues to the same parameters as a run that never stopped.
 */
import { ClipError } from '../../errors.ts';
import { clipConfigToHfJson, expectedClipTensors } from '../config.ts';
import { writeSafetensors, type TensorSpec } from '../safetensors/writer.ts';
import type { ClipTokenizer } from '../tokenizer/bpe.ts';
import type { SafetensorsFile } from '../safetensors/reader.ts';
import type { Trainer } from './trainer.ts';
import type { Tensor } from '../../kernels/runtime.ts';

/** A checkpoint file's tensors (shapes only) and how to read each one's values from the trainer. */
export interface CheckpointTensors {
  specs: TensorSpec[];
  read(name: string): Promise<Float32Array>;
  metadata?: Record<string, string>;
}

/** The model in HF CLIPModel names. */
export function modelTensors(t: Trainer): CheckpointTensors {
  return {
    specs: expectedClipTensors(t.config).map(({ name, shape }) => ({ name, shape, dtype: 'F32' as const })),
    read: (name) => t.read(name),
  };
}

/** AdamW's moments (`m.NAME`, `v.NAME` per trainable tensor, q/k/v packed) and the step. */
export function optimizerTensors(t: Trainer): CheckpointTensors {
  const byName = new Map<string, Tensor>(
    t.params.list.flatMap((p) => (['m', 'v'] as const).map((w) => [`${w}.${p.name}`, p[w]] as const)),
  );
  return {
    specs: [...byName].map(([name, tensor]) => ({ name, shape: [...tensor.shape], dtype: 'F32' as const })),
    read: (name) => t.ctx.read(byName.get(name)!),
    metadata: { format: OPTIMIZER_FORMAT, step: String(t.step) },
  };
}

const OPTIMIZER_FORMAT = 'clip-webgpu-adamw/1';

/** Restore AdamW's moments and step from `optimizerTensors`' file. */
export async function loadOptimizerState(t: Trainer, file: SafetensorsFile): Promise<void> {
  const step = Number(file.metadata.step);
  if (file.metadata.format !== OPTIMIZER_FORMAT || !Number.isInteger(step) || step < 0) {
    throw new ClipError('input', `${file.name} is not a clip-webgpu optimizer state (format ${OPTIMIZER_FORMAT}).`);
  }
  for (const p of t.params.list) {
    for (const what of ['m', 'v'] as const) {
      const name = `${what}.${p.name}`;
      if (!file.tensors.has(name))
        throw new ClipError('input', `${file.name} has no ${name}: it belongs to another model.`);
      const data = await file.readF32(name);
      if (data.length !== p.param.size)
        throw new ClipError('input', `${file.name}: ${name} has ${data.length} values, the model ${p.param.size}.`);
      t.ctx.write(p[what], data);
    }
  }
  t.step = step;
}

/** A checkpoint file's bytes in memory (a page has no disk to stream to): for small models. */
export async function safetensorsBytes(c: CheckpointTensors): Promise<Uint8Array> {
  const tensors = [];
  for (const s of c.specs) tensors.push({ ...s, data: await c.read(s.name) });
  return writeSafetensors(tensors, c.metadata);
}

export interface CheckpointFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * The files of a checkpoint folder, in memory: what `writeCheckpoint` (src/node) puts on disk, a
 * Hugging Face folder (config.json, model.safetensors, vocab.json, merges.txt) with the optimizer
 * state (optimizer.safetensors) and trainer.json beside it.
 */
export async function checkpointFiles(
  t: Trainer,
  tokenizer: ClipTokenizer,
  extra: Record<string, unknown> = {},
): Promise<CheckpointFile[]> {
  const text = (s: string) => new TextEncoder().encode(s);
  const { vocabJson, mergesTxt } = tokenizer.toVocabMerges();
  return [
    { name: 'config.json', bytes: text(`${JSON.stringify(clipConfigToHfJson(t.config), null, 2)}\n`) },
    { name: 'model.safetensors', bytes: await safetensorsBytes(modelTensors(t)) },
    { name: 'vocab.json', bytes: text(vocabJson) },
    { name: 'merges.txt', bytes: text(mergesTxt) },
    { name: 'optimizer.safetensors', bytes: await safetensorsBytes(optimizerTensors(t)) },
    { name: 'trainer.json', bytes: text(`${JSON.stringify({ step: t.step, ...extra }, null, 2)}\n`) },
  ];
}
