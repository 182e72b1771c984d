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
import { clipInit } from '../model/train/init.ts';

export interface RandomModelOptions {
  seed?: number;
  dtype?: 'F32' | 'F16' | 'BF16';
  /** A folder with `vocab.json` and `merges.txt` to copy; omitted: no tokenizer files. */
  tokenizerDir?: string;
  /**
   * 'small' (default): every matrix N(0, 0.02), logit scale ln 100, for shapes and benchmarks.
   * 'clip': CLIP's own init (clipInit), for training from scratch.
   */
  init?: 'small' | 'clip';
}

export interface RandomModelResult {
  config: ClipConfig;
  configPath: string;
  modelPath: string;
  bytes: number;
}

/** FNV-1a of the name mixed with the seed: each tensor gets its own stream. */
function tensorSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: small, fast, good enough for weights. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `mean + std * N(0,1)` by Box-Muller. */
function gaussian(count: number, seed: number, mean: number, std: number): Float32Array {
  const rand = mulberry32(seed),
    out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand())),
      phi = 2 * Math.PI * rand();
    out[i] = mean + std * r * Math.cos(phi);
    if (i + 1 < count) out[i + 1] = mean + std * r * Math.sin(phi);
  }
  return out;
}

/** Sane scales: LayerNorm weight ~1, biases small, other weights ~N(0, 0.02), logit_scale = ln 100. */
function randomTensor(
  name: string,
  count: number,
  seed: number,
  init: 'small' | 'clip',
  cfg: ClipConfig,
): Float32Array {
  const s = tensorSeed(seed, name);
  if (init === 'clip') {
    const r = clipInit(name, cfg);
    return r.std === 0 ? new Float32Array(count).fill(r.mean) : gaussian(count, s, r.mean, r.std);
  }
  if (name === 'logit_scale') return new Float32Array([Math.log(100)]);
  if (/(layer_?norm\d?|layrnorm)\.weight$/.test(name)) return gaussian(count, s, 1, 0.05);
  if (name.endsWith('.bias')) return gaussian(count, s, 0, 0.01);
  return gaussian(count, s, 0, 0.02);
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
