/**
 * `clip-webgpu eval`: zero-shot accuracy on a labelled image folder (one sub-folder per class) or on
 * a world folder's single-object scenes (--label), with the linear probe's k-shot curve (--probe) and
 * the accuracy per distribution shift (--shifts).
 */
import { writeFile } from 'node:fs/promises';
import {
  EmbeddingCache,
  WORLD_LABELS,
  checkShifts,
  countOf,
  embedImages,
  evaluateEmbedded,
  evaluateShifts,
  evaluationCsv,
  evaluationJson,
  worldClasses,
  worldFill,
  worldTemplates,
  type Evaluation,
  type ImageItem,
  type ShiftResult,
  type WorldLabel,
} from '../model/bias/index.ts';
import {
  DEFAULT_SHOTS,
  DEFAULT_PROBE_SEEDS,
  evaluateWithProbe,
  probeJson,
  shiftsJson,
  type ProbeCurve,
} from '../model/probe/index.ts';
import { SEGMENT_CLASSES, SHIFTS } from '../model/world/index.ts';
import { ClipError } from '../errors.ts';
import { DEFAULT_TEMPLATE, TEMPLATE_PRESETS } from '../node/index.ts';
import { classFolders } from '../node/image-folder.ts';
import { isWorldFolder, readWorldFolder, worldFolderItems, type WorldFolder } from '../node/world-folder.ts';
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import { encodeProgress, positiveInt, templateArgs, warnSkipped } from './bias.ts';
import { probeText, shiftsText } from './eval-figures.ts';
import { runSegmentEval } from './eval-segment.ts';
import { EXPLAIN_METHODS, runExplainEval } from './eval-explain.ts';
import { runDetectEval } from './eval-detect.ts';
import { DETECT_MODES } from '../model/detect/index.ts';
import { SEGMENT_METHODS } from '../model/segment/index.ts';
import {
  GPU_OPTIONS,
  JSON_OPTION,
  DEFAULT_MODEL_OPTION,
  TRUNCATE_OPTION,
  promptCheck,
  withModel,
  type CliIo,
  REFINE_OPTION,
  refineArg,
} from './common.ts';
import { percent, quote, table } from './format.ts';

