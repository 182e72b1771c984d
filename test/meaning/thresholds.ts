/**
 * What the shipped model must reach on held-out scenes. Issue 13's acceptance asks for 95% zero-shot
 * shape and colour, 80% pointing game and 70% detection (IoU >= 0.5). Where the model reaches it, the
 * acceptance value is asserted. Where it falls short, the value is a regression floor under the
 * measured one, marked OPEN, and the gap is written in weights/shapes-clip/README.md:
 * - shape: 20.0% measured (chance 20%): not learned in 600 steps; the test measures it, asserts nothing.
 * - pointing game: Grad-CAM 39.5%, relevance (Chefer) 58.1%, LeGrad 55.6%, CLIP Surgery 54.0% measured
 *   (124 held-out named objects); floor 0.45 (relevance here; LeGrad and Surgery in explanations.test.ts).
 * - detection: REACHED with relevance's map refined by the image (PAMR, `refine`): 71.0% (88 of 124,
 *   mean IoU 0.69); unrefined, LeGrad's map gave 29.0% (mean IoU 0.301), MaskCLIP values 14.5%. The
 *   mode, the refinement and the default threshold were chosen on a validation world (seed 2026302,
 *   408 named objects: 73.0%; scripts/measure/pamr-detect.measure.ts), then these scenes scored once.
 */
export const MEANING = {
  zeroShot: { colour: 0.95 },
  /** OPEN (acceptance 0.8). */
  pointingGame: 0.45,
  pointingMethod: 'relevance' as const,
  /** Acceptance. */
  detection: 0.7,
  detectMode: 'relevance' as const,
  detectRefine: true,
};
