/** Models for the model tests: a narrow random ViT-B/32-shaped model, and a loaded model's weights on the CPU for the oracles. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipModel, writeRandomClipModel } from '../../src/node/index.ts';
import { clipPreset } from '../../src/model/config.ts';
import type { CpuLayer } from '../../src/model/encoder-reference.ts';
import type { CpuVision } from '../../src/model/explain/reference.ts';
import { gpu } from './gpu.ts';
import { TINY } from './fixtures.ts';

/**
 * ViT-B/32's geometry (224 px, patch 32: a 7x7 grid) with small widths (vision 64, text 32, projection 16)
 * and `visionLayers` vision layers, random from `seed`, written to a temporary folder and loaded.
 */
export async function narrowB32(
  visionLayers: number,
  seed: number,
): Promise<{ model: ClipModel; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'clip-b32-'));
  const cfg = clipPreset('ViT-B/32');
  Object.assign(cfg.vision, { hiddenSize: 64, intermediateSize: 128, numLayers: visionLayers, numHeads: 2 });
  Object.assign(cfg.text, { hiddenSize: 32, intermediateSize: 64, numLayers: 1, numHeads: 2 });
  cfg.projectionDim = 16;
  await writeRandomClipModel(dir, cfg, { seed, tokenizerDir: TINY });
  const model = await ClipModel.load(dir, { gpu: await gpu() });
  return {
    model,
    cleanup: async () => {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function cat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Layer `prefix` (e.g. "text_model.encoder.layers.0") read back from the GPU, q | k | v packed as the GPU holds them. */
export async function cpuLayer(model: ClipModel, prefix: string): Promise<CpuLayer> {
  const pair = async (n: string): Promise<[Float32Array, Float32Array]> => [
    await model.readWeight(`${prefix}.${n}.weight`),
    await model.readWeight(`${prefix}.${n}.bias`),
  ];
  const [q, k, v] = await Promise.all(['q', 'k', 'v'].map((n) => pair(`self_attn.${n}_proj`)));
  return {
    ln1: await pair('layer_norm1'),
    qkv: [cat(q[0], k[0], v[0]), cat(q[1], k[1], v[1])],
    out: await pair('self_attn.out_proj'),
    ln2: await pair('layer_norm2'),
    fc1: await pair('mlp.fc1'),
    fc2: await pair('mlp.fc2'),
  };
}

/** The whole vision tower's weights on the CPU (the explanation's oracle). */
export async function cpuVision(model: ClipModel): Promise<CpuVision> {
  const r = (n: string) => model.readWeight(`vision_model.${n}`);
  const pair = async (p: string): Promise<[Float32Array, Float32Array]> => [
    await r(`${p}.weight`),
    await r(`${p}.bias`),
  ];
  const layers: CpuLayer[] = [];
  for (let i = 0; i < model.config.vision.numLayers; i++)
    layers.push(await cpuLayer(model, `vision_model.encoder.layers.${i}`));
  return {
    patch: await r('embeddings.patch_embedding.weight'),
    cls: await r('embeddings.class_embedding'),
    pos: await r('embeddings.position_embedding.weight'),
    preLn: await pair('pre_layrnorm'),
    layers,
    postLn: await pair('post_layernorm'),
    proj: await model.readWeight('visual_projection.weight'),
  };
}
