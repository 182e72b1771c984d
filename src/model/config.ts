/**
 * CLIP configuration: parsed from a Hugging Face `config.json`, or inferred from tensor shapes,
 * and the list of HF `CLIPModel` tensors (names + shapes) that a config implies.
 */
import { ClipError } from '../errors.ts';

export type HiddenAct = 'quick_gelu' | 'gelu';

export interface ClipVisionConfig {
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  imageSize: number;
  patchSize: number;
  numChannels: number;
  layerNormEps: number;
  hiddenAct: HiddenAct;
}

export interface ClipTextConfig {
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  vocabSize: number;
  maxPositions: number;
  layerNormEps: number;
  hiddenAct: HiddenAct;
  /** HF's legacy value 2 means "pool at argmax(ids)"; otherwise pool at the first eos id. */
  eosTokenId: number;
}

export interface ClipConfig {
  vision: ClipVisionConfig;
  text: ClipTextConfig;
  projectionDim: number;
  logitScaleInit: number;
}

// transformers' CLIPTextConfig / CLIPVisionConfig / CLIPConfig defaults, for keys a config.json omits.
const HF_TEXT_DEFAULTS = {
  hidden_size: 512,
  intermediate_size: 2048,
  num_hidden_layers: 12,
  num_attention_heads: 8,
  vocab_size: 49408,
  max_position_embeddings: 77,
  layer_norm_eps: 1e-5,
  hidden_act: 'quick_gelu',
  eos_token_id: 49407,
};
const HF_VISION_DEFAULTS = {
  hidden_size: 768,
  intermediate_size: 3072,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  image_size: 224,
  patch_size: 32,
  num_channels: 3,
  layer_norm_eps: 1e-5,
  hidden_act: 'quick_gelu',
};
const HF_DEFAULTS = { projection_dim: 512, logit_scale_init_value: 2.6592 };

/**
 * Largest sizes we accept, far above any CLIP (ViT-bigG: 48 layers, width 1664, MLP 8192): a config
 * beyond them is corrupt, and would otherwise make us list a billion layers' tensors.
 */
const LIMITS: Readonly<Record<string, number>> = {
  hidden_size: 65_536,
  intermediate_size: 262_144,
  num_hidden_layers: 1_024,
  num_attention_heads: 1_024,
  image_size: 16_384,
  patch_size: 16_384,
  num_channels: 64,
  vocab_size: 10_000_000,
  max_position_embeddings: 65_536,
  projection_dim: 65_536,
  eos_token_id: 10_000_000,
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function section(root: Json, key: 'text' | 'vision', file: string): Json {
  const out: Json = {};
  // Older configs (e.g. openai/clip-vit-large-patch14) keep defaults in `*_config` and the real
  // sizes in `*_config_dict`: the dict wins, as in transformers.
  for (const k of [`${key}_config`, `${key}_config_dict`]) {
    const v = root[k];
    if (v === undefined || v === null) continue;
    if (!isObject(v)) throw new ClipError('config', `${file}: "${k}" is not an object`);
    Object.assign(out, v);
  }
  return out;
}

function reader(obj: Json, defaults: Json, where: string) {
  const get = (k: string) => obj[k] ?? defaults[k];
  return {
    int(k: string, min = 1): number {
      const v = get(k);
      const max = LIMITS[k] ?? Number.MAX_SAFE_INTEGER;
      if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) {
        throw new ClipError(
          'config',
          `${where}.${k} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`,
        );
      }
      return v as number;
    },
    num(k: string, positive = false): number {
      const v = get(k);
      if (typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0)) {
        throw new ClipError(
          'config',
          `${where}.${k} must be a ${positive ? 'positive ' : ''}number, got ${JSON.stringify(v)}`,
        );
      }
      return v;
    },
    act(k: string): HiddenAct {
      const v = get(k);
      if (v !== 'quick_gelu' && v !== 'gelu') {
        throw new ClipError(
          'config',
          `${where}.${k} = ${JSON.stringify(v)} is not supported (only "quick_gelu" and "gelu")`,
        );
      }
      return v;
    },
  };
}

