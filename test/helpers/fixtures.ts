/** Paths and goldens of ../shared (beside the repository root, in CI too). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED = resolve(__dirname, '../../../shared');
export const TINY = resolve(SHARED, 'fixtures/tiny-clip');
export const TINY_IMAGES = [0, 1, 2, 3].map((i) => resolve(TINY, `images/img${i}.png`));

const cache = new Map<string, unknown>();
export function json<T = any>(path: string): T {
  if (!cache.has(path)) cache.set(path, JSON.parse(readFileSync(path, 'utf8')));
  return cache.get(path) as T;
}

export interface Golden {
  prompts: string[];
  input_ids: number[][];
  logit_scale: number;
  logit_scale_exp: number;
  image_embeds: number[][];
  text_embeds: number[][];
  logits_per_image: number[][];
  probs: number[][];
  text_eot_positions: number[];
  vision_image0: { embeddings: number[][]; hidden_states: number[][][]; pooled: number[] };
  text_prompt0: { hidden_states: number[][][]; last_hidden_state: number[][]; pooled: number[] };
  patch_similarity_image0: number[][];
  gradcam: Record<string, unknown>;
}

export const golden = (dtype: 'f32' | 'f16') => json<Golden>(resolve(TINY, `golden_${dtype}.json`));
