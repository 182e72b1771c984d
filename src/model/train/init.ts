/**
 * CLIP's initialisation for training from scratch (open_clip's `init_parameters`, its text rules used
 * for both towers): the distribution of each HF tensor. The small uniform init of `random-model`'s
 * default (every matrix N(0, 0.02), logit scale ln 100) is for shapes and benchmarks: trained from it,
 * the tiny model stays at loss ln B for over 100 steps, while this init starts to learn within 50.
 */
import type { ClipConfig } from '../config.ts';

export interface InitRule {
  mean: number;
  std: number;
}

/** open_clip's starting logit scale, ln(1/0.07): HF's default logit_scale_init_value (2.6592). */
export const LOGIT_SCALE_INIT = Math.log(1 / 0.07);

export function clipInit(name: string, cfg: ClipConfig): InitRule {
  const tower = name.startsWith('vision_model') || name === 'visual_projection.weight' ? cfg.vision : cfg.text;
  const width = tower.hiddenSize;
  const attnStd = width ** -0.5;
  const projStd = attnStd * (2 * tower.numLayers) ** -0.5; // residual branches: out_proj, fc2
  const n = (std: number, mean = 0): InitRule => ({ mean, std });
  if (name === 'logit_scale') return n(0, cfg.logitScaleInit); // the config's logit_scale_init_value, as HF inits it
  if (/(layer_?norm\d?|layrnorm)\.weight$/.test(name)) return n(0, 1);
  if (name.endsWith('.bias')) return n(0);
  if (name.endsWith('token_embedding.weight')) return n(0.02);
  if (name === 'text_model.embeddings.position_embedding.weight') return n(0.01);
  if (/class_embedding$|vision_model\.embeddings\.position_embedding\.weight$/.test(name)) return n(width ** -0.5);
  if (name.endsWith('patch_embedding.weight')) return n((3 * cfg.vision.patchSize ** 2) ** -0.5); // fan_in^-1/2
  if (/self_attn\.(q|k|v)_proj\.weight$/.test(name)) return n(attnStd);
  if (/out_proj\.weight$|fc2\.weight$/.test(name)) return n(projStd);
  if (name.endsWith('fc1.weight')) return n((2 * width) ** -0.5);
  if (name.endsWith('projection.weight')) return n(width ** -0.5);
  throw new Error(`clipInit: no rule for ${name}`);
}
