/**
 * Segmentation scored on world scenes: each pixel's class from the objects' masks (later objects
 * over earlier ones, as they are drawn), mIoU as mmseg counts it (segment/evaluate.ts). Classes are
 * the world's shapes, colours or colour+shape objects, with the background as class 0. The CLI's
 * `eval --task segment` reads the same truth back from a world folder's mask PNGs.
 */
import type { ClipModel } from '../clip.ts';
import { IouCounter, type IouScore, type SegmentMethod, type SegmentOptions } from '../segment/index.ts';
import type { Scene, SceneObject } from './scene.ts';
import { sceneImage } from './scores.ts';
import { COLOUR_NAMES, fixArticles, SHAPES } from './vocabulary.ts';

export type SegmentClasses = 'shape' | 'colour' | 'object';
export const SEGMENT_CLASSES: readonly SegmentClasses[] = ['shape', 'colour', 'object'];
/** Each class's prompt: the world's zero-shot phrasing ("a red shape", "a circle", "a red circle"). */
export const SEGMENT_TEMPLATES: Readonly<Record<SegmentClasses, string>> = {
  shape: 'a {}',
  colour: 'a {} shape',
  object: 'a {}',
};
/** The background prompt: a label of its own, which the world's captions never name. */
export const SEGMENT_BACKGROUND_PROMPT = 'the background';

/** Class names (background first) and each object's class id. */
export function segmentClasses(kind: SegmentClasses): {
  names: string[];
  of: (o: Pick<SceneObject, 'colour' | 'shape'>) => number;
} {
  const labels =
    kind === 'shape'
      ? [...SHAPES]
      : kind === 'colour'
        ? [...COLOUR_NAMES]
        : COLOUR_NAMES.flatMap((c) => SHAPES.map((s) => `${c} ${s}`));
  const index = new Map(labels.map((l, i) => [l, i + 1]));
  const key = (o: Pick<SceneObject, 'colour' | 'shape'>) =>
    kind === 'shape' ? o.shape : kind === 'colour' ? o.colour : `${o.colour} ${o.shape}`;
  return { names: ['background', ...labels], of: (o) => index.get(key(o)) ?? 0 };
}

/** mIoU of `method` over `scenes`, the labels prompted with SEGMENT_TEMPLATES and the background prompt. */
export async function segmentationScore(
  model: ClipModel,
  scenes: readonly Scene[],
  kind: SegmentClasses,
  method: SegmentMethod,
  options: Pick<SegmentOptions, 'refine'> = {},
): Promise<IouScore> {
  const classes = segmentClasses(kind);
  const labels = classes.names.slice(1);
  const prompts = [
    ...labels.map((l) => fixArticles(SEGMENT_TEMPLATES[kind].replaceAll('{}', l))),
    SEGMENT_BACKGROUND_PROMPT,
  ];
  const embeddings = await model.labelEmbeddings(prompts, { templates: ['{}'] });
  const counter = new IouCounter(classes.names);
  for (const scene of scenes) {
    const truth = new Uint8Array(scene.size * scene.size);
    for (const o of scene.objects) {
      const id = classes.of(o);
      for (let i = 0; i < truth.length; i++) if (o.mask[i]) truth[i] = id;
    }
    const s = await model.segment(sceneImage(scene), labels, {
      method,
      background: SEGMENT_BACKGROUND_PROMPT,
      embeddings,
      refine: options.refine,
    });
    counter.add(s.mask, truth);
  }
  return counter.score();
}