export const spec: CommandSpec = {
  name: 'eval',
  summary:
    'Zero-shot evaluation of a labelled folder or a world: accuracy, per class, confusion matrix, linear probe, shifts.',
  usage:
    'eval [--model PATH] --data DIR [--task classify|segment|explain|detect] [--label shape|colour] [--template T]... [--templates imagenet] ' +
    '[--probe TRAIN_DIR [--shots 1,2,4,8,16] [--seeds N]] [--shifts all|NAME,...] [--json] [--csv FILE]',
  description:
    "DIR holds one sub-folder per class; the folder name is the label, its .png/.jpg/.jpeg files are the class's\n" +
    `images. Each label becomes a prompt per template (default "${DEFAULT_TEMPLATE}"); several templates are\n` +
    "ensembled (--templates imagenet: the CLIP paper's 80). The confusion matrix has a row per true class and a\n" +
    'column per predicted class, both in the order of "classes" (sorted folder names). top5 is top-k with\n' +
    'k = min(5, classes); a class folder without images has accuracy null.\n' +
    'A world folder (written by "clip-webgpu world": truth.json) is evaluated on its single-object scenes, the\n' +
    'classes being every shape or every colour (--label), prompted "a {}" or "a {} shape" by default.\n' +
    '--probe TRAIN_DIR (of the same kind) fits a linear probe on its image embeddings (logistic regression,\n' +
    'full-batch AdamW on our kernels) and reports it beside zero-shot on the same test images, with a k-shot\n' +
    'curve: k training images per class for each --shots k, --seeds draws each, averaged. --shifts regenerates\n' +
    "the world's scenes under each shift (same seed, objects and places) and reports the accuracy on each.\n" +
    '--task segment: DIR is a world folder (clip-webgpu world): every scene is segmented by each method (--methods)\n' +
    "into the world's classes (--classes) and the background; mIoU and IoU per class over all pixels, vs raw.\n" +
    '--task explain: DIR is a world folder; on its two-object scenes each explanation method (--methods, random\n' +
    "as the baseline) maps each object's name: the pointing game (the map's peak cell on the object), and the\n" +
    "area under the name's probability as cells are deleted (blurred) or inserted in the map's order.\n" +
    '--task detect: DIR is a world folder; on its two-object scenes each detection mode (--methods) boxes each\n' +
    "object's name: the share of top boxes with IoU >= 0.5 to the object's box, and the mean IoU.",
  options: {
    ...DEFAULT_MODEL_OPTION,
    data: {
      type: 'string',
      value: 'DIR',
      help: 'A folder with one sub-folder of images per class, or a world folder (truth.json).',
    },
    label: {
      type: 'string',
      value: 'KIND',
      choices: WORLD_LABELS,
      help: "A world folder's classes: the object's shape or its colour (single-object scenes).",
    },
    probe: {
      type: 'string',
      value: 'TRAIN_DIR',
      help: 'Training images for a linear probe on the embeddings, compared with zero-shot (k-shot curve).',
    },
    shots: {
      type: 'string',
      value: 'LIST',
      help: `Training images per class for the k-shot curve (default ${DEFAULT_SHOTS.join(',')}; "all" is added).`,
    },
    seeds: { type: 'string', value: 'N', help: `Draws per k, averaged (default ${DEFAULT_PROBE_SEEDS}).` },
    shifts: {
      type: 'string',
      value: 'LIST',
      help: `World only: accuracy on the clean world and each shift: all, or some of ${SHIFTS.join(', ')}.`,
    },
    template: { type: 'string', multiple: true, value: 'T', help: 'A prompt template with {} for the class name.' },
    templates: {
      type: 'string',
      value: 'NAME',
      choices: Object.keys(TEMPLATE_PRESETS),
      help: 'A preset list of templates (ensembled).',
    },
    csv: {
      type: 'string',
      value: 'FILE',
      help: 'Write one row per image (path, truth, prediction, rank of the truth, probabilities).',
    },
    'batch-size': { type: 'string', value: 'N', help: 'Images decoded and encoded per GPU pass (default 16).' },
    task: {
      type: 'string',
      value: 'TASK',
      choices: ['classify', 'segment', 'explain', 'detect'],
      help:
        'classify (default): a folder of class folders; segment: mIoU per method on a world folder (truth.json); ' +
        'explain: pointing game and deletion/insertion per explanation method on a world folder; ' +
        'detect: boxes with IoU >= 0.5 per detection mode on a world folder.',
    },
    methods: {
      type: 'string',
      value: 'A,B',
      help: `segment, explain, detect: the methods to score (default all: ${SEGMENT_METHODS.join(', ')}; ${EXPLAIN_METHODS.join(', ')}; ${DETECT_MODES.join(', ')}).`,
    },
    classes: {
      type: 'string',
      value: 'KIND',
      choices: SEGMENT_CLASSES,
      help: 'segment: what a pixel is labelled with: shape (default), colour or object (colour + shape).',
    },
    background: { type: 'string', value: 'TEXT', help: 'segment: the background prompt (default "the background").' },
    threshold: {
      type: 'string',
      value: 'X',
      help: 'segment: background below this probability instead of a prompt (relevance: below X times the best map; default 0.5).',
    },
    limit: { type: 'string', value: 'N', help: 'segment, explain, detect: score the first N scenes only.' },
    steps: { type: 'string', value: 'N', help: 'explain: points on each deletion/insertion curve (default 16).' },
    ...REFINE_OPTION,
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu eval --data shapes/   # shapes/circle/*.png, shapes/square/*.png, ... with the shipped model',
    'clip-webgpu eval --model weights/clip-vit-base-patch32 --data photos/',
    'clip-webgpu eval --model weights/clip-vit-base-patch32 --data photos/ --templates imagenet --json',
    'clip-webgpu eval --model weights/shapes-clip --data world/test --label shape --probe world/train --shifts all',
  ],
};

interface EvalData {
  items: ImageItem[];
  classes: string[];
  world?: WorldFolder;
}

