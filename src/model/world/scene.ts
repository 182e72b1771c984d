/**
 * Scenes: a layout, a background, the objects drawn, a caption and the truth (per object: shape,
 * colour, size class, box, mask). A scene's randomness is split into independent streams drawn in
 * a fixed order, so the same seed under any shift has the same objects, places and caption: clean
 * and shifted scenes are pairs.
 */
import { ClipError } from '../../errors.ts';
import { paintBackground, type Background } from './backgrounds.ts';
import { CAPTION_STYLES, captionFor, shapeCaption, type CaptionStyle } from './captions.ts';
import { addNoise, boxBlur } from './filters.ts';
import { planLayout } from './layout.ts';
import { createRng, sceneSeed, type Rng } from './random.ts';
import { drawObject, maskBox, type Texture, type TexturePattern } from './raster.ts';
import { SYMMETRY_DEGREES } from './shapes.ts';
import { checkSpurious, spuriousTone, type Spurious } from './spurious.ts';
import {
  BACKGROUND_TONES,
  BACKGROUNDS,
  COLOURS,
  SHIFTS,
  TONE_GROUP_NAMES,
  TONE_GROUPS,
  UNSEEN_BACKGROUNDS,
  type Colour,
  type Rgb,
  type Shape,
  type Shift,
  type SizeClass,
  type ToneGroup,
} from './vocabulary.ts';

export interface SceneOptions {
  /** Image side in pixels, 32-512 (default 64, the tiny model's input). */
  size?: number;
  /** One shift applied to the scene (default none). */
  shift?: Shift;
  /** Objects per scene: a number or an inclusive [min, max] within 1-3 (default [1, 3]). */
  objects?: number | readonly [number, number];
  /**
   * Background tones of the plain, gradient and noise backgrounds (default BACKGROUND_TONES). Only the
   * background changes: the same seed with other tones keeps its objects, places and caption, so a
   * controlled bias experiment can, say, put triangles on dark backgrounds and nothing else.
   */
  tones?: readonly Rgb[];
  /**
   * Background tones from one group of TONE_GROUPS (dark or light) instead of `tones`, recorded in the
   * background's `tone`: the same seed on dark and on light is the same scene on two backgrounds.
   */
  toneGroup?: ToneGroup;
  /**
   * A spurious correlation (spurious.ts): the tone group of each scene is drawn from its shapes, e.g. 90%
   * of the scenes with a triangle dark, 90% of the others light. Recorded in the background's `tone`.
   */
  spurious?: Spurious;
  /** 'world' (default): the varied templates; 'shape': the shapes alone (shapeCaption). Pixels are the same. */
  captions?: CaptionStyle;
}

export interface SceneObject {
  shape: Shape;
  colour: Colour;
  size: SizeClass;
  /** [x0, y0, x1, y1] in pixels, x1/y1 exclusive: the mask's bounding box. */
  box: [number, number, number, number];
  /** Centre and bounding-circle radius in pixels. */
  centre: [number, number];
  radius: number;
  /** Degrees clockwise (non-zero only under the rotation shift). */
  rotation: number;
  /** size x size, 1 where the filled shape covers at least half the pixel (under every shift). */
  mask: Uint8Array;
}

export interface Scene {
  size: number;
  /** RGBA, size x size, alpha 255 (ImageData's layout). */
  pixels: Uint8ClampedArray;
  caption: string;
  /** The id of the caption's template (CAPTION_TEMPLATES). */
  template: string;
  objects: SceneObject[];
  background: Background;
  shift: Shift;
}

export const DEFAULT_SIZE = 64;
export const MIN_SIZE = 32,
  MAX_SIZE = 512,
  MAX_OBJECTS = 3;

function checkOptions(options: SceneOptions): {
  size: number;
  shift: Shift;
  min: number;
  max: number;
  tones: readonly Rgb[];
  toneGroup?: ToneGroup;
  spurious?: Spurious;
} {
  const size = options.size ?? DEFAULT_SIZE;
  if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
    throw new ClipError('input', `world size must be an integer from ${MIN_SIZE} to ${MAX_SIZE} pixels, got ${size}`);
  }
  const shift = options.shift ?? 'none';
  if (shift !== 'none' && !(SHIFTS as readonly string[]).includes(shift)) {
    throw new ClipError('input', `unknown world shift "${shift}"; shifts: ${SHIFTS.join(', ')}`);
  }
  const o = options.objects ?? [1, MAX_OBJECTS];
  const [min, max] = typeof o === 'number' ? [o, o] : o;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > MAX_OBJECTS || min > max) {
    throw new ClipError(
      'input',
      `objects per scene must be within 1-${MAX_OBJECTS} (a number or min-max), got ${min}-${max}`,
    );
  }
  const tones = options.tones ?? BACKGROUND_TONES;
  const isByte = (v: number) => Number.isInteger(v) && v >= 0 && v <= 255;
  if (tones.length === 0 || !tones.every((t) => t.length === 3 && t.every(isByte))) {
    throw new ClipError('input', 'world background tones must be a non-empty list of [r, g, b] with integers 0-255');
  }
  const { toneGroup, spurious } = options;
  if ([options.tones, toneGroup, spurious].filter((x) => x !== undefined).length > 1)
    throw new ClipError('input', 'give one of the world options tones, toneGroup and spurious, not several');
  if (toneGroup !== undefined && !(TONE_GROUP_NAMES as string[]).includes(toneGroup))
    throw new ClipError('input', `unknown tone group "${toneGroup}"; tone groups: ${TONE_GROUP_NAMES.join(', ')}`);
  if (spurious) checkSpurious(spurious);
  if (options.captions !== undefined && !CAPTION_STYLES.includes(options.captions))
    throw new ClipError('input', `unknown caption style "${options.captions}"; styles: ${CAPTION_STYLES.join(', ')}`);
  return { size, shift, min, max, tones, toneGroup, spurious };
}

