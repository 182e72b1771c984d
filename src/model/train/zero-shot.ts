/**
 * Zero-shot accuracy on held-out world scenes while a model learns: single-object scenes scored
 * against one prompt per shape and one per colour (ZERO_SHOT_TEMPLATES, no ensembling), as the
 * acceptance tests of the shipped model score them.
 */
import type { ClipModel } from '../clip.ts';
import { generateWorld } from '../world/scene.ts';
import { zeroShotPrompts } from '../world/captions.ts';
import { COLOUR_NAMES, SHAPES, type Colour, type Shape } from '../world/vocabulary.ts';

export interface LabelledScene {
  /** [3, S, S] normalized pixels. */
  pixels: Float32Array;
  shape: Shape;
  colour: Colour;
}

export interface ZeroShotAccuracy {
  /** Share of scenes whose best shape prompt names their shape. */
  shape: number;
  colour: number;
  n: number;
}

/** `n` held-out single-object scenes of `seed` at the model's input size, preprocessed. */
export async function heldOutScenes(model: ClipModel, n: number, seed: number): Promise<LabelledScene[]> {
  const S = model.config.vision.imageSize;
  const scenes = generateWorld({ n, seed, size: S, objects: 1 });
  const prepared = await model.prepareImages(
    scenes.map((s) => ({ width: S, height: S, channels: 4 as const, data: s.pixels })),
  );
  return scenes.map((s, i) => ({ pixels: prepared[i].pixels, shape: s.objects[0].shape, colour: s.objects[0].colour }));
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const s = 1 / Math.sqrt(n || 1);
  return v.map((x) => x * s);
}

/** Index of the prompt with the highest cosine to `img`. */
function best(img: Float32Array, prompts: Float32Array[]): number {
  let arg = 0,
    top = -Infinity;
  prompts.forEach((t, j) => {
    let d = 0;
    for (let k = 0; k < t.length; k++) d += img[k] * t[k];
    if (d > top) [top, arg] = [d, j];
  });
  return arg;
}

export async function zeroShotAccuracy(model: ClipModel, scenes: readonly LabelledScene[]): Promise<ZeroShotAccuracy> {
  const images = (await model.encodePixels(scenes.map((s) => s.pixels))).map(unit);
  const shapes = (await model.encodeText(zeroShotPrompts('shape', SHAPES))).map(unit);
  const colours = (await model.encodeText(zeroShotPrompts('colour', COLOUR_NAMES))).map(unit);
  let shape = 0,
    colour = 0;
  scenes.forEach((s, i) => {
    if (SHAPES[best(images[i], shapes)] === s.shape) shape++;
    if (COLOUR_NAMES[best(images[i], colours)] === s.colour) colour++;
  });
  const n = scenes.length;
  return { shape: shape / n, colour: colour / n, n };
}
