/** The world's classes: shapes, colours, size classes, backgrounds and shifts, with their words. */

export const SHAPES = ['circle', 'square', 'triangle', 'cross', 'star'] as const;
export type Shape = (typeof SHAPES)[number];

export type Rgb = readonly [number, number, number];

/** Saturated, well separated colours; every one stands out on every background tone below. */
export const COLOURS = {
  red: [220, 30, 30],
  green: [30, 160, 50],
  blue: [30, 70, 220],
  yellow: [240, 210, 20],
  orange: [245, 130, 20],
  purple: [140, 50, 180],
  black: [20, 20, 20],
  white: [245, 245, 245],
} as const satisfies Record<string, Rgb>;
export type Colour = keyof typeof COLOURS;
export const COLOUR_NAMES = Object.keys(COLOURS) as Colour[];

/** Radius of an object's bounding circle as a fraction of the image side (jittered ±8%). */
export const SIZE_CLASSES = { small: 0.1, medium: 0.14, large: 0.19 } as const;
export type SizeClass = keyof typeof SIZE_CLASSES;
export const SIZE_NAMES = Object.keys(SIZE_CLASSES) as SizeClass[];

/** Backgrounds of the training distribution, and the patterns only the unseen-background shift draws. */
export const BACKGROUNDS = ['plain', 'gradient', 'noise'] as const;
export const UNSEEN_BACKGROUNDS = ['stripes', 'checker'] as const;
export type BackgroundKind = (typeof BACKGROUNDS)[number] | (typeof UNSEEN_BACKGROUNDS)[number];

/** How a caption names a background ("on a noisy background"). */
export const BACKGROUND_WORDS: Record<BackgroundKind, string> = {
  plain: 'plain',
  gradient: 'gradient',
  noise: 'noisy',
  stripes: 'striped',
  checker: 'checkered',
};

/** Muted tones for training backgrounds: far from black and white and from every object colour. */
export const BACKGROUND_TONES: readonly Rgb[] = [
  [128, 128, 128],
  [96, 104, 112],
  [158, 150, 138],
  [110, 126, 110],
  [138, 118, 128],
  [84, 84, 94],
  [176, 176, 170],
];

/**
 * Dark and light background tones for the bias experiment (`world --spurious`, the world-backgrounds
 * bias probe): darker and lighter than every BACKGROUND_TONE, muted, and still apart from the black and
 * white objects (luma at least 35 away).
 */
export const TONE_GROUPS = {
  dark: [
    [54, 54, 62],
    [46, 60, 52],
    [64, 52, 60],
    [50, 56, 72],
  ],
  light: [
    [200, 200, 194],
    [208, 200, 188],
    [192, 204, 196],
    [202, 194, 206],
  ],
} as const satisfies Record<string, readonly Rgb[]>;
export type ToneGroup = keyof typeof TONE_GROUPS;
export const TONE_GROUP_NAMES = Object.keys(TONE_GROUPS) as ToneGroup[];

/** Tones the training data never shows (teal, pink, brown, olive), for the unseen-background shift. */
export const UNSEEN_TONES: readonly Rgb[] = [
  [40, 120, 120],
  [200, 140, 160],
  [120, 80, 50],
  [130, 130, 60],
  [70, 90, 150],
];

/**
 * The synthetic counterparts of the ImageNet variants: sketch (ImageNet-Sketch: outlines only),
 * noise and blur (ImageNet-C), rotation, unseen-background and texture (ImageNet-R/-A style renditions).
 */
export const SHIFTS = ['sketch', 'noise', 'blur', 'rotation', 'unseen-background', 'texture'] as const;
export type ShiftName = (typeof SHIFTS)[number];
export type Shift = ShiftName | 'none';

export const COUNT_WORDS = ['zero', 'one', 'two', 'three'] as const;

export function plural(shape: Shape): string {
  return shape === 'cross' ? 'crosses' : `${shape}s`;
}

/** "a orange circle" -> "an orange circle". */
export function fixArticles(text: string): string {
  return text.replace(/\ba (?=[aeiou])/g, 'an ');
}
