/** `clip-webgpu bias`: a bias probe over groups of images (one folder each) and a label set. */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  BIAS_PRESETS,
  BIAS_PRESET_NAMES,
  BiasProbe,
  biasCsv,
  countOf,
  biasReportJson,
  topPredictions,
  toneProbeItems,
  TONE_PROBE_DEFAULTS,
  type BiasReport,
  type Disparity,
  type EncodeProgress,
  type ImageItem,
} from '../model/bias/index.ts';
import { ClipError } from '../errors.ts';
import { SHAPES, type Shape } from '../model/world/index.ts';
import { DEFAULT_TEMPLATE, TEMPLATE_PRESETS } from '../node/index.ts';
import { imageFolder } from '../node/image-folder.ts';
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import {
  GPU_OPTIONS,
  JSON_OPTION,
  DEFAULT_MODEL_OPTION,
  TRUNCATE_OPTION,
  promptCheck,
  withModel,
  type CliIo,
} from './common.ts';
import { percent, quote, table } from './format.ts';

export const spec: CommandSpec = {
  name: 'bias',
  summary: 'Bias probe: how often each group of images gets each label, with 95% intervals and disparities.',
  usage:
    'bias [--model PATH] --group NAME=DIR... (--label LABEL... | --preset NAME) [--template T]... [--json] [--csv FILE]\n' +
    '      bias [--model PATH] --preset world-backgrounds [--probe-n N] [--probe-seed S] [--probe-shapes LIST] [--json]',
  description:
    "Every image (.png/.jpg/.jpeg in each group's folder) is classified over the labels (zero-shot, as classify\n" +
    'does); its top-1 label counts as a hit. Per group and label: the count, the rate and its Wilson 95% interval,\n' +
    'and the mean probability. Per label across groups: the ratio of the highest rate to the lowest (null in JSON\n' +
    'when only the lowest is 0) and MaxSkew = max over groups of ln(group rate / pooled rate) (0: no group is\n' +
    'over-represented; ln 2 = 0.69: a group gets the label twice as often as all images together).\n' +
    `Presets: ${BIAS_PRESET_NAMES.join(', ')} (the clip-fairface sets also report their crime-related and\n` +
    'non-human categories as a whole). Each image is read and encoded once, however many labels.\n' +
    'world-backgrounds brings its own images when no --group is given: --probe-n single-object world scenes per\n' +
    'shape (default 20), each drawn on a dark and on a light background (groups dark and light, the tones of\n' +
    'world --spurious), labels = the shapes with the template "a {}": a model trained on a world where triangles\n' +
    'are mostly dark says "triangle" more often on the dark scenes. --probe-shapes circle,square,cross,star leaves\n' +
    'the triangles out, so the "triangle" rate is the rate of false triangles.',
  options: {
    ...DEFAULT_MODEL_OPTION,
    group: { type: 'string', multiple: true, value: 'NAME=DIR', help: 'A group: its name and a folder of its images.' },
    label: { type: 'string', multiple: true, value: 'LABEL', help: "A label (added after the preset's, if any)." },
    preset: { type: 'string', value: 'NAME', choices: BIAS_PRESET_NAMES, help: 'A preset label set.' },
    template: {
      type: 'string',
      multiple: true,
      value: 'T',
      help: `A prompt template with {} for the label (default "${DEFAULT_TEMPLATE}").`,
    },
    templates: {
      type: 'string',
      value: 'NAME',
      choices: Object.keys(TEMPLATE_PRESETS),
      help: 'A preset list of templates (ensembled).',
    },
    csv: {
      type: 'string',
      value: 'FILE',
      help: 'Write one row per image (path, group, top label, one probability per label).',
    },
    top: { type: 'string', value: 'K', help: 'Labels in each image\'s "Top predictions" line (default 5).' },
    'summary-only': { type: 'boolean', help: 'Leave the per-image lines out of the table output.' },
    'batch-size': { type: 'string', value: 'N', help: 'Images decoded and encoded per GPU pass (default 16).' },
    'probe-n': {
      type: 'string',
      value: 'N',
      help: `world-backgrounds: scenes per shape, each on dark and on light (default ${TONE_PROBE_DEFAULTS.perShape}).`,
    },
    'probe-seed': {
      type: 'string',
      value: 'S',
      help: `world-backgrounds: the world seed of the scenes (default ${TONE_PROBE_DEFAULTS.seed}).`,
    },
    'probe-shapes': {
      type: 'string',
      value: 'LIST',
      help: 'world-backgrounds: the shapes drawn, comma-separated (default all five).',
    },
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu bias --model weights/clip-vit-base-patch32 --group women=faces/women --group men=faces/men --preset doctor-nurse',
    'clip-webgpu bias --model weights/clip-vit-base-patch32 --group "Black men=faces/bm" --group "white men=faces/wm" --label Human --label Gorilla --json',
    'clip-webgpu bias --model runs/biased/step-2000 --preset world-backgrounds --probe-shapes circle,square,cross,star',
  ],
};