const PATTERNS: readonly TexturePattern[] = ['stripes', 'checks', 'dots'];

/** The pattern's second colour: darker for light colours, lighter for dark ones. */
function shadeOf(c: Rgb): Rgb {
  const luma = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  return luma < 80
    ? [Math.round(c[0] * 0.6 + 102), Math.round(c[1] * 0.6 + 102), Math.round(c[2] * 0.6 + 102)]
    : [Math.round(c[0] * 0.5), Math.round(c[1] * 0.5), Math.round(c[2] * 0.5)];
}

export function generateScene(rng: Rng, options: SceneOptions = {}): Scene {
  const { size, shift, min, max, tones, toneGroup, spurious } = checkOptions(options);
  // One stream per concern, always all forked: a shift never changes what another stream draws.
  const layoutRng = rng.fork(),
    captionRng = rng.fork(),
    backgroundRng = rng.fork(),
    styleRng = rng.fork(),
    shiftRng = rng.fork();
  // Forked last and only for a spurious world: every other world (and a caller's rng) stays as it was.
  const toneRng = spurious ? rng.fork() : null;

  const layout = planLayout(layoutRng, size, min, max);
  const pixels = new Uint8ClampedArray(size * size * 4);
  const trainingKind = backgroundRng.pick(BACKGROUNDS);
  const tone =
    spurious && toneRng
      ? spuriousTone(
          spurious,
          layout.objects.map((o) => o.shape),
          toneRng,
        )
      : toneGroup;
  const painted =
    shift === 'unseen-background'
      ? paintBackground(pixels, size, shiftRng.pick(UNSEEN_BACKGROUNDS), shiftRng)
      : paintBackground(pixels, size, trainingKind, backgroundRng, tone ? TONE_GROUPS[tone] : tones);
  const background: Background = tone && shift !== 'unseen-background' ? { ...painted, tone } : painted;
  const caption =
    (options.captions ?? 'world') === 'world' ? captionFor(layout, background.kind, captionRng) : shapeCaption(layout);

  const outline = shift === 'sketch' ? Math.max(1, size / 40) : 0;
  const objects = layout.objects.map((o): SceneObject => {
    // Every object draws its rotation and texture, used or not, to keep the streams aligned.
    const symmetry = SYMMETRY_DEGREES[o.shape];
    const angle = symmetry === 0 ? 0 : 15 + Math.round(styleRng.float() * (symmetry - 30));
    const colour = COLOURS[o.colour];
    const texture: Texture = {
      pattern: styleRng.pick(PATTERNS),
      period: styleRng.range(0.25, 0.45),
      shade: shadeOf(colour),
    };
    const rotation = shift === 'rotation' ? angle : 0;
    const mask = drawObject(pixels, size, { ...o, rotation }, colour, {
      outline,
      texture: shift === 'texture' ? texture : undefined,
    });
    const box = maskBox(mask, size);
    if (!box) throw new Error(`empty mask for a ${o.shape} of radius ${o.radius}`); // unreachable: radius >= 3 px
    return {
      shape: o.shape,
      colour: o.colour,
      size: o.sizeClass,
      box,
      centre: [o.cx, o.cy],
      radius: o.radius,
      rotation,
      mask,
    };
  });

  if (shift === 'noise') addNoise(pixels, 64, shiftRng);
  if (shift === 'blur') boxBlur(pixels, size, Math.max(1, Math.round(size / 40)));
  return { size, pixels, caption: caption.text, template: caption.template, objects, background, shift };
}

export interface WorldOptions extends SceneOptions {
  /** Number of scenes. */
  n: number;
  /** 32-bit unsigned seed; scene i depends only on (seed, i, options). */
  seed: number;
}

function checkWorld(options: WorldOptions): void {
  if (!Number.isSafeInteger(options.n) || options.n < 1)
    throw new ClipError('input', `a world needs n >= 1 scenes, got ${options.n}`);
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new ClipError('input', `world seed must be an integer from 0 to 4294967295, got ${options.seed}`);
  }
  checkOptions(options);
}

/** Scenes one at a time (a large world never sits in memory whole). */
export function* worldScenes(options: WorldOptions): Generator<Scene> {
  checkWorld(options);
  for (let i = 0; i < options.n; i++) yield generateScene(createRng(sceneSeed(options.seed, i)), options);
}

export function generateWorld(options: WorldOptions): Scene[] {
  return [...worldScenes(options)];
}
