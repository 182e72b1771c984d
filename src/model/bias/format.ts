/**
 * What a probe or an evaluation looks like outside: the seed's one-line predictions, the JSON
 * documents of `clip-webgpu bias --json` / `eval --json`, and per-image CSV rows. Platform-neutral
 * (the playground exports the same strings).
 */
import type { BiasReport, CategoryResult } from './probe.ts';
import type { Evaluation } from './evaluate.ts';
import type { Disparity } from './stats.ts';
import { ranking } from './stats.ts';

/** "1 label", "2 labels": a count with its noun (`plural` for irregular ones, e.g. "classes"). */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/**
 * "Top predictions: Nurse: 69.92% Doctor: 30.08%": the `k` most probable labels (default 5, as
 * CLIP's README prints), highest first (ties in label order), percentages with two decimals.
 */
export function topPredictions(labels: readonly string[], probs: ArrayLike<number>, k = 5): string {
  const parts = ranking(probs)
    .slice(0, Math.max(1, k))
    .map((j) => `${labels[j]}: ${(100 * probs[j]).toFixed(2)}%`);
  return `Top predictions: ${parts.join(' ')}`;
}

/** A number for JSON: non-finite values (an unbounded ratio, a class without images) become null. */
export function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function byName<T>(names: readonly string[], value: (i: number) => T): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  names.forEach((name, i) => {
    out[name] = value(i);
  });
  return out;
}

function disparityJson(d: Disparity) {
  return { max_min_ratio: finite(d.maxMinRatio), max_skew: d.maxSkew };
}

function categoryJson(c: CategoryResult, groups: readonly string[]) {
  return {
    labels: c.labels,
    groups: byName(groups, (g) => ({ count: c.counts[g], rate: c.rates[g], ci: c.ci[g] })),
    disparity: disparityJson(c.disparity),
  };
}

/**
 * The `bias --json` document:
 * {labels, groups: {NAME: {n, counts, rates, ci, mean_probs}}, disparity: {L: {max_min_ratio, max_skew}},
 *  images: [{path, group, probs, top}]} (+ categories: {NAME: {labels, groups, disparity}} when the label set has them).
 * max_min_ratio is null where the lowest rate is 0 and another is not (unbounded).
 */
export function biasReportJson(r: BiasReport): Record<string, unknown> {
  const groupNames = r.groups.map((g) => g.name);
  const doc: Record<string, unknown> = {
    labels: r.labels,
    groups: byName(groupNames, (g) => {
      const x = r.groups[g];
      return {
        n: x.n,
        counts: byName(r.labels, (j) => x.counts[j]),
        rates: byName(r.labels, (j) => x.rates[j]),
        ci: byName(r.labels, (j) => x.ci[j]),
        mean_probs: byName(r.labels, (j) => x.meanProbs[j]),
      };
    }),
    disparity: byName(r.labels, (j) => disparityJson(r.disparity[j])),
    images: r.images.map((im) => ({
      path: im.id,
      group: im.group,
      probs: byName(r.labels, (j) => im.probs[j]),
      top: r.labels[im.top],
    })),
  };
  if (r.categories.length)
    doc.categories = byName(
      r.categories.map((c) => c.name),
      (i) => categoryJson(r.categories[i], groupNames),
    );
  return doc;
}

/** One CSV field (RFC 4180: quoted when it holds a comma, a quote or a line break). */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/** Per-image rows: path, group, top, one probability column per label, the "Top predictions" line. */
export function biasCsv(r: BiasReport): string {
  let out = csvLine(['path', 'group', 'top', ...r.labels, 'top_predictions']);
  for (const im of r.images) {
    out += csvLine([im.id, im.group, r.labels[im.top], ...Array.from(im.probs), topPredictions(r.labels, im.probs)]);
  }
  return out;
}

/**
 * The `eval --json` document: {classes, accuracy, top5, per_class: {C: {n, correct, accuracy}}, confusion}
 * (confusion rows = truth, columns = prediction; top5 is top-min(5, classes); a class without images has accuracy null).
 */
export function evaluationJson(e: Evaluation): Record<string, unknown> {
  return {
    classes: e.classes,
    accuracy: e.accuracy,
    top5: e.topKAccuracy,
    per_class: byName(e.classes, (c) => ({
      n: e.perClass[c].n,
      correct: e.perClass[c].correct,
      accuracy: finite(e.perClass[c].accuracy),
    })),
    confusion: e.confusion,
  };
}

/** Per-image rows of an evaluation: path, truth, prediction, the rank of the truth, one probability per class. */
export function evaluationCsv(e: Evaluation): string {
  let out = csvLine(['path', 'truth', 'prediction', 'truth_rank', ...e.classes]);
  for (const im of e.images) {
    out += csvLine([im.id, e.classes[im.truth], e.classes[im.prediction], im.truthRank + 1, ...Array.from(im.probs)]);
  }
  return out;
}