function checkHeads(where: string, hidden: number, heads: number): void {
  if (hidden % heads !== 0) {
    throw new ClipError('config', `${where}: hidden_size ${hidden} is not divisible by num_attention_heads ${heads}`);
  }
}

/** Parses a Hugging Face CLIP `config.json` (already JSON-parsed). */
export function parseClipConfig(json: unknown, file = 'config.json'): ClipConfig {
  if (!isObject(json)) throw new ClipError('config', `${file} is not a JSON object`);
  const mt = json.model_type;
  if (mt !== undefined && mt !== 'clip') {
    throw new ClipError('config', `${file}: model_type ${JSON.stringify(mt)} is not supported (expected "clip")`);
  }
  const t = reader(section(json, 'text', file), HF_TEXT_DEFAULTS, `${file} text_config`);
  const v = reader(section(json, 'vision', file), HF_VISION_DEFAULTS, `${file} vision_config`);
  const top = reader(json, HF_DEFAULTS, file);
  const config: ClipConfig = {
    vision: {
      hiddenSize: v.int('hidden_size'),
      intermediateSize: v.int('intermediate_size'),
      numLayers: v.int('num_hidden_layers'),
      numHeads: v.int('num_attention_heads'),
      imageSize: v.int('image_size'),
      patchSize: v.int('patch_size'),
      numChannels: v.int('num_channels'),
      layerNormEps: v.num('layer_norm_eps', true),
      hiddenAct: v.act('hidden_act'),
    },
    text: {
      hiddenSize: t.int('hidden_size'),
      intermediateSize: t.int('intermediate_size'),
      numLayers: t.int('num_hidden_layers'),
      numHeads: t.int('num_attention_heads'),
      vocabSize: t.int('vocab_size'),
      maxPositions: t.int('max_position_embeddings'),
      layerNormEps: t.num('layer_norm_eps', true),
      hiddenAct: t.act('hidden_act'),
      eosTokenId: t.int('eos_token_id', 0),
    },
    projectionDim: top.int('projection_dim'),
    logitScaleInit: top.num('logit_scale_init_value'),
  };
  checkHeads(`${file} vision_config`, config.vision.hiddenSize, config.vision.numHeads);
  checkHeads(`${file} text_config`, config.text.hiddenSize, config.text.numHeads);
  if (config.vision.imageSize % config.vision.patchSize !== 0) {
    throw new ClipError(
      'config',
      `${file}: image_size ${config.vision.imageSize} is not a multiple of patch_size ${config.vision.patchSize}`,
    );
  }
  return config;
}

/** The inverse of parseClipConfig: an HF-style config.json object. */
export function clipConfigToHfJson(c: ClipConfig): Json {
  return {
    architectures: ['CLIPModel'],
    model_type: 'clip',
    projection_dim: c.projectionDim,
    logit_scale_init_value: c.logitScaleInit,
    initializer_factor: 1.0,
    text_config: {
      model_type: 'clip_text_model',
      hidden_size: c.text.hiddenSize,
      intermediate_size: c.text.intermediateSize,
      num_hidden_layers: c.text.numLayers,
      num_attention_heads: c.text.numHeads,
      vocab_size: c.text.vocabSize,
      max_position_embeddings: c.text.maxPositions,
      layer_norm_eps: c.text.layerNormEps,
      hidden_act: c.text.hiddenAct,
      eos_token_id: c.text.eosTokenId,
      projection_dim: c.projectionDim,
    },
    vision_config: {
      model_type: 'clip_vision_model',
      hidden_size: c.vision.hiddenSize,
      intermediate_size: c.vision.intermediateSize,
      num_hidden_layers: c.vision.numLayers,
      num_attention_heads: c.vision.numHeads,
      image_size: c.vision.imageSize,
      patch_size: c.vision.patchSize,
      num_channels: c.vision.numChannels,
      layer_norm_eps: c.vision.layerNormEps,
      hidden_act: c.vision.hiddenAct,
      projection_dim: c.projectionDim,
    },
    torch_dtype: 'float32',
  };
}

