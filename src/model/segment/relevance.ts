/**
 * Segmentation from explanations (method 'relevance'): for each label, Chefer et al.'s relevance map
 * of its score (ICCV 2021; explain/record.ts, the backward that `gradcam(..., { method: 'relevance' })`
 * runs), scaled to its own maximum and weighted by the label's zero-shot probability for the view (the
 * softmax of logits_per_image over the labels), so that labels the view does not show fade. A pixel is
 * background where its best weighted map is below a share of the image's best (RELEVANCE_BACKGROUND).
 *
 * Why a gradient method among the dense heads: a model that tells shapes apart does it by attention
 * across patches, and its last block's patch tokens do not carry that (NACLIP's mIoU over the shipped
 * model's colours is 8.7); the gradient of the whole score does (weights/shapes-clip/README.md).
 * The price: one forward and backward per label and view, where the dense heads share one forward.
 */
import { relevanceMap, DEFAULT_LAYER } from '../explain/gradcam.ts';
import { recordExplanation } from '../explain/record.ts';
import type { ClipInternals } from '../internals.ts';

/**
 * Default background share: a pixel whose best weighted map is below half the image's best is
 * background. Chosen on a validation world (`world --n 100 --seed 2026303`, `eval --task segment
 * --classes colour --methods relevance --refine-steps 40 --threshold X`): shares 0.3 / 0.4 / 0.5 / 0.6
 * gave mIoU 33.4 / 35.9 / 38.9 / 37.3% refined (unrefined, 0.3 is best: 22.6%).
 */
export const RELEVANCE_BACKGROUND = 0.5;

/**
 * What `refine: true` means for relevance: 40 PAMR steps (the world's WORLD_REFINE), where the dense
 * heads take 10. Its maps peak on a few patches, and 10 steps leave the peak: on the playground's yellow
 * circle (world seed 27) at 64 px, 196 px, half the best map then covers 2 px; after 40 steps, 189.
 */
export const RELEVANCE_REFINE = { iterations: 40 } as const;

/**
 * Each label's relevance map [cells] over its own maximum, times the label's probability, softmax of
 * `scores` (logits_per_image of the view with every label): [labels][cells].
 */
export function weightRelevance(cams: readonly ArrayLike<number>[], scores: readonly number[]): Float32Array {
  const cells = cams[0]?.length ?? 0;
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const z = e.reduce((a, b) => a + b, 0);
  const out = new Float32Array(cams.length * cells);
  cams.forEach((cam, l) => {
    let max = 0;
    for (let i = 0; i < cells; i++) max = Math.max(max, cam[i]);
    const w = max > 0 ? e[l] / z / max : 0;
    for (let i = 0; i < cells; i++) out[l * cells + i] = cam[i] * w;
  });
  return out;
}

/** One view's weighted relevance maps: pixels [3, S, S] -> [labels][G][G], one pass per label. */
export async function relevanceMaps(
  access: ClipInternals,
  pixels: Float32Array,
  embeds: readonly Float32Array[],
): Promise<Float32Array> {
  const { config, ctx } = access;
  const S = config.vision.imageSize;
  const G = Math.floor(S / config.vision.patchSize);
  const L = config.vision.numLayers;
  const layer = L + Math.max(DEFAULT_LAYER.relevance, -L);
  const cams: Float32Array[] = [];
  const scores: number[] = [];
  for (const embed of embeds) {
    const pass = ctx.pass();
    const rec = recordExplanation(pass, {
      pixels: pass.input([1, 3, S, S], pixels),
      text: pass.input([1, embed.length], embed),
      w: access.weights.vision,
      cfg: config.vision,
      zeroIndex: access.zeros(1),
      logitScale: access.logitScale,
      layer,
      relevance: true,
    });
    const [score, R] = await pass.run([rec.score, rec.relevanceT!]);
    scores.push(score[0]);
    cams.push(relevanceMap(R, 1 + G * G));
  }
  return weightRelevance(cams, scores);
}
