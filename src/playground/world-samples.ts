/**
 * Sample scenes from the procedural world (src/model/world), for the shipped model that was trained on
 * it: drawn in the page at 224 px from fixed seeds (the same pixels on every machine), a few ms each,
 * once per page. One scene per shape, then two two-object scenes for detection and Grad-CAM.
 */
import { createRng, generateScene, type SceneOptions } from '../model/world/index.ts';
import type { SampleImage } from './samples.ts';

/** Seeds picked once so that the row shows every shape in a different colour (see the names). */
const SCENES: readonly { seed: number; objects: SceneOptions['objects'] }[] = [
  { seed: 27, objects: 1 },
  { seed: 12, objects: 1 },
  { seed: 6, objects: 1 },
  { seed: 19, objects: 1 },
  { seed: 14, objects: 1 },
  { seed: 17, objects: 2 },
  { seed: 21, objects: 2 },
];

export const WORLD_SAMPLE_SIZE = 224;

let drawn: SampleImage[] | null = null;

/** The world's sample scenes as PNG data URLs, named by what they hold ("yellow circle"). */
export function worldSamples(): readonly SampleImage[] {
  if (drawn) return drawn;
  if (typeof document === 'undefined') return [];
  drawn = SCENES.map(({ seed, objects }) => {
    const scene = generateScene(createRng(seed), { size: WORLD_SAMPLE_SIZE, objects });
    const canvas = Object.assign(document.createElement('canvas'), { width: scene.size, height: scene.size });
    canvas
      .getContext('2d')!
      .putImageData(new ImageData(new Uint8ClampedArray(scene.pixels), scene.size, scene.size), 0, 0);
    const name = scene.objects.map((o) => `${o.colour} ${o.shape}`).join(' and ');
    return { name, url: canvas.toDataURL('image/png'), world: true };
  });
  return drawn;
}
