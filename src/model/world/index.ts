/** The procedural captioned world: browser-safe scenes, captions and truth for training and tests. */
export * from './vocabulary.ts';
export { createRng, sceneSeed, type Rng } from './random.ts';
export {
  CAPTION_STYLES,
  CAPTION_TEMPLATES,
  ENSEMBLE_TEMPLATES,
  ZERO_SHOT_TEMPLATES,
  shapeCaption,
  zeroShotPrompts,
  type CaptionStyle,
  type CaptionTemplate,
} from './captions.ts';
export { generateScene, generateWorld, worldScenes, DEFAULT_SIZE, MIN_SIZE, MAX_SIZE, MAX_OBJECTS } from './scene.ts';
export type { Scene, SceneObject, SceneOptions, WorldOptions } from './scene.ts';
export type { Background } from './backgrounds.ts';
export { sceneTruth, type SceneTruth, type ObjectTruth } from './truth.ts';
export * from './scores.ts';
export { parseSpurious, checkSpurious, spuriousText, type Spurious } from './spurious.ts';
export * from './explanation-scores.ts';
export * from './segment-score.ts';
