/**
 * Weights: Hugging Face CLIPModel tensors -> GPU tensors, read one tensor at a time by byte range
 * (a 600 MB file is never held twice). q/k/v projections are packed into one [3D, D] matrix so a
 * layer runs one QKV matmul; `slices` remembers where every HF tensor went, so each can be read
 * back from the GPU and checked (tests compare them with the fixture's tensor statistics).
 */
import type { ClipConfig } from './config.ts';
import { ClipError } from '../errors.ts';
import type { SafetensorsFile } from './safetensors/reader.ts';
import { Tensor, type GpuContext } from '../kernels/runtime.ts';
import { WEIGHT_DTYPE, type WeightFormat } from '../kernels/matmul/weight-formats.ts';
import { isCompactMatrix, readMatrix, readMatrixF32, stackMatrices } from './compact/matrices.ts';

export interface Linear {
  w: Tensor;
  b: Tensor | null;
}
export interface Norm {
  w: Tensor;
  b: Tensor;
}

export interface LayerWeights {
  ln1: Norm;
  qkv: Linear; // [3D, D] = q | k | v
  out: Linear; // [D, D]
  ln2: Norm;
  fc1: Linear; // [M, D]
  fc2: Linear; // [D, M]
}

export interface VisionWeights {
  patch: Tensor; // [D, C, P, P] (compact: packed as the matrix [D, C·P·P])
  cls: Tensor; // [D]
  pos: Tensor; // [1 + G², D]
  preLn: Norm;
  layers: LayerWeights[];
  postLn: Norm;
  proj: Tensor; // [proj, D]
}

export interface TextWeights {
  /** [V, D] on the GPU, or null when it exceeds the adapter's binding limit (gathered on the CPU). */
  tokens: Tensor | null;
  tokensCpu: Float32Array | null;
  pos: Tensor; // [77, D]
  posCpu: Float32Array | null;
  layers: LayerWeights[];
  finalLn: Norm;
  proj: Tensor; // [proj, D]
}

export interface ClipWeights {
  vision: VisionWeights;
  text: TextWeights;
  /** The raw (log) logit scale as stored, rounded to f32. */
  logitScale: number;
  /** HF name -> where its values live on the GPU. */
  slices: Map<string, { tensor: Tensor; offset: number; size: number }>;
  bytes: number;
  /** The format of the big matrices (compact/matrices.ts); everything else is F32. */
  format: WeightFormat;
}

/** Tensors uploaded so far (ClipModel.load reports it as its LoadProgress 'weights' phase). */
export interface WeightsUploadProgress {
  /** 'weights' while tensors upload; bytes are the file's bytes read so far. */
  phase: 'weights';
  loaded: number;
  total: number;
  tensor: string;
}

/** GPU bytes per weight value of each format (int8's per-row scales aside). */
const BYTES_PER_VALUE: Readonly<Record<WeightFormat, number>> = { f32: 4, f16: 2, bf16: 2, int8: 1 };

