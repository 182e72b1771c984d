import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ClipError } from '../src/errors.ts';
import {
  CLIP_PRESETS,
  checkConfigAgainstTensors,
  clipConfigToHfJson,
  clipPreset,
  expectedClipTensors,
  inferClipConfig,
  parseClipConfig,
} from '../src/model/config.ts';
import type { ClipConfig, TensorShapes } from '../src/model/config.ts';
import { SafetensorsFile } from '../src/model/safetensors/reader.ts';
import { FileSource } from '../src/node/file-source.ts';

const TINY = path.resolve(__dirname, '../../shared/fixtures/tiny-clip');
const tinyJson = JSON.parse(readFileSync(path.join(TINY, 'config.json'), 'utf8'));

function clipError(fn: () => unknown, code: string): ClipError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ClipError);
    expect((e as ClipError).code).toBe(code);
    return e as ClipError;
  }
  throw new Error('expected a ClipError');
}

const shapesOf = (c: ClipConfig): Map<string, { shape: number[] }> =>
  new Map(expectedClipTensors(c).map((t) => [t.name, { shape: t.shape }]));

const openTiny = (file = 'model.safetensors') => SafetensorsFile.open(new FileSource(path.join(TINY, file)));

describe('parseClipConfig', () => {
  it('parses the tiny fixture config', () => {
    expect(parseClipConfig(tinyJson)).toEqual({
      vision: {
        hiddenSize: 64,
        intermediateSize: 256,
        numLayers: 2,
        numHeads: 4,
        imageSize: 64,
        patchSize: 16,
        numChannels: 3,
        layerNormEps: 1e-5,
        hiddenAct: 'quick_gelu',
      },
      text: {
        hiddenSize: 64,
        intermediateSize: 256,
        numLayers: 2,
        numHeads: 4,
        vocabSize: 49408,
        maxPositions: 77,
        layerNormEps: 1e-5,
        hiddenAct: 'quick_gelu',
        eosTokenId: 2,
      },
      projectionDim: 32,
      logitScaleInit: 2.6592,
    });
    expect(parseClipConfig(tinyJson)).toEqual(CLIP_PRESETS.tiny);
  });

  it('merges *_config_dict over *_config (old ViT-L/14 configs)', () => {
    const json = {
      model_type: 'clip',
      projection_dim: 768,
      logit_scale_init_value: 2.6592,
      // Defaults here, the real sizes in the dicts: the dicts win.
      text_config: {
        hidden_size: 512,
        intermediate_size: 2048,
        num_attention_heads: 8,
        num_hidden_layers: 12,
        eos_token_id: 2,
      },
      text_config_dict: {
        hidden_size: 768,
        intermediate_size: 3072,
        num_attention_heads: 12,
        num_hidden_layers: 12,
        projection_dim: 768,
      },
      vision_config: { hidden_size: 768, patch_size: 32 },
      vision_config_dict: {
        hidden_size: 1024,
        intermediate_size: 4096,
        num_attention_heads: 16,
        num_hidden_layers: 24,
        patch_size: 14,
        image_size: 224,
      },
    };
    expect(parseClipConfig(json)).toEqual(CLIP_PRESETS['ViT-L/14']);
  });

  it('uses HF defaults for absent keys', () => {
    const c = parseClipConfig({});
    expect(c).toEqual({ ...CLIP_PRESETS['ViT-B/32'], text: { ...CLIP_PRESETS['ViT-B/32'].text, eosTokenId: 49407 } });
  });

  it('accepts gelu, rejects other activations and bad values', () => {
    expect(parseClipConfig({ vision_config: { hidden_act: 'gelu' } }).vision.hiddenAct).toBe('gelu');
    expect(clipError(() => parseClipConfig({ text_config: { hidden_act: 'gelu_new' } }), 'config').message).toMatch(
      /text_config\.hidden_act = "gelu_new" is not supported/,
    );
    expect(clipError(() => parseClipConfig({ vision_config: { hidden_act: 'relu' } }), 'config').message).toMatch(
      /vision_config\.hidden_act/,
    );
    expect(clipError(() => parseClipConfig([]), 'config').message).toMatch(/not a JSON object/);
    expect(clipError(() => parseClipConfig({ model_type: 'siglip' }), 'config').message).toMatch(/model_type "siglip"/);
    expect(
      clipError(() => parseClipConfig({ vision_config: { hidden_size: 100, num_attention_heads: 12 } }), 'config')
        .message,
    ).toMatch(/hidden_size 100 is not divisible by num_attention_heads 12/);
    expect(clipError(() => parseClipConfig({ text_config: { num_hidden_layers: '12' } }), 'config').message).toMatch(
      /num_hidden_layers must be an integer/,
    );
    expect(clipError(() => parseClipConfig({ vision_config: { image_size: 100 } }), 'config').message).toMatch(
      /image_size 100 is not a multiple of patch_size 32/,
    );
  });

  it('round-trips every preset through the HF json', () => {
    for (const c of Object.values(CLIP_PRESETS))
      expect(parseClipConfig(JSON.parse(JSON.stringify(clipConfigToHfJson(c))))).toEqual(c);
    expect(clipPreset('ViT-B/16').vision.patchSize).toBe(16);
    expect(clipError(() => clipPreset('ViT-H/14'), 'input').message).toMatch(/unknown CLIP preset "ViT-H\/14"/);
  });
});

