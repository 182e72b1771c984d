/**
 * What the shipped model must reach on held-out scenes. Issue 13's acceptance asks for 95% zero-shot
 * shape and colour, 80% pointing game and 70% detection (IoU >= 0.5). Where the model reaches it, the
 * acceptance value is asserted. Where it falls short, the value is a regression floor under the
 * measured one, marked OPEN, and the gap is written in weights/shapes-clip/README.md:
 * - shape: 20.0% measured (chance 20%): not learned in 600 steps; the test measures it, asserts nothing.
 * - pointing game (124 held-out named objects): relevance's map refined by the image (PAMR, WORLD_REFINE)
 *   and pooled per patch 76.6%; floor 0.7. Unrefined: Grad-CAM 39.5%, relevance (Chefer) 58.1%, LeGrad
 *   55.6%, CLIP Surgery 54.0%; floor 0.45 (LeGrad and Surgery in explanations.test.ts).
 * - detection: REACHED with relevance's map refined by PAMR: 74.2% (92 of 124, mean IoU 0.723);
 *   unrefined, LeGrad's map gave 29.0% (mean IoU 0.301), MaskCLIP values 14.5%.
 * The maps, the refinement (40 PAMR steps) and the thresholds were chosen on a validation world (seed
 * 2026302, 408 named objects: pointing 81.1%, detection 77.0%; scripts/measure/pamr-detect.measure.ts),
 * not on these scenes. (Detection with 10 PAMR steps, PAMR's default, was scored here first: 71.0%.)
 */
import { WORLD_REFINE } from '../../src/model/world/index.ts';

export const MEANING = {
  zeroShot: { colour: 0.95 },
  /** OPEN (acceptance 0.8): relevance refined by PAMR. */
  pointingGame: 0.7,
  pointingMethod: 'relevance' as const,
  /** The map refined by the image (PAMR, WORLD_REFINE) and pooled per patch before its peak is taken. */
  pointingRefine: WORLD_REFINE,
  /** OPEN: the unrefined maps of LeGrad and CLIP Surgery (explanations.test.ts). */
  pointingGameUnrefined: 0.45,
  /** Acceptance. */
  detection: 0.7,
  detectMode: 'relevance' as const,
  detectRefine: WORLD_REFINE,
};
