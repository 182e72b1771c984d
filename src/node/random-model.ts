/**
 * Writes a complete HF-style CLIP folder with random weights: for tests and benchmarks of
 * full-size models without downloading one. Deterministic per (seed, tensor name), streamed to disk.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clipConfigToHfJson, clipPreset, expectedClipTensors } from '../model/config.ts';
import type { ClipConfig, ClipPresetName } from '../model/config.ts';
import { numElements } from '../model/safetensors/reader.ts';
import type { TensorSpec } from '../model/safetensors/writer.ts';
import { writeSafetensorsFile } from './safetensors-stream.ts';
import { randomTensor, type RandomInit } from '../model/train/random-init.ts';

export interface RandomModelOptions {
  seed?: number;
  dtype?: 'F32' | 'F16' | 'BF16';
  /** A folder with `vocab.json` and `merges.txt` to copy; omitted: no tokenizer files. */
  tokenizerDir?: string;
  /**
   * 'small' (default): every matrix N(0, 0.02), logit scale ln 100, for shapes and benchmarks.
   * 'clip': CLIP's own init (clipInit), for training from scratch.
   */
  init?: RandomInit;
}

export interface RandomModelResult {
  config: ClipConfig;
  configPath: string;
  modelPath: string;
  bytes: number;
}

export async function writeRandomClipModel(
  dir: string,
  config: ClipConfig | ClipPresetName,
  { seed = 0, dtype = 'F32', tokenizerDir, init = 'small' }: RandomModelOptions = {},
): Promise<RandomModelResult> {
  const cfg = typeof config === 'string' ? clipPreset(config) : config;
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, 'config.json'),
    modelPath = join(dir, 'model.safetensors');
  await writeFile(configPath, JSON.stringify(clipConfigToHfJson(cfg), null, 2) + '\n');

  const grid = cfg.vision.imageSize / cfg.vision.patchSize;
  // Real HF checkpoints often carry these int64 buffers; readers must skip them.
  const positionIds = new Map([
    ['vision_model.embeddings.position_ids', 1 + grid * grid],
    ['text_model.embeddings.position_ids', cfg.text.maxPositions],
  ]);
  const specs: TensorSpec[] = [
    ...expectedClipTensors(cfg).map((t) => ({ name: t.name, shape: t.shape, dtype })),
    ...[...positionIds].map(([name, n]) => ({ name, shape: [1, n], dtype: 'I64' as const })),
  ];
  const { bytes } = await writeSafetensorsFile(
    modelPath,
    specs,
    (spec) => {
      const n = positionIds.get(spec.name);
      if (n !== undefined) return Array.from({ length: n }, (_, i) => i);
      return randomTensor(spec.name, numElements(spec.shape), seed, init, cfg);
    },
    { format: 'pt' },
  );

  if (tokenizerDir) {
    for (const f of ['vocab.json', 'merges.txt']) await copyFile(join(tokenizerDir, f), join(dir, f));
  }
  return { config: cfg, configPath, modelPath, bytes };
}
