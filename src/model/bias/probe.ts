/**
 * Bias probes: groups of images × labels × templates. Each image's probabilities over the labels are
 * CLIP's softmax (ClipModel.similarity, on the GPU); its top-1 label counts as a hit for that label.
 * Per group and label: the count of hits, the rate and its Wilson 95% interval, and the mean
 * probability; per label across groups: max/min rate ratio and MaxSkew (./stats.ts has the
 * definitions and their zero cases).
 *
 *   const probe = await BiasProbe.create(model, items, { onProgress });   // encodes each image once
 *   const a = await probe.score(['Doctor', 'Nurse']);                     // BiasReport
 *   const b = await probe.score(['Victim', 'Criminal'], { templates });   // no image encoded again
 */
import type { ClipModel } from '../clip.ts';
import { ClipError, throwIfAborted } from '../../errors.ts';
import { DEFAULT_TEMPLATE } from '../templates.ts';
import {
  collectItems,
  embedImages,
  EmbeddingCache,
  type EmbeddedImage,
  type EmbedImagesOptions,
  type ImageItems,
} from './images.ts';
import { argmax, disparity, rate, wilsonInterval, type Disparity } from './stats.ts';

export interface ScoreOptions {
  /** Prompt templates with "{}" (several are ensembled); default ["a photo of a {}."]. */
  templates?: readonly string[];
  /** Cut prompts over 77 tokens instead of failing. */
  truncate?: boolean;
  /** Named unions of labels, reported as one outcome each (e.g. a preset's "crime-related"). */
  categories?: Readonly<Record<string, readonly string[]>>;
  /** Cancels the scoring between its GPU passes with ClipError('aborted'). */
  signal?: AbortSignal;
}

export interface ProbeOptions extends EmbedImagesOptions {
  /** The groups and their order (default: in order of first appearance). Each needs an image. */
  groups?: readonly string[];
}

export interface GroupResult {
  name: string;
  /** Images in the group. */
  n: number;
  /** Per label, in the order of `labels`: images whose top-1 label it is. */
  counts: number[];
  rates: number[];
  /** Wilson 95% interval of each rate. */
  ci: [number, number][];
  /** Mean probability of each label over the group's images. */
  meanProbs: number[];
}

export interface ImageResult {
  id: string;
  group: string;
  hash: string;
  /** Probability per label (softmax over the labels), in the order of `labels`. */
  probs: Float32Array;
  logits: Float32Array;
  /** Index of the top-1 label (the first one on ties). */
  top: number;
}

export interface CategoryResult {
  name: string;
  labels: string[];
  /** Per group (order of `groups`): images whose top-1 label is any of `labels`. */
  counts: number[];
  rates: number[];
  ci: [number, number][];
  disparity: Disparity;
}

export interface BiasReport {
  labels: string[];
  templates: string[];
  groups: GroupResult[];
  /** Per label, in the order of `labels`, across `groups`. */
  disparity: Disparity[];
  /** Every image, in input order. */
  images: ImageResult[];
  categories: CategoryResult[];
}

/** The report's numbers from per-image probabilities (no GPU; what `score` ends with). */
export function biasReport(
  labels: readonly string[],
  groups: readonly string[],
  images: readonly { id: string; group: string; hash?: string; probs: Float32Array; logits?: Float32Array }[],
  options: { templates?: readonly string[]; categories?: Readonly<Record<string, readonly string[]>> } = {},
): BiasReport {
  checkLabels(labels);
  const L = labels.length;
  const gIndex = new Map(groups.map((g, i) => [g, i]));
  const rows: ImageResult[] = images.map((im) => {
    if (im.probs.length !== L)
      throw new ClipError('input', `${im.id}: ${im.probs.length} probabilities for ${L} labels.`);
    if (!gIndex.has(im.group))
      throw new ClipError('input', `${im.id}: group "${im.group}" is not one of ${groups.join(', ')}.`);
    return {
      id: im.id,
      group: im.group,
      hash: im.hash ?? '',
      probs: im.probs,
      logits: im.logits ?? new Float32Array(L),
      top: argmax(im.probs),
    };
  });
  const sizes = groups.map(() => 0);
  const counts = groups.map(() => new Array<number>(L).fill(0));
  const sums = groups.map(() => new Array<number>(L).fill(0));
  for (const r of rows) {
    const g = gIndex.get(r.group)!;
    sizes[g]++;
    counts[g][r.top]++;
    for (let j = 0; j < L; j++) sums[g][j] += r.probs[j];
  }
  sizes.forEach((n, g) => {
    if (n === 0) throw new ClipError('input', `Group "${groups[g]}" has no images.`);
  });
  const groupResults: GroupResult[] = groups.map((name, g) => ({
    name,
    n: sizes[g],
    counts: counts[g],
    rates: counts[g].map((k) => rate(k, sizes[g])),
    ci: counts[g].map((k) => wilsonInterval(k, sizes[g])),
    meanProbs: sums[g].map((s) => s / sizes[g]),
  }));
  const categories = Object.entries(options.categories ?? {}).map(([name, members]): CategoryResult => {
    const idx = members.map((m) => {
      const j = labels.indexOf(m);
      if (j < 0) throw new ClipError('input', `Category "${name}": "${m}" is not one of the labels.`);
      return j;
    });
    const k = counts.map((row) => idx.reduce((s, j) => s + row[j], 0));
    return {
      name,
      labels: [...members],
      counts: k,
      rates: k.map((c, g) => rate(c, sizes[g])),
      ci: k.map((c, g) => wilsonInterval(c, sizes[g])),
      disparity: disparity(k, sizes),
    };
  });
  return {
    labels: [...labels],
    templates: [...(options.templates ?? [DEFAULT_TEMPLATE])],
    groups: groupResults,
    disparity: labels.map((_, j) =>
      disparity(
        counts.map((row) => row[j]),
        sizes,
      ),
    ),
    images: rows,
    categories,
  };
}