// --- presets (OpenAI's checkpoints; eos_token_id 2 as in their HF configs) ---

export type ClipPresetName = 'tiny' | 'ViT-B/32' | 'ViT-B/16' | 'ViT-L/14';

function preset(v: Partial<ClipVisionConfig>, t: Partial<ClipTextConfig>, projectionDim: number): ClipConfig {
  return {
    vision: {
      hiddenSize: 768,
      intermediateSize: 3072,
      numLayers: 12,
      numHeads: 12,
      imageSize: 224,
      patchSize: 32,
      numChannels: 3,
      layerNormEps: 1e-5,
      hiddenAct: 'quick_gelu',
      ...v,
    },
    text: {
      hiddenSize: 512,
      intermediateSize: 2048,
      numLayers: 12,
      numHeads: 8,
      vocabSize: 49408,
      maxPositions: 77,
      layerNormEps: 1e-5,
      hiddenAct: 'quick_gelu',
      eosTokenId: 2,
      ...t,
    },
    projectionDim,
    logitScaleInit: 2.6592,
  };
}

export const CLIP_PRESETS: Readonly<Record<ClipPresetName, ClipConfig>> = {
  // Same sizes as shared/fixtures/tiny-clip.
  tiny: preset(
    { hiddenSize: 64, intermediateSize: 256, numLayers: 2, numHeads: 4, imageSize: 64, patchSize: 16 },
    { hiddenSize: 64, intermediateSize: 256, numLayers: 2, numHeads: 4 },
    32,
  ),
  'ViT-B/32': preset({}, {}, 512),
  'ViT-B/16': preset({ patchSize: 16 }, {}, 512),
  'ViT-L/14': preset(
    { hiddenSize: 1024, intermediateSize: 4096, numLayers: 24, numHeads: 16, patchSize: 14 },
    { hiddenSize: 768, intermediateSize: 3072, numHeads: 12 },
    768,
  ),
};

export function clipPreset(name: string): ClipConfig {
  const c = (CLIP_PRESETS as Record<string, ClipConfig>)[name];
  if (!c)
    throw new ClipError('input', `unknown CLIP preset "${name}" (known: ${Object.keys(CLIP_PRESETS).join(', ')})`);
  return structuredClone(c);
}

// --- tensors ---

export interface ExpectedTensor {
  name: string;
  shape: number[];
}
/** What the checks need to know about a tensor: SafetensorsFile.tensors fits. */
export type TensorShapes = ReadonlyMap<string, { shape: readonly number[]; dtype?: string }>;

function encoderTensors(prefix: string, layers: number, d: number, mlp: number): ExpectedTensor[] {
  const out: ExpectedTensor[] = [];
  for (let i = 0; i < layers; i++) {
    const p = `${prefix}.encoder.layers.${i}`;
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
      out.push(
        { name: `${p}.self_attn.${proj}.weight`, shape: [d, d] },
        { name: `${p}.self_attn.${proj}.bias`, shape: [d] },
      );
    }
    out.push(
      ...layerNorm(`${p}.layer_norm1`, d),
      ...layerNorm(`${p}.layer_norm2`, d),
      { name: `${p}.mlp.fc1.weight`, shape: [mlp, d] },
      { name: `${p}.mlp.fc1.bias`, shape: [mlp] },
      { name: `${p}.mlp.fc2.weight`, shape: [d, mlp] },
      { name: `${p}.mlp.fc2.bias`, shape: [d] },
    );
  }
  return out;
}

function layerNorm(name: string, d: number): ExpectedTensor[] {
  return [
    { name: `${name}.weight`, shape: [d] },
    { name: `${name}.bias`, shape: [d] },
  ];
}