export async function loadClipWeights(
  ctx: GpuContext,
  file: SafetensorsFile,
  config: ClipConfig,
  onProgress?: (p: WeightsUploadProgress) => void,
  options: { tokenTableOnCpu?: boolean; weights?: WeightFormat } = {},
): Promise<ClipWeights> {
  const format = options.weights ?? 'f32';
  // The caller has checked names and shapes (checkConfigAgainstTensors) before requesting a GPU.
  const slices: ClipWeights['slices'] = new Map();
  const owned: Tensor[] = [];
  const total = [...file.tensors.values()].reduce((s, t) => s + (t.end - t.begin), 0);
  let loaded = 0;

  const progress = (name: string) => {
    const info = file.info(name);
    loaded += info.end - info.begin;
    onProgress?.({ phase: 'weights', loaded, total, tensor: name });
  };
  const read = async (name: string): Promise<Float32Array> => {
    const data = await (isCompactMatrix(name) ? readMatrixF32(file, name) : file.readF32(name));
    progress(name);
    return data;
  };
  const uploadData = async (name: string): Promise<[Tensor, Float32Array]> => {
    const data = await read(name);
    const t = await ctx.tensorChecked(file.info(name).shape.length ? file.info(name).shape : [1], data, name);
    owned.push(t);
    slices.set(name, { tensor: t, offset: 0, size: data.length });
    return [t, data];
  };
  const upload = async (name: string): Promise<Tensor> => (await uploadData(name))[0];
  /** Several HF tensors stacked along dim 0 into one GPU tensor. */
  const stack = async (names: string[], shape: number[]): Promise<Tensor> => {
    const t = await ctx.tensorChecked(shape, new Float32Array(shape.reduce((a, b) => a * b, 1)), names.join(' + '));
    owned.push(t);
    let offset = 0;
    for (const name of names) {
      const data = await read(name);
      ctx.write(t, data, offset);
      slices.set(name, { tensor: t, offset, size: data.length });
      offset += data.length;
    }
    return t;
  };

  /** Matrices (stacked along rows when several) in a compact format: 16-bit pairs or int8 + scales. */
  const compact = async (names: string[], shape: number[]): Promise<Tensor> => {
    const parts = [];
    for (const name of names) {
      parts.push(await readMatrix(file, name, format));
      progress(name);
    }
    const m = parts.length > 1 ? stackMatrices(parts) : parts[0];
    const label = names.join(' + ');
    const words = await ctx.tensorChecked(shape, m.words, label, WEIGHT_DTYPE[format]);
    owned.push(words);
    const scale = m.scale && (await ctx.tensorChecked([m.rows], m.scale, `${label} scales`));
    const t = scale ? new Tensor(words.buffer, shape, words.dtype, scale) : words;
    if (scale) owned[owned.length - 1] = t; // released with its scales
    let offset = 0;
    parts.forEach((p, i) => {
      slices.set(names[i], { tensor: t, offset, size: p.rows * p.cols });
      offset += p.rows * p.cols;
    });
    return t;
  };
  const matrix = (names: string[], shape: number[]) =>
    format === 'f32' ? (names.length > 1 ? stack(names, shape) : upload(names[0])) : compact(names, shape);

  try {
    const norm = async (p: string): Promise<Norm> => ({ w: await upload(`${p}.weight`), b: await upload(`${p}.bias`) });
    const linear = async (p: string, shape: number[]): Promise<Linear> => ({
      w: await matrix([`${p}.weight`], shape),
      b: await upload(`${p}.bias`),
    });
    const layers = async (prefix: string, n: number, D: number, M: number): Promise<LayerWeights[]> => {
      const out: LayerWeights[] = [];
      for (let i = 0; i < n; i++) {
        const p = `${prefix}.encoder.layers.${i}`;
        const qkvNames = ['q', 'k', 'v'].map((x) => `${p}.self_attn.${x}_proj`);
        out.push({
          ln1: await norm(`${p}.layer_norm1`),
          qkv: {
            w: await matrix(
              qkvNames.map((n) => `${n}.weight`),
              [3 * D, D],
            ),
            b: await stack(
              qkvNames.map((n) => `${n}.bias`),
              [3 * D],
            ),
          },
          out: await linear(`${p}.self_attn.out_proj`, [D, D]),
          ln2: await norm(`${p}.layer_norm2`),
          fc1: await linear(`${p}.mlp.fc1`, [M, D]),
          fc2: await linear(`${p}.mlp.fc2`, [D, M]),
        });
      }
      return out;
    };

    const v = config.vision;
    const vision: VisionWeights = {
      patch: await matrix(
        ['vision_model.embeddings.patch_embedding.weight'],
        [v.hiddenSize, v.numChannels, v.patchSize, v.patchSize],
      ),
      cls: await upload('vision_model.embeddings.class_embedding'),
      pos: await upload('vision_model.embeddings.position_embedding.weight'),
      preLn: await norm('vision_model.pre_layrnorm'),
      layers: await layers('vision_model', v.numLayers, v.hiddenSize, v.intermediateSize),
      postLn: await norm('vision_model.post_layernorm'),
      proj: await matrix(['visual_projection.weight'], [config.projectionDim, v.hiddenSize]),
    };

    const t = config.text;
    const tokenName = 'text_model.embeddings.token_embedding.weight';
    // The table is packed like the matrices (the embedding kernel unpacks its rows): in F16 a 152 MB
    // L/14 table binds where llvmpipe's 128 MiB limit refuses the F32 one.
    const tokenValues = (file.info(tokenName).end - file.info(tokenName).begin) / itemSize(file.info(tokenName).dtype);
    const tokenBytes = tokenValues * BYTES_PER_VALUE[format];
    const tokensOnGpu = !options.tokenTableOnCpu && tokenBytes <= ctx.limits.maxStorageBufferBindingSize;
    const text: TextWeights = {
      tokens: tokensOnGpu ? await matrix([tokenName], [t.vocabSize, t.hiddenSize]) : null,
      tokensCpu: tokensOnGpu ? null : await read(tokenName),
      pos: await upload('text_model.embeddings.position_embedding.weight'),
      posCpu: tokensOnGpu ? null : await file.readF32('text_model.embeddings.position_embedding.weight'),
      layers: await layers('text_model', t.numLayers, t.hiddenSize, t.intermediateSize),
      finalLn: await norm('text_model.final_layer_norm'),
      proj: await matrix(['text_projection.weight'], [config.projectionDim, t.hiddenSize]),
    };
    // Kept on the GPU too, so that every tensor of the file can be read back and checked.
    const logitScale = (await uploadData('logit_scale'))[1][0];
    const bytes = owned.reduce((s, x) => s + x.byteLength + (x.scale?.byteLength ?? 0), 0);
    return { vision, text, logitScale, slices, bytes, format };
  } catch (e) {
    owned.forEach((t) => ctx.release(t));
    if (e instanceof ClipError) throw e;
    throw new ClipError('weights', `Loading ${file.name} failed: ${(e as Error).message}`, { cause: e });
  }
}

/** Free every GPU tensor of a loaded model. */
export function releaseClipWeights(ctx: GpuContext, w: ClipWeights): void {
  new Set([...w.slices.values()].map((s) => s.tensor)).forEach((t) => ctx.release(t));
  w.slices.clear();
}

function itemSize(dtype: string): number {
  return dtype === 'F32' ? 4 : dtype === 'F64' || dtype === 'I64' ? 8 : 2;
}