/** A class-folder dataset or a world folder's single-object scenes labelled by `label`. */
async function readData(dir: string, label: WorldLabel | undefined, io: CliIo, what: string): Promise<EvalData> {
  if (isWorldFolder(dir)) {
    if (!label)
      throw new UsageError(
        `${dir} is a world folder (truth.json): choose its classes with --label shape or --label colour`,
        'eval',
      );
    const world = await readWorldFolder(dir, '--data');
    return { items: worldFolderItems(world, label), classes: worldClasses(label), world };
  }
  if (label) throw new UsageError(`--label is for a world folder (truth.json), and ${what} ${dir} has none`, 'eval');
  const data = await classFolders(dir);
  if (data.classes.length === 0)
    throw new ClipError(
      'input',
      `${dir} has no sub-folders: put each class's images in a folder named after the class`,
    );
  if (data.items.length === 0)
    throw new ClipError('input', `${dir} has no .png/.jpg/.jpeg images in its class folders`);
  warnSkipped(io, data.skipped);
  return { items: data.items, classes: data.classes };
}

function shotList(args: ParsedArgs): number[] {
  const text = args.str('shots');
  if (text === undefined) return [...DEFAULT_SHOTS];
  const shots = text.split(',').map((t) => Number(t.trim()));
  if (!shots.length || shots.some((k) => !Number.isInteger(k) || k < 1))
    throw new UsageError(
      `--shots must be positive integers separated by commas (e.g. 1,2,4), got ${JSON.stringify(text)}`,
      'eval',
    );
  return shots;
}

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.str('task') === 'segment') {
    if (args.str('steps') !== undefined) throw new UsageError('--steps applies to --task explain', 'eval');
    return runSegmentEval(args, io);
  }
  if (args.str('task') === 'explain' || args.str('task') === 'detect') {
    for (const o of ['classes', 'background', 'threshold'])
      if (args.str(o) !== undefined) throw new UsageError(`--${o} applies to --task segment`, 'eval');
    if (args.str('task') === 'explain') {
      return runExplainEval(args, io);
    }
    if (args.str('steps') !== undefined) throw new UsageError('--steps applies to --task explain', 'eval');
    return runDetectEval(args, io);
  }
  for (const o of ['methods', 'classes', 'background', 'threshold', 'limit', 'steps']) {
    if (args.str(o) !== undefined) throw new UsageError(`--${o} applies to --task segment, explain or detect`, 'eval');
  }
  if (refineArg(args)) throw new UsageError('--refine applies to --task segment, explain or detect', 'eval');
  const dir = args.need('data', '--data DIR');
  const label = args.str('label') as WorldLabel | undefined;
  const batchSize = positiveInt(args, 'batch-size', 16);
  const truncate = args.flag('truncate');
  const csv = args.str('csv');
  const shots = shotList(args);
  const seeds = positiveInt(args, 'seeds', DEFAULT_PROBE_SEEDS);
  const probeDir = args.str('probe');
  const shiftsArg = args.str('shifts');
  for (const o of ['shots', 'seeds'])
    if (args.str(o) !== undefined && !probeDir) throw new UsageError(`--${o} needs --probe TRAIN_DIR`, 'eval');
  const data = await readData(dir, label, io, '--data');
  const shifts = shiftsArg === undefined ? undefined : checkShiftArg(shiftsArg, data.world);
  const train = probeDir ? await readData(probeDir, label, io, '--probe') : undefined;
  if (train) {
    const known = new Set(data.classes);
    const stray = train.items.find((i) => !known.has(i.group));
    if (stray) throw new ClipError('input', `${stray.id}: class "${stray.group}" of --probe is not a class of --data.`);
  }
  const explicit = args.str('templates') !== undefined || args.list('template').length > 0;
  const templates = data.world && !explicit ? worldTemplates(label!) : templateArgs(args);
  const fill = data.world ? worldFill : undefined;
  const prompts = data.classes.flatMap((c) => templates.map((t) => (fill ? fill(t, c) : t.replaceAll('{}', c))));
  const images = [...data.items, ...(train?.items ?? [])].map((i) => i.id);

  await withModel(
    args,
    io,
    async (model) => {
      const progress = encodeProgress(io, args.flag('verbose'));
      const cache = new EmbeddingCache();
      let e: Evaluation;
      let curve: ProbeCurve | undefined;
      let shiftResults: ShiftResult[] | undefined;
      try {
        const embed = { batchSize, cache, onProgress: progress.update };
        const test = await embedImages(model, data.items, embed);
        e = await evaluateEmbedded(model, test, { classes: data.classes, templates, fill, truncate });
        if (train) {
          const trainEmbedded = await embedImages(model, train.items, embed);
          ({ curve } = await evaluateWithProbe(model, trainEmbedded, test, {
            classes: data.classes,
            templates,
            fill,
            truncate,
            shots,
            seeds,
          }));
        }
        if (shifts && data.world) {
          const { seed, n, size, objects } = data.world;
          shiftResults = await evaluateShifts(
            model,
            { seed, n, size, objects },
            { label: label!, shifts, templates, truncate, ...embed, known: new Map([[data.world.shift, e]]) },
          );
        }
      } finally {
        progress.done();
      }
      if (csv) await writeFile(csv, evaluationCsv(e));
      if (args.flag('json')) {
        const doc: Record<string, unknown> = evaluationJson(e);
        if (label) Object.assign(doc, { label, templates: e.templates });
        if (curve) doc.probe = probeJson(curve);
        if (shiftResults) doc.shifts = shiftsJson(shiftResults);
        io.stdout.write(JSON.stringify(doc) + '\n');
        return;
      }
      io.stdout.write(textReport(e, model.name, csv));
      if (curve) io.stdout.write(probeText(curve));
      if (shiftResults) io.stdout.write(shiftsText(shiftResults));
    },
    { tokenizer: promptCheck(prompts, truncate), images },
  );
  return 0;
}