/** Every tensor of an HF CLIPModel with this config, in a stable order (vision, text, heads). */
export function expectedClipTensors(c: ClipConfig): ExpectedTensor[] {
  const { vision: v, text: t } = c;
  const grid = v.imageSize / v.patchSize;
  return [
    { name: 'vision_model.embeddings.class_embedding', shape: [v.hiddenSize] },
    {
      name: 'vision_model.embeddings.patch_embedding.weight',
      shape: [v.hiddenSize, v.numChannels, v.patchSize, v.patchSize],
    },
    { name: 'vision_model.embeddings.position_embedding.weight', shape: [1 + grid * grid, v.hiddenSize] },
    ...layerNorm('vision_model.pre_layrnorm', v.hiddenSize), // sic: HF's spelling
    ...encoderTensors('vision_model', v.numLayers, v.hiddenSize, v.intermediateSize),
    ...layerNorm('vision_model.post_layernorm', v.hiddenSize),
    { name: 'text_model.embeddings.token_embedding.weight', shape: [t.vocabSize, t.hiddenSize] },
    { name: 'text_model.embeddings.position_embedding.weight', shape: [t.maxPositions, t.hiddenSize] },
    ...encoderTensors('text_model', t.numLayers, t.hiddenSize, t.intermediateSize),
    ...layerNorm('text_model.final_layer_norm', t.hiddenSize),
    { name: 'visual_projection.weight', shape: [c.projectionDim, v.hiddenSize] },
    { name: 'text_projection.weight', shape: [c.projectionDim, t.hiddenSize] },
    { name: 'logit_scale', shape: [] },
  ];
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Throws unless `tensors` looks like an HF CLIPModel checkpoint at all. */
function assertLooksLikeClip(tensors: TensorShapes, file: string): void {
  const names = [...tensors.keys()];
  if (names.some((n) => n.startsWith('vision_model.'))) return;
  let hint = '';
  if (names.some((n) => n.startsWith('visual.') || n === 'token_embedding.weight')) {
    hint = ' (it looks like an OpenAI/open_clip checkpoint: convert it to the Hugging Face format first)';
  } else if (names.some((n) => n.startsWith('clip_model.') || n.startsWith('model.vision_model.'))) {
    hint = ' (the tensor names have an extra prefix: save the inner CLIPModel)';
  }
  throw new ClipError(
    'weights',
    `${file}: this does not look like a Hugging Face CLIPModel checkpoint: no tensor named vision_model.*${hint}`,
  );
}

/**
 * Every expected tensor present with its expected shape, and no encoder layers beyond the
 * config's count (a config/checkpoint mismatch). Other extras, e.g. `*.position_ids`, are ignored.
 */
export function checkConfigAgainstTensors(c: ClipConfig, tensors: TensorShapes, file = 'model.safetensors'): void {
  assertLooksLikeClip(tensors, file);
  const problems: string[] = [];
  for (const e of expectedClipTensors(c)) {
    const t = tensors.get(e.name);
    if (!t) problems.push(`missing tensor ${e.name} (expected shape ${fmt(e.shape)}) in ${file}`);
    else if (t.shape.length !== e.shape.length || t.shape.some((x, i) => x !== e.shape[i])) {
      problems.push(`tensor ${e.name} in ${file} has shape ${fmt(t.shape)}, expected ${fmt(e.shape)} from the config`);
    } else if (t.dtype === 'I8' && !tensors.has(`${e.name}_scale`)) {
      problems.push(
        `tensor ${e.name} in ${file} is I8 without its scales ${e.name}_scale (a converted folder keeps them beside it)`,
      );
    } else if (t.dtype !== undefined && !['F32', 'F16', 'BF16', 'F64', 'I8'].includes(t.dtype)) {
      problems.push(`tensor ${e.name} in ${file} is ${t.dtype}, expected a float dtype`);
    }
  }
  for (const name of tensors.keys()) {
    const m = /^(vision|text)_model\.encoder\.layers\.(\d+)\./.exec(name);
    const layers = m && (m[1] === 'vision' ? c.vision.numLayers : c.text.numLayers);
    if (m && Number(m[2]) >= layers!) {
      problems.push(`unexpected tensor ${name} in ${file}: the config has only ${layers} ${m[1]} layers`);
      break;
    }
  }
  if (problems.length) {
    const more =
      problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new ClipError('weights', problems[0] + more);
  }
}

/**
 * Sizes from tensor shapes, for a checkpoint without config.json. Heads cannot be seen in the
 * weights: hidden/64, as in every OpenAI CLIP. Activation, eps and eos are OpenAI's.
 */
export function inferClipConfig(tensors: TensorShapes, file = 'model.safetensors'): ClipConfig {
  assertLooksLikeClip(tensors, file);
  const shape = (name: string): readonly number[] => {
    const t = tensors.get(name);
    if (!t) throw new ClipError('weights', `missing tensor ${name} in ${file}: cannot infer the model size`);
    return t.shape;
  };
  const layerCount = (prefix: string) => {
    let max = -1;
    for (const n of tensors.keys()) {
      const m = new RegExp(`^${prefix}\\.encoder\\.layers\\.(\\d+)\\.`).exec(n);
      if (m) max = Math.max(max, Number(m[1]));
    }
    if (max < 0) throw new ClipError('weights', `no ${prefix}.encoder.layers.* tensors in ${file}`);
    if (max >= LIMITS.num_hidden_layers) {
      throw new ClipError(
        'weights',
        `${file} names ${prefix} layer ${max}; more than ${LIMITS.num_hidden_layers} layers is not a CLIP checkpoint`,
      );
    }
    return max + 1;
  };
  const heads = (hidden: number, tower: string) => {
    if (hidden % 64 !== 0) {
      throw new ClipError(
        'config',
        `cannot infer the ${tower} attention heads (hidden size ${hidden} is not a multiple of 64): provide config.json`,
      );
    }
    return hidden / 64;
  };
  const [dv, channels, patch] = shape('vision_model.embeddings.patch_embedding.weight');
  const positions = shape('vision_model.embeddings.position_embedding.weight')[0];
  const grid = Math.round(Math.sqrt(positions - 1));
  if (grid * grid !== positions - 1) {
    throw new ClipError(
      'weights',
      `${file}: vision position_embedding has ${positions} rows, not 1 + a square number of patches`,
    );
  }
  const [vocab, dt] = shape('text_model.embeddings.token_embedding.weight');
  const inferred: ClipConfig = {
    vision: {
      hiddenSize: dv,
      intermediateSize: shape('vision_model.encoder.layers.0.mlp.fc1.weight')[0],
      numLayers: layerCount('vision_model'),
      numHeads: heads(dv, 'vision'),
      imageSize: grid * patch,
      patchSize: patch,
      numChannels: channels,
      layerNormEps: 1e-5,
      hiddenAct: 'quick_gelu',
    },
    text: {
      hiddenSize: dt,
      intermediateSize: shape('text_model.encoder.layers.0.mlp.fc1.weight')[0],
      numLayers: layerCount('text_model'),
      numHeads: heads(dt, 'text'),
      vocabSize: vocab,
      maxPositions: shape('text_model.embeddings.position_embedding.weight')[0],
      layerNormEps: 1e-5,
      hiddenAct: 'quick_gelu',
      eosTokenId: 2, // 2: argmax pooling, as OpenAI
    },
    projectionDim: shape('visual_projection.weight')[0],
    logitScaleInit: HF_DEFAULTS.logit_scale_init_value,
  };
  // Shapes of empty tensors can claim any size: the inferred sizes pass the same checks as a config.json.
  return parseClipConfig(clipConfigToHfJson(inferred), `${file} (sizes inferred from its tensors)`);
}
