/**
 * A spurious correlation injected into a world, for the controlled bias experiment (issue 13): e.g.
 * `triangle:dark=0.9` puts 90% of the scenes that contain a triangle on a dark background and 90% of
 * the others on a light one, so "dark" predicts "triangle" in the training data although the two are
 * unrelated. `triangle:dark=0.5` draws the same tones independently of the shapes: the control world.
 */
import { ClipError } from '../../errors.ts';
import type { Rng } from './random.ts';
import { SHAPES, TONE_GROUP_NAMES, type Shape, type ToneGroup } from './vocabulary.ts';

export interface Spurious {
  /** Scenes containing this shape... */
  shape: Shape;
  /** ...get this tone group with probability p; the other scenes get it with probability 1 - p. */
  tone: ToneGroup;
  p: number;
}

/** "triangle:dark=0.9" -> { shape: 'triangle', tone: 'dark', p: 0.9 }. */
export function parseSpurious(spec: string): Spurious {
  const m = /^\s*([a-z]+)\s*:\s*([a-z]+)\s*=\s*([0-9.]+)\s*$/.exec(spec);
  const example = 'SHAPE:TONE=P, e.g. triangle:dark=0.9';
  if (!m) throw new ClipError('input', `--spurious ${JSON.stringify(spec)} is not ${example}`);
  const [, shape, tone, p] = m;
  if (!(SHAPES as readonly string[]).includes(shape))
    throw new ClipError('input', `--spurious: unknown shape "${shape}"; shapes: ${SHAPES.join(', ')}`);
  if (!(TONE_GROUP_NAMES as string[]).includes(tone))
    throw new ClipError('input', `--spurious: unknown tone "${tone}"; tones: ${TONE_GROUP_NAMES.join(', ')}`);
  return checkSpurious({ shape: shape as Shape, tone: tone as ToneGroup, p: Number(p) });
}

export function checkSpurious(s: Spurious): Spurious {
  if (!(SHAPES as readonly string[]).includes(s.shape) || !(TONE_GROUP_NAMES as string[]).includes(s.tone))
    throw new ClipError('input', `spurious correlation needs a shape and a tone group, got ${JSON.stringify(s)}`);
  if (!(Number.isFinite(s.p) && s.p >= 0 && s.p <= 1))
    throw new ClipError('input', `--spurious: the probability must be from 0 to 1, got ${s.p}`);
  return s;
}

export function spuriousText(s: Spurious): string {
  return `${s.shape}:${s.tone}=${s.p}`;
}

/** The tone group of a scene with these shapes: one draw of `rng`. */
export function spuriousTone(s: Spurious, shapes: readonly Shape[], rng: Rng): ToneGroup {
  const other = TONE_GROUP_NAMES.find((t) => t !== s.tone)!;
  const p = shapes.includes(s.shape) ? s.p : 1 - s.p;
  return rng.chance(p) ? s.tone : other;
}
