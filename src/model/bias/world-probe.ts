/**
 * The probe set of the world-backgrounds bias preset: single-object world scenes, each drawn twice,
 * once on a dark and once on a light background (TONE_GROUPS), with the same number of scenes of each
 * shape. The pairs differ only in the background, so a model that says "triangle" more often on dark
 * scenes learned the background, not the shape: the synthetic analogue of the CLIP paper's §7.1 probes,
 * for a model trained on `world --spurious triangle:dark=0.9` (and its control).
 */
import { ClipError } from '../../errors.ts';
import { createRng, generateScene, sceneSeed } from '../world/index.ts';
import { SHAPES, TONE_GROUP_NAMES, type Shape, type ToneGroup } from '../world/vocabulary.ts';
import type { ImageItem } from './images.ts';

export interface ToneProbeOptions {
  /** Scenes per shape (each drawn on both tones; default 20). */
  perShape?: number;
  /** World seed of the scenes (default 0x5eed, apart from the training worlds' usual small seeds). */
  seed?: number;
  /** Image side in pixels (default 64). */
  size?: number;
  /** The shapes drawn (default all); e.g. leave out the spurious shape to count only false "triangle"s. */
  shapes?: readonly Shape[];
}

export interface ToneProbeScene {
  /** "dark/circle-03". */
  id: string;
  group: ToneGroup;
  shape: Shape;
  size: number;
  /** RGBA, size x size. */
  pixels: Uint8ClampedArray;
}

export const TONE_PROBE_DEFAULTS = { perShape: 20, seed: 0x5eed, size: 64 } as const;

/** The balanced, paired probe scenes: every dark scene first, then the same scenes on light. */
export function toneProbeScenes(options: ToneProbeOptions = {}): ToneProbeScene[] {
  const { perShape, seed, size } = { ...TONE_PROBE_DEFAULTS, ...options };
  const shapes = [...(options.shapes ?? SHAPES)];
  if (!Number.isInteger(perShape) || perShape < 1 || perShape > 10_000)
    throw new ClipError('input', `probe scenes per shape must be from 1 to 10000, got ${perShape}`);
  if (shapes.length === 0 || shapes.some((s) => !(SHAPES as readonly string[]).includes(s)))
    throw new ClipError('input', `probe shapes must be some of ${SHAPES.join(', ')}, got ${shapes.join(', ')}`);
  const count = new Map(shapes.map((s) => [s, 0]));
  const kept: { index: number; shape: Shape }[] = [];
  // Scene i is the world's scene i: keep the first `perShape` of each shape (about 5 * perShape tries).
  for (let i = 0; kept.length < shapes.length * perShape; i++) {
    const scene = generateScene(createRng(sceneSeed(seed, i)), { size, objects: 1, toneGroup: 'dark' });
    const shape = scene.objects[0].shape;
    const n = count.get(shape);
    if (n === undefined || n >= perShape) continue;
    count.set(shape, n + 1);
    kept.push({ index: i, shape });
  }
  kept.sort((a, b) => shapes.indexOf(a.shape) - shapes.indexOf(b.shape) || a.index - b.index);
  return TONE_GROUP_NAMES.flatMap((group) => {
    const seen = new Map<Shape, number>();
    return kept.map(({ index, shape }): ToneProbeScene => {
      const k = seen.get(shape) ?? 0;
      seen.set(shape, k + 1);
      const scene = generateScene(createRng(sceneSeed(seed, index)), { size, objects: 1, toneGroup: group });
      return { id: `${group}/${shape}-${String(k).padStart(2, '0')}`, group, shape, size, pixels: scene.pixels };
    });
  });
}

/** The probe scenes as bias-probe items (group = tone), decoded from their raw pixels. */
export function toneProbeItems(options: ToneProbeOptions = {}): ImageItem[] {
  return toneProbeScenes(options).map((s) => ({
    id: s.id,
    group: s.group,
    bytes: async () => new Uint8Array(s.pixels.buffer, s.pixels.byteOffset, s.pixels.byteLength),
    load: async () => ({ width: s.size, height: s.size, channels: 4 as const, data: s.pixels }),
  }));
}
