/**
 * Random weights of any CLIP size, deterministic per (seed, tensor name): `random-model` writes them
 * to disk (src/node/random-model.ts) and the playground's Train tab starts from them in memory.
 */
import type { ClipConfig } from '../config.ts';
import { expectedClipTensors } from '../config.ts';
import { numElements } from '../safetensors/reader.ts';
import { writeSafetensors } from '../safetensors/writer.ts';
import { clipInit } from './init.ts';

/** 'small': every matrix N(0, 0.02), logit scale ln 100 (shapes, benchmarks); 'clip': CLIP's init (training from scratch). */
export type RandomInit = 'small' | 'clip';

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
export function randomTensor(
  name: string,
  count: number,
  seed: number,
  init: RandomInit,
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

/** A whole F32 model.safetensors in memory (every tensor of `cfg`, HF names): for small models. */
export function randomSafetensors(cfg: ClipConfig, seed = 0, init: RandomInit = 'clip'): Uint8Array {
  return writeSafetensors(
    expectedClipTensors(cfg).map(({ name, shape }) => ({
      name,
      shape,
      dtype: 'F32' as const,
      data: randomTensor(name, numElements(shape), seed, init, cfg),
    })),
    { format: 'pt' },
  );
}
