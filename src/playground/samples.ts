/**
 * Sample images bundled with the classifier: small hand-drawn SVGs (a few kB in all; the library
 * build inlines them as data URLs). They are drawn into a canvas at 224 px before classifying,
 * since createImageBitmap cannot decode SVG.
 */
import apple from './samples/apple.svg';
import cat from './samples/cat.svg';
import sailboat from './samples/sailboat.svg';
import sunflower from './samples/sunflower.svg';
import { worldSamples } from './world-samples.ts';

export interface SampleImage {
  name: string;
  url: string;
  /** A scene of the procedural world (world-samples.ts): shown first while the shipped model is loaded. */
  world?: boolean;
}

export const SAMPLE_IMAGES: readonly SampleImage[] = [
  { name: 'cat', url: cat },
  { name: 'apple', url: apple },
  { name: 'sailboat', url: sailboat },
  { name: 'sunflower', url: sunflower },
];

export const SAMPLE_LABELS = ['cat', 'dog', 'apple', 'sailboat', 'sunflower', 'car'];

/** What elements offer by default: the world's scenes (drawn in the page) and the photos. */
export function defaultSamples(): readonly SampleImage[] {
  return [...worldSamples(), ...SAMPLE_IMAGES];
}

/** The samples an element offers: the world's scenes first for the shipped model, else the photos first. */
export function samplesFor(samples: readonly SampleImage[], shipped: boolean): SampleImage[] {
  const world = samples.filter((s) => s.world);
  const photos = samples.filter((s) => !s.world);
  return shipped ? [...world, ...photos] : [...photos, ...world];
}

/** The sample as a 224x224 canvas (opaque, like a photo). */
export async function sampleCanvas(url: string, size = 224): Promise<HTMLCanvasElement> {
  const img = new Image(size, size);
  img.src = url;
  await img.decode();
  const canvas = Object.assign(document.createElement('canvas'), { width: size, height: size });
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  ctx.drawImage(img, 0, 0, size, size);
  return canvas;
}
