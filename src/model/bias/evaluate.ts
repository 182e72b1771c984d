/**
 * Zero-shot evaluation of a labelled image set: each image's group is its true class, the class names
 * are the labels. Top-1 and top-k accuracy (k = 5, or the number of classes when fewer), per-class
 * accuracy and the confusion matrix (rows = truth, columns = prediction, both in the order of
 * `classes`). Prompt ensembling is on with several templates (e.g. IMAGENET_TEMPLATES), off with one.
 */
import type { ClipModel } from '../clip.ts';
import { ClipError, throwIfAborted } from '../../errors.ts';
import { DEFAULT_TEMPLATE } from '../templates.ts';
import { collectItems, embedImages, type EmbeddedImage, type EmbedImagesOptions, type ImageItems } from './images.ts';
import { argmax, ranking, wilsonInterval } from './stats.ts';

export interface EvaluateOptions extends EmbedImagesOptions {
  /** The classes and their order (default: in order of first appearance). May include classes without images. */
  classes?: readonly string[];
  templates?: readonly string[];
  /** How a class name fills a template (ClassifyOptions.fill). */
  fill?: (template: string, label: string) => string;
  truncate?: boolean;
  /** k of the top-k accuracy (default 5; capped at the number of classes). */
  topK?: number;
}

export interface ClassResult {
  name: string;
  n: number;
  correct: number;
  /** correct / n; NaN for a class without images (null in JSON). */
  accuracy: number;
}

export interface EvaluatedImage {
  id: string;
  /** Index into `classes`. */
  truth: number;
  prediction: number;
  /** 0-based rank of the true class (0 = top-1). */
  truthRank: number;
  probs: Float32Array;
}

export interface Evaluation {
  classes: string[];
  templates: string[];
  n: number;
  /** Top-1 accuracy. */
  accuracy: number;
  /** Wilson 95% interval of the top-1 accuracy. */
  accuracyCi: [number, number];
  /** Top-k accuracy, k = `topK`. */
  topKAccuracy: number;
  topK: number;
  perClass: ClassResult[];
  /** confusion[truth][prediction]. */
  confusion: number[][];
  images: EvaluatedImage[];
}

/** The numbers from per-image probabilities over `classes` (no GPU). */
export function evaluation(
  classes: readonly string[],
  images: readonly { id: string; truth: number; probs: Float32Array }[],
  options: { templates?: readonly string[]; topK?: number } = {},
): Evaluation {
  const C = classes.length;
  if (C === 0) throw new ClipError('input', 'No classes: an evaluation needs at least one class.');
  if (images.length === 0) throw new ClipError('input', 'No images to evaluate.');
  const k = Math.min(options.topK ?? 5, C);
  if (!Number.isInteger(k) || k < 1)
    throw new ClipError('input', `topK must be a positive integer, got ${options.topK}.`);
  const confusion = classes.map(() => new Array<number>(C).fill(0));
  let top1 = 0,
    topk = 0;
  const rows = images.map((im): EvaluatedImage => {
    if (im.probs.length !== C)
      throw new ClipError('input', `${im.id}: ${im.probs.length} probabilities for ${C} classes.`);
    if (!Number.isInteger(im.truth) || im.truth < 0 || im.truth >= C)
      throw new ClipError('input', `${im.id}: class index ${im.truth} out of range.`);
    const prediction = argmax(im.probs);
    const truthRank = ranking(im.probs).indexOf(im.truth);
    confusion[im.truth][prediction]++;
    if (prediction === im.truth) top1++;
    if (truthRank < k) topk++;
    return { id: im.id, truth: im.truth, prediction, truthRank, probs: im.probs };
  });
  const perClass = classes.map((name, c): ClassResult => {
    const n = confusion[c].reduce((a, b) => a + b, 0);
    return { name, n, correct: confusion[c][c], accuracy: n ? confusion[c][c] / n : NaN };
  });
  return {
    classes: [...classes],
    templates: [...(options.templates ?? [DEFAULT_TEMPLATE])],
    n: rows.length,
    accuracy: top1 / rows.length,
    accuracyCi: wilsonInterval(top1, rows.length),
    topKAccuracy: topk / rows.length,
    topK: k,
    perClass,
    confusion,
    images: rows,
  };
}

/** Encodes the images (cached by content), scores them over the class names, and counts. */
export async function evaluateDataset(
  model: ClipModel,
  items: ImageItems,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const list = await collectItems(items);
  if (list.length === 0) throw new ClipError('input', 'No images to evaluate.');
  checkClasses(list, options.classes);
  return evaluateEmbedded(model, await embedImages(model, list, options), options);
}

/** Scores images embedded already (e.g. to evaluate again with other templates) and counts. */
export async function evaluateEmbedded(
  model: ClipModel,
  embedded: readonly EmbeddedImage[],
  options: Omit<EvaluateOptions, Exclude<keyof EmbedImagesOptions, 'signal'>> = {},
): Promise<Evaluation> {
  const signal = options.signal;
  if (embedded.length === 0) throw new ClipError('input', 'No images to evaluate.');
  const classes = checkClasses(embedded, options.classes);
  const index = new Map(classes.map((c, i) => [c, i]));
  const templates = [...(options.templates ?? [DEFAULT_TEMPLATE])];
  throwIfAborted(signal, 'dataset evaluation');
  const textEmbeds = await model.labelEmbeddings(classes, {
    templates,
    fill: options.fill,
    truncate: options.truncate,
  });
  throwIfAborted(signal, 'dataset evaluation');
  const { probs } = await model.similarity(
    embedded.map((e) => e.embedding),
    textEmbeds,
  );
  return evaluation(
    classes,
    embedded.map((e, i) => ({ id: e.id, truth: index.get(e.group)!, probs: probs[i] })),
    {
      templates,
      topK: options.topK,
    },
  );
}

/** The classes (given, or in order of first appearance), each image's among them. */
function checkClasses(
  images: readonly { id: string; group: string }[],
  given: readonly string[] | undefined,
): string[] {
  const classes = given ? [...given] : [...new Set(images.map((e) => e.group))];
  if (new Set(classes).size !== classes.length) throw new ClipError('input', 'A class name is given twice.');
  const known = new Set(classes);
  for (const e of images) {
    if (!known.has(e.group)) throw new ClipError('input', `${e.id}: class "${e.group}" is not one of the classes.`);
  }
  return classes;
}
