/**
 * Caption phrasings. Each scene gets one caption, a template drawn uniformly among those that fit
 * it. Placeholders: {colour} {shape} {shapes} (plural) {count} (two, three) {size} (small, large)
 * {background} (plain, gradient, noisy; striped, checkered in the unseen-background shift)
 * {objects} (every group, "a red circle and two blue squares") {shape-list} (the same without
 * colours) {a} {relation} {b} (two single objects apart along one axis).
 * "a" becomes "an" before a vowel ("an orange star").
 */
import type { Group, Layout, Relation } from './layout.ts';
import { relation } from './layout.ts';
import type { Rng } from './random.ts';
import { COUNT_WORDS, fixArticles, plural, type BackgroundKind, type Colour, type Shape } from './vocabulary.ts';
import { BACKGROUND_WORDS } from './vocabulary.ts';

/** What a template needs: one object, one group of 2-3 identical objects, or several groups. */
export type TemplateScope = 'single' | 'count' | 'several';

export interface CaptionTemplate {
  id: string;
  scope: TemplateScope;
  text: string;
}

export const CAPTION_TEMPLATES: readonly CaptionTemplate[] = [
  { id: 'colour-shape', scope: 'single', text: 'a {colour} {shape}' },
  { id: 'shape', scope: 'single', text: 'a {shape}' },
  { id: 'something-colour', scope: 'single', text: 'something {colour}' },
  { id: 'colour-noun', scope: 'single', text: 'a {colour} shape' },
  { id: 'photo', scope: 'single', text: 'a photo of a {colour} {shape}' },
  { id: 'photo-shape', scope: 'single', text: 'a photo of a {shape}' },
  { id: 'drawing', scope: 'single', text: 'a drawing of a {colour} {shape}' },
  { id: 'size', scope: 'single', text: 'a {size} {colour} {shape}' },
  { id: 'background', scope: 'single', text: 'a {colour} {shape} on a {background} background' },
  { id: 'count-colour-shape', scope: 'count', text: '{count} {colour} {shapes}' },
  { id: 'count-shape', scope: 'count', text: '{count} {shapes}' },
  { id: 'count-photo', scope: 'count', text: 'a photo of {count} {colour} {shapes}' },
  { id: 'count-background', scope: 'count', text: '{count} {colour} {shapes} on a {background} background' },
  { id: 'list', scope: 'several', text: '{objects}' },
  { id: 'list-photo', scope: 'several', text: 'a photo of {objects}' },
  { id: 'list-shapes', scope: 'several', text: '{shape-list}' },
  { id: 'relation', scope: 'several', text: '{a} {relation} {b}' },
];

/**
 * The zero-shot prompts of the acceptance tests (one prompt per class, no ensembling), and the
 * phrasings to ensemble over beside them. Both fill {shape} or {colour} only.
 */
export const ZERO_SHOT_TEMPLATES = { shape: 'a {shape}', colour: 'a {colour} shape' } as const;
export const ENSEMBLE_TEMPLATES = {
  shape: ['a {shape}', 'a photo of a {shape}', 'a small {shape}', 'a large {shape}', 'a {shape} on a plain background'],
  colour: ['a {colour} shape', 'something {colour}', 'a photo of something {colour}', 'a {colour} object'],
} as const;

function fill(text: string, vars: Record<string, string>): string {
  return fixArticles(
    text.replace(/\{([\w-]+)\}/g, (_, k: string) => {
      if (!(k in vars)) throw new Error(`caption template placeholder {${k}} has no value`);
      return vars[k];
    }),
  );
}

/** One prompt per class: `zeroShotPrompts('shape')` = ["a circle", "a square", ...] in SHAPES order. */
export function zeroShotPrompts(kind: 'shape', labels: readonly Shape[], template?: string): string[];
export function zeroShotPrompts(kind: 'colour', labels: readonly Colour[], template?: string): string[];
export function zeroShotPrompts(
  kind: 'shape' | 'colour',
  labels: readonly string[],
  template: string = ZERO_SHOT_TEMPLATES[kind],
): string[] {
  return labels.map((label) => fill(template, { [kind]: label }));
}

function groupPhrase(g: Group, withColour: boolean): string {
  const colour = withColour ? `${g.colour} ` : '';
  return g.count === 1 ? `a ${colour}${g.shape}` : `${COUNT_WORDS[g.count]} ${colour}${plural(g.shape)}`;
}

function listPhrase(parts: string[]): string {
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export interface Caption {
  text: string;
  template: string;
}

/** Caption styles of a world: its varied templates, or its shapes alone ("a circle", "a circle and two stars"). */
export type CaptionStyle = 'world' | 'shape';
export const CAPTION_STYLES: readonly CaptionStyle[] = ['world', 'shape'];

/**
 * The scene's shapes with their counts and nothing else: the captions of the shape-first recipe
 * (scripts/train-shape-first.sh), where colour must not explain the batch.
 */
export function shapeCaption(layout: Layout): Caption {
  // Groups differ by colour too: without colours, a red and a blue circle are "two circles".
  const counts = new Map<Shape, number>();
  for (const g of layout.groups) counts.set(g.shape, (counts.get(g.shape) ?? 0) + g.count);
  const phrases = [...counts].map(([shape, n]) => (n === 1 ? `a ${shape}` : `${COUNT_WORDS[n]} ${plural(shape)}`));
  return { text: listPhrase(phrases), template: 'shape-only' };
}

/** The scene's caption: a template that fits, drawn from `rng`, filled from the layout. */
export function captionFor(layout: Layout, background: BackgroundKind, rng: Rng): Caption {
  const { groups, objects } = layout;
  const scope: TemplateScope = groups.length > 1 ? 'several' : groups[0].count > 1 ? 'count' : 'single';
  const first = objects[0];
  const rel: Relation | null = objects.length === 2 && groups.length === 2 ? relation(objects[0], objects[1]) : null;
  const fits = CAPTION_TEMPLATES.filter(
    (t) =>
      t.scope === scope &&
      !(t.id === 'size' && first.sizeClass === 'medium') &&
      !(t.id === 'relation' && rel === null) &&
      !(t.id === 'list-shapes' && new Set(groups.map((x) => x.shape)).size < groups.length),
  ); // not "a circle and a circle"
  const template = rng.pick(fits);
  const g = groups[0];
  const vars: Record<string, string> = {
    colour: g.colour,
    shape: g.shape,
    shapes: plural(g.shape),
    count: COUNT_WORDS[g.count],
    size: first.sizeClass,
    background: BACKGROUND_WORDS[background],
    objects: listPhrase(groups.map((x) => groupPhrase(x, true))),
    'shape-list': listPhrase(groups.map((x) => groupPhrase(x, false))),
  };
  if (rel) Object.assign(vars, { a: groupPhrase(groups[0], true), relation: rel, b: groupPhrase(groups[1], true) });
  return { text: fill(template.text, vars), template: template.id };
}