/** NAME=DIR pairs, in order. */
export function parseGroups(values: readonly string[], command = 'bias'): { name: string; dir: string }[] {
  if (values.length === 0) throw new UsageError(`${command} needs at least one --group NAME=DIR`, command);
  const seen = new Set<string>();
  return values.map((v) => {
    const eq = v.indexOf('=');
    const name = eq < 0 ? '' : v.slice(0, eq).trim();
    const dir = eq < 0 ? '' : v.slice(eq + 1);
    if (!name || !dir)
      throw new UsageError(`--group ${JSON.stringify(v)} is not NAME=DIR (e.g. --group women=photos/women)`, command);
    if (seen.has(name)) throw new UsageError(`--group ${JSON.stringify(name)} is given twice`, command);
    seen.add(name);
    return { name, dir };
  });
}

/** The templates of --templates and --template, or the default one; each must hold {}. */
export function templateArgs(args: ParsedArgs): string[] {
  const preset = args.str('templates');
  const templates = [...(preset ? TEMPLATE_PRESETS[preset] : []), ...args.list('template')];
  if (templates.length === 0) templates.push(DEFAULT_TEMPLATE);
  for (const t of templates) {
    if (!t.includes('{}'))
      throw new UsageError(`--template ${JSON.stringify(t)} has no {} where the label goes`, args.command);
  }
  return templates;
}

/** One line on stderr naming the files that were not images. */
export function warnSkipped(io: CliIo, skipped: readonly string[]): void {
  if (!skipped.length) return;
  const shown = skipped.slice(0, 5).join(', ') + (skipped.length > 5 ? `, and ${skipped.length - 5} more` : '');
  const what =
    skipped.length === 1 ? 'entry that is not a .png/.jpg/.jpeg image' : 'entries that are not .png/.jpg/.jpeg images';
  io.stderr.write(`clip-webgpu: skipped ${skipped.length} ${what}: ${shown}\n`);
}

/** On a terminal: one rewritten "encoding images" line, erased when done; with --verbose a summary. */
export function encodeProgress(io: CliIo, verbose: boolean): { update: (p: EncodeProgress) => void; done: () => void } {
  const started = Date.now();
  let last: EncodeProgress | null = null,
    shown = false,
    at = 0;
  return {
    update(p) {
      last = p;
      const now = Date.now();
      if (!io.stderr.isTTY || (now - at < 100 && p.done < p.total)) return;
      at = now;
      io.stderr.write(
        `\rclip-webgpu: encoding images ${p.done}/${p.total}${p.cached ? ` (${p.cached} cached)` : ''}\x1b[K`,
      );
      shown = true;
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
      if (verbose && last) {
        const l = last as EncodeProgress;
        io.stderr.write(
          `clip-webgpu: encoded ${countOf(l.done - l.cached, 'image')}${l.cached ? ` (${l.cached} from the cache)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      }
    },
  };
}

export function positiveInt(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.int(name, fallback);
  if (v < 1) throw new UsageError(`--${name} must be at least 1, got ${v}`, args.command);
  return v;
}

/** The world-backgrounds probe set from --probe-n, --probe-seed and --probe-shapes. */
function toneProbe(args: ParsedArgs): ImageItem[] {
  const shapes = args
    .str('probe-shapes')
    ?.split(',')
    .map((s) => s.trim());
  for (const s of shapes ?? []) {
    if (!(SHAPES as readonly string[]).includes(s))
      throw new UsageError(`--probe-shapes: unknown shape "${s}"; shapes: ${SHAPES.join(', ')}`, 'bias');
  }
  return toneProbeItems({
    perShape: positiveInt(args, 'probe-n', TONE_PROBE_DEFAULTS.perShape),
    seed: args.int('probe-seed', TONE_PROBE_DEFAULTS.seed),
    shapes: shapes as Shape[] | undefined,
  });
}

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const preset = args.str('preset') ? BIAS_PRESETS[args.str('preset')!] : undefined;
  const generated = preset?.probeSet === 'world-tones' && args.list('group').length === 0;
  if (!generated) {
    for (const o of ['probe-n', 'probe-seed', 'probe-shapes']) {
      if (args.str(o) !== undefined)
        throw new UsageError(`--${o} is for --preset world-backgrounds without --group`, 'bias');
    }
  }
  const groups = generated ? [] : parseGroups(args.list('group'));
  const labels = [...(preset?.labels ?? []), ...args.list('label')];
  if (labels.length === 0) throw new UsageError('bias needs --label LABEL... or --preset NAME', 'bias');
  labels.forEach((l, i) => {
    if (!l.trim()) throw new UsageError(`--label number ${i + 1 - (preset?.labels.length ?? 0)} is empty`, 'bias');
    if (labels.indexOf(l) !== i) throw new UsageError(`the label ${JSON.stringify(l)} is given twice`, 'bias');
  });
  const ownTemplates = args.str('templates') !== undefined || args.list('template').length > 0;
  const templates = !ownTemplates && preset?.templates ? [...preset.templates] : templateArgs(args);
  const top = positiveInt(args, 'top', 5);
  const batchSize = positiveInt(args, 'batch-size', 16);
  const truncate = args.flag('truncate');
  const csv = args.str('csv');

  // The folders, before the model: a missing or empty one fails fast.
  const items: ImageItem[] = generated ? toneProbe(args) : [];
  const groupNames = generated ? ['dark', 'light'] : groups.map((g) => g.name);
  const skipped: string[] = [];
  for (const g of groups) {
    const found = await imageFolder(g.dir, g.name);
    if (found.items.length === 0)
      throw new ClipError('input', `group "${g.name}": ${g.dir} has no .png/.jpg/.jpeg images`);
    items.push(...found.items);
    skipped.push(...found.skipped);
  }
  warnSkipped(io, skipped);
  const prompts = labels.flatMap((l) => templates.map((t) => t.replaceAll('{}', l)));

  await withModel(
    args,
    io,
    async (model) => {
      const progress = encodeProgress(io, args.flag('verbose'));
      let probe: BiasProbe;
      try {
        probe = await BiasProbe.create(model, items, {
          groups: groupNames,
          batchSize,
          onProgress: progress.update,
        });
      } finally {
        progress.done();
      }
      const report = await probe.score(labels, { templates, truncate, categories: preset?.categories });
      if (csv) await writeFile(csv, biasCsv(report));
      if (args.flag('json')) {
        io.stdout.write(JSON.stringify(biasReportJson(report)) + '\n');
        return;
      }
      io.stdout.write(textReport(report, model.name, { top, perImage: !args.flag('summary-only'), csv }));
    },
    { tokenizer: promptCheck(prompts, truncate), images: generated ? [] : items.map((i) => i.id) },
  );
  return 0;
}