/** --shifts all|NAME,...: the shifts to regenerate besides the clean world (world folders only). */
function checkShiftArg(text: string, world: WorldFolder | undefined) {
  if (!world) throw new UsageError('--shifts needs a world folder (truth.json) as --data', 'eval');
  const names = text.trim() === 'all' ? [...SHIFTS] : text.split(',').map((t) => t.trim());
  try {
    return checkShifts(names).filter((s) => s !== 'none');
  } catch (err) {
    throw new UsageError(`--shifts: ${(err as Error).message}`, 'eval');
  }
}

function textReport(e: Evaluation, model: string, csv: string | undefined): string {
  const how = e.templates.length === 1 ? `template "${e.templates[0]}"` : `${e.templates.length} templates ensembled`;
  const top1 = Math.round(e.accuracy * e.n);
  const topk = Math.round(e.topKAccuracy * e.n);
  const out = [
    `Zero-shot evaluation: ${model}, ${countOf(e.n, 'image')} in ${countOf(e.classes.length, 'class', 'classes')}, ${how}\n`,
    `top-1 accuracy  ${percent(e.accuracy)}  (${top1}/${e.n}, 95% CI ${percent(e.accuracyCi[0], 1)}–${percent(e.accuracyCi[1], 1)})\n`,
    `top-${e.topK} accuracy  ${percent(e.topKAccuracy)}  (${topk}/${e.n})\n`,
    '\n',
    table(
      [
        ['#', 'class', 'n', 'correct', 'accuracy'],
        ...e.perClass.map((c, i) => [
          String(i + 1),
          quote(c.name),
          String(c.n),
          String(c.correct),
          c.n ? percent(c.accuracy) : '—',
        ]),
      ],
      { align: ['right', 'left', 'right', 'right', 'right'] },
    ),
    '\nConfusion matrix (rows: true class, columns: predicted class, by #)\n',
    table(
      [
        ['#', ...e.classes.map((_, i) => String(i + 1))],
        ...e.confusion.map((row, i) => [String(i + 1), ...row.map(String)]),
      ],
      {
        align: e.classes.map(() => 'right' as const).concat('right'),
      },
    ),
  ];
  if (csv) out.push(`\nwrote ${csv}\n`);
  return out.join('');
}
