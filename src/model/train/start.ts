/**
 * Where a training run in a page starts: a copy of a loaded model (fine-tuning, so the model the
 * page shares stays as it is until the trained one is published) or CLIP's random init of a config.
 * Both become an F32 model of their own, loaded from in-memory files through ClipModel.load.
 */
import { ClipError } from '../../errors.ts';
import { ClipModel, type LoadOptions } from '../clip.ts';
import { clipConfigToHfJson, expectedClipTensors, type ClipConfig } from '../config.ts';
import { writeSafetensors } from '../safetensors/writer.ts';
import type { ClipTokenizer } from '../tokenizer/bpe.ts';
import { randomSafetensors } from './random-init.ts';

function loadFromMemory(
  name: string,
  config: ClipConfig,
  weights: Uint8Array,
  tokenizer: ClipTokenizer,
  options: LoadOptions,
): Promise<ClipModel> {
  return ClipModel.load(
    { name, config: clipConfigToHfJson(config), weights, tokenizer: tokenizer.toVocabMerges() },
    { precompile: false, ...options },
  );
}

/** A trainable F32 copy of `model`'s current weights (a compact-weights model is refused: its matrices are rounded). */
export async function trainableCopy(model: ClipModel, name: string, options: LoadOptions = {}): Promise<ClipModel> {
  if (model.weightFormat !== 'f32') {
    throw new ClipError(
      'input',
      `${model.name} holds its matrices as ${model.weightFormat}: training needs F32 weights (load it with { weights: 'f32' }).`,
    );
  }
  const tensors = [];
  for (const { name: t, shape } of expectedClipTensors(model.config))
    tensors.push({ name: t, shape, dtype: 'F32' as const, data: await model.readWeight(t) });
  return loadFromMemory(name, model.config, writeSafetensors(tensors, { format: 'pt' }), model.tokenizer, options);
}

/** A model of `config` with CLIP's random init (`random-model --init clip`'s values for the same seed). */
export function randomClipModel(
  config: ClipConfig,
  tokenizer: ClipTokenizer,
  name: string,
  seed = 0,
  options: LoadOptions = {},
): Promise<ClipModel> {
  return loadFromMemory(name, config, randomSafetensors(config, seed, 'clip'), tokenizer, options);
}