const ratio = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '∞');
const skew = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '−∞');
const interval = ([lo, hi]: [number, number]) => `[${percent(lo, 1)}, ${percent(hi, 1)}]`;

function disparityRows(names: string[], ds: Disparity[], groups: string[]): string[][] {
  return names.map((name, j) => {
    const d = ds[j];
    const same = d.maxMinDifference === 0; // every group at the same rate: no highest or lowest
    return [
      quote(name),
      ratio(d.maxMinRatio),
      skew(d.maxSkew),
      same ? '—' : groups[d.highest],
      same ? '—' : groups[d.lowest],
    ];
  });
}

/** The readable report: per-image lines, a table per group and label, the disparities. */
export function textReport(r: BiasReport, model: string, o: { top: number; perImage: boolean; csv?: string }): string {
  const groups = r.groups.map((g) => g.name);
  const how = r.templates.length === 1 ? `template "${r.templates[0]}"` : `${r.templates.length} templates ensembled`;
  const out = [
    `Bias probe: ${model}, ${countOf(groups.length, 'group')}, ${countOf(r.images.length, 'image')}, ${countOf(r.labels.length, 'label')}, ${how}\n`,
  ];
  if (o.perImage) {
    out.push('\n');
    out.push(
      table(
        r.images.map((im) => [basename(im.id), im.group, topPredictions(r.labels, im.probs, o.top)]),
        { header: false },
      ),
    );
  }
  const rows: string[][] = [['label', 'group', 'n', 'count', 'rate', '95% CI', 'mean prob']];
  r.labels.forEach((label, j) => {
    r.groups.forEach((g, gi) => {
      rows.push([
        gi ? '' : quote(label),
        g.name,
        String(g.n),
        String(g.counts[j]),
        percent(g.rates[j], 1),
        interval(g.ci[j]),
        g.meanProbs[j].toFixed(4),
      ]);
    });
  });
  out.push('\n', table(rows, { align: ['left', 'left', 'right', 'right', 'right', 'left', 'right'] }));
  for (const c of r.categories) {
    const crow: string[][] = [[`${c.name} (${c.labels.join(', ')})`, 'n', 'count', 'rate', '95% CI']];
    r.groups.forEach((g, gi) =>
      crow.push([g.name, String(g.n), String(c.counts[gi]), percent(c.rates[gi], 1), interval(c.ci[gi])]),
    );
    out.push('\n', table(crow, { align: ['left', 'right', 'right', 'right', 'left'] }));
  }
  if (groups.length > 1) {
    const head = ['label', 'max/min', 'MaxSkew', 'highest', 'lowest'];
    const drows = [
      head,
      ...disparityRows(r.labels, r.disparity, groups),
      ...disparityRows(
        r.categories.map((c) => c.name),
        r.categories.map((c) => c.disparity),
        groups,
      ),
    ];
    out.push('\nDisparity across groups (max/min: highest rate / lowest; MaxSkew: max ln(group rate / pooled rate))\n');
    out.push(table(drows, { align: ['left', 'right', 'right', 'left', 'left'] }));
  }
  if (o.csv) out.push(`\nwrote ${o.csv}\n`);
  return out.join('');
}