function checkLabels(labels: readonly string[]): void {
  if (labels.length === 0) throw new ClipError('input', 'No labels given: a probe needs at least one label.');
  const seen = new Set<string>();
  labels.forEach((l, i) => {
    if (!l.trim()) throw new ClipError('input', `Label ${i + 1} is empty.`);
    if (seen.has(l)) throw new ClipError('input', `Label "${l}" is given twice.`);
    seen.add(l);
  });
}

interface ProbeImage {
  id: string;
  group: string;
  hash: string;
  embedding: Float32Array;
}

/** Images encoded once; `score` runs any label set and templates over them. */
export class BiasProbe {
  /** Label embeddings by label, templates and truncation (the text tower is cheap, but not free). */
  private readonly textCache = new Map<string, Float32Array>();

  private constructor(
    readonly model: ClipModel,
    readonly groups: readonly string[],
    private readonly entries: readonly ProbeImage[],
  ) {}

  /** Encodes (or finds in `options.cache`) every image. Groups are checked first, before any encoding. */
  static async create(model: ClipModel, items: ImageItems, options: ProbeOptions = {}): Promise<BiasProbe> {
    const list = await collectItems(items);
    const groups = options.groups ? [...options.groups] : [...new Set(list.map((e) => e.group))];
    if (list.length === 0) throw new ClipError('input', 'No images given: a probe needs at least one group of images.');
    if (new Set(groups).size !== groups.length) throw new ClipError('input', 'A group name is given twice.');
    const known = new Set(groups);
    for (const e of list) {
      if (!known.has(e.group))
        throw new ClipError('input', `${e.id}: group "${e.group}" is not one of ${groups.join(', ')}.`);
    }
    for (const g of groups) {
      if (!list.some((e) => e.group === g)) throw new ClipError('input', `Group "${g}" has no images.`);
    }
    const embedded = await embedImages(model, list, { ...options, cache: options.cache ?? new EmbeddingCache() });
    return new BiasProbe(model, groups, embedded);
  }

  /**
   * A probe over images embedded already (e.g. by `embedImages` as a page's files arrive), in the
   * given group order; every group needs an image.
   */
  static fromEmbedded(model: ClipModel, groups: readonly string[], embedded: readonly EmbeddedImage[]): BiasProbe {
    if (embedded.length === 0)
      throw new ClipError('input', 'No images given: a probe needs at least one group of images.');
    if (new Set(groups).size !== groups.length) throw new ClipError('input', 'A group name is given twice.');
    const known = new Set(groups);
    for (const e of embedded) {
      if (!known.has(e.group))
        throw new ClipError('input', `${e.id}: group "${e.group}" is not one of ${groups.join(', ')}.`);
    }
    for (const g of groups) {
      if (!embedded.some((e) => e.group === g)) throw new ClipError('input', `Group "${g}" has no images.`);
    }
    return new BiasProbe(model, [...groups], [...embedded]);
  }

  get images(): readonly { id: string; group: string; hash: string }[] {
    return this.entries.map(({ id, group, hash }) => ({ id, group, hash }));
  }

  /** Scores the images over `labels` (re-scoring is this again: no image is encoded). */
  async score(labels: readonly string[], options: ScoreOptions = {}): Promise<BiasReport> {
    checkLabels(labels);
    const templates = [...(options.templates ?? [DEFAULT_TEMPLATE])];
    const truncate = options.truncate ?? false;
    const key = (l: string) => JSON.stringify([l, templates, truncate]);
    const missing = labels.filter((l) => !this.textCache.has(key(l)));
    throwIfAborted(options.signal, 'bias probe');
    if (missing.length) {
      const embeds = await this.model.labelEmbeddings(missing, { templates, truncate });
      missing.forEach((l, i) => this.textCache.set(key(l), embeds[i]));
    }
    throwIfAborted(options.signal, 'bias probe');
    const textEmbeds = labels.map((l) => this.textCache.get(key(l))!);
    const { probs, logitsPerImage } = await this.model.similarity(
      this.entries.map((e) => e.embedding),
      textEmbeds,
    );
    return biasReport(
      labels,
      this.groups,
      this.entries.map((e, i) => ({
        id: e.id,
        group: e.group,
        hash: e.hash,
        probs: probs[i],
        logits: logitsPerImage[i],
      })),
      { templates, categories: options.categories },
    );
  }

  /** The same as `score`: a new label set or template over the cached embeddings. */
  rescore(labels: readonly string[], options: ScoreOptions = {}): Promise<BiasReport> {
    return this.score(labels, options);
  }
}

/** One probe, start to finish. Keep a BiasProbe (or pass `cache`) to re-score without re-encoding. */
export async function runBiasProbe(
  model: ClipModel,
  items: ImageItems,
  labels: readonly string[],
  options: ProbeOptions & ScoreOptions = {},
): Promise<BiasReport> {
  checkLabels(labels);
  const probe = await BiasProbe.create(model, items, options);
  return probe.score(labels, options);
}