describe('expectedClipTensors', () => {
  it('matches the tiny fixture exactly (apart from position_ids)', async () => {
    const f = await openTiny();
    const inFile = [...f.tensors]
      .filter(([n]) => !n.endsWith('position_ids'))
      .map(([name, t]) => ({ name, shape: t.shape }));
    const sort = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(expectedClipTensors(CLIP_PRESETS.tiny).sort(sort)).toEqual(inFile.sort(sort));
  });

  it('gives the known parameter counts of the OpenAI models', () => {
    const params = (c: ClipConfig) =>
      expectedClipTensors(c).reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
    expect(params(CLIP_PRESETS['ViT-B/32'])).toBe(151_277_313);
    expect(params(CLIP_PRESETS['ViT-B/16'])).toBe(149_620_737);
    expect(params(CLIP_PRESETS['ViT-L/14'])).toBe(427_616_513);
  });
});

describe('checkConfigAgainstTensors', () => {
  it('accepts both fixture files', async () => {
    const config = parseClipConfig(tinyJson);
    for (const file of ['model.safetensors', 'model-f16.safetensors']) {
      checkConfigAgainstTensors(config, (await openTiny(file)).tensors, file);
    }
  });

  it('names a missing tensor with its expected shape and the file', () => {
    const shapes = shapesOf(CLIP_PRESETS.tiny);
    shapes.delete('text_model.encoder.layers.1.mlp.fc2.bias');
    expect(
      clipError(() => checkConfigAgainstTensors(CLIP_PRESETS.tiny, shapes, 'weights/x/model.safetensors'), 'weights')
        .message,
    ).toBe(
      'missing tensor text_model.encoder.layers.1.mlp.fc2.bias (expected shape [64]) in weights/x/model.safetensors',
    );
    shapes.delete('logit_scale');
    expect(clipError(() => checkConfigAgainstTensors(CLIP_PRESETS.tiny, shapes), 'weights').message).toMatch(
      /\(and 1 more problem\)$/,
    );
  });

  it('names a misshapen tensor with expected and found shapes', () => {
    const shapes = shapesOf(CLIP_PRESETS.tiny);
    shapes.set('visual_projection.weight', { shape: [64, 32] });
    expect(clipError(() => checkConfigAgainstTensors(CLIP_PRESETS.tiny, shapes), 'weights').message).toBe(
      'tensor visual_projection.weight in model.safetensors has shape [64, 32], expected [32, 64] from the config',
    );
    const scalar = shapesOf(CLIP_PRESETS.tiny);
    scalar.set('logit_scale', { shape: [1] });
    expect(clipError(() => checkConfigAgainstTensors(CLIP_PRESETS.tiny, scalar), 'weights').message).toMatch(
      /logit_scale .* \[1\], expected \[\]/,
    );
  });

  it('catches a config with fewer or more layers than the file', async () => {
    const tensors = (await openTiny()).tensors;
    const fewer = structuredClone(CLIP_PRESETS.tiny);
    fewer.vision.numLayers = 1;
    expect(clipError(() => checkConfigAgainstTensors(fewer, tensors), 'weights').message).toMatch(
      /unexpected tensor vision_model\.encoder\.layers\.1\..* the config has only 1 vision layers/,
    );
    const more = structuredClone(CLIP_PRESETS.tiny);
    more.text.numLayers = 3;
    expect(clipError(() => checkConfigAgainstTensors(more, tensors), 'weights').message).toMatch(
      /^missing tensor text_model\.encoder\.layers\.2\.self_attn\.q_proj\.weight \(expected shape \[64, 64\]\)/,
    );
  });

  it('says when a file is not an HF CLIPModel checkpoint', () => {
    const openai: TensorShapes = new Map([
      ['visual.conv1.weight', { shape: [768, 3, 32, 32] }],
      ['token_embedding.weight', { shape: [49408, 512] }],
    ]);
    const msg = clipError(
      () => checkConfigAgainstTensors(CLIP_PRESETS['ViT-B/32'], openai, 'clip.safetensors'),
      'weights',
    ).message;
    expect(msg).toMatch(
      /clip\.safetensors: this does not look like a Hugging Face CLIPModel checkpoint: no tensor named vision_model\.\*/,
    );
    expect(msg).toMatch(/OpenAI\/open_clip/);
    expect(
      clipError(() => inferClipConfig(new Map([['bert.embeddings.weight', { shape: [1] }]])), 'weights').message,
    ).toMatch(/does not look like a Hugging Face CLIPModel checkpoint/);
  });
});

describe('inferClipConfig', () => {
  it('infers the tiny fixture sizes (heads = hidden/64)', async () => {
    const inferred = inferClipConfig((await openTiny()).tensors);
    const want = structuredClone(CLIP_PRESETS.tiny);
    want.vision.numHeads = want.text.numHeads = 1; // the fixture really has 4: heads are not in the weights
    expect(inferred).toEqual(want);
  });

  it('recovers the OpenAI presets exactly from their shapes', () => {
    for (const name of ['ViT-B/32', 'ViT-B/16', 'ViT-L/14'] as const) {
      expect(inferClipConfig(shapesOf(CLIP_PRESETS[name])), name).toEqual(CLIP_PRESETS[name]);
    }
  });

  it('says what is missing', () => {
    const shapes = shapesOf(CLIP_PRESETS.tiny);
    shapes.delete('visual_projection.weight');
    expect(clipError(() => inferClipConfig(shapes, 'm.safetensors'), 'weights').message).toBe(
      'missing tensor visual_projection.weight in m.safetensors: cannot infer the model size',
    );
  });
});
