/**
 * `clip-webgpu eval --task segment`: mIoU of each segmentation method on a world folder (truth.json
 * with one mask PNG per object), against the raw patch-token baseline. Classes are the world's
 * shapes, colours or colour+shape objects, plus the background (class 0).
 */
import { join } from 'node:path';
import { ClipError } from '../errors.ts';
import { IouCounter, SEGMENT_METHODS, type IouScore, type SegmentMethod } from '../model/segment/index.ts';
import {
  SEGMENT_BACKGROUND_PROMPT,
  SEGMENT_TEMPLATES,
  fixArticles,
  segmentClasses,
  type SegmentClasses,
} from '../model/world/index.ts';
import { nodePlatform } from '../node/index.ts';
import { readWorldFolder } from '../node/world-folder.ts';
import { UsageError, type ParsedArgs } from './args.ts';
import { promptCheck, refineArg, refineRuns, runName, withModel, type CliIo } from './common.ts';
import { percent, quote, table } from './format.ts';

export async function runSegmentEval(args: ParsedArgs, io: CliIo): Promise<number> {
  const dir = args.need('data', '--data DIR');
  const kind = (args.str('classes') ?? 'shape') as SegmentClasses;
  const methods = (args.str('methods')?.split(',') ?? [...SEGMENT_METHODS]).map((m) => m.trim()) as SegmentMethod[];
  for (const m of methods) {
    if (!SEGMENT_METHODS.includes(m))
      throw new UsageError(`--methods: unknown method "${m}" (known: ${SEGMENT_METHODS.join(', ')})`, 'eval');
  }
  const threshold = args.str('threshold') === undefined ? undefined : Number(args.str('threshold'));
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1))
    throw new UsageError(`--threshold is a number in 0..1, got ${args.str('threshold')}`, 'eval');
  if (threshold !== undefined && args.str('background') !== undefined)
    throw new UsageError('give --background TEXT or --threshold X, not both', 'eval');
  const backgroundText = args.str('background') ?? SEGMENT_BACKGROUND_PROMPT;
  const limit = args.int('limit', Number.MAX_SAFE_INTEGER);
  if (limit < 1) throw new UsageError(`--limit must be at least 1, got ${limit}`, 'eval');
  const templates = args.list('template');
  if (templates.length === 0) templates.push(SEGMENT_TEMPLATES[kind]);
  for (const t of templates) {
    if (!t.includes('{}'))
      throw new UsageError(`--template ${JSON.stringify(t)} has no {} where the class goes`, 'eval');
  }
  const world = await readWorldFolder(dir, '--task segment');
  const [root, scenes] = [world.dir, world.scenes.slice(0, limit)];
  const classes = segmentClasses(kind);
  const labels = classes.names.slice(1);
  const prompts = labels.flatMap((l) => templates.map((t) => fixArticles(t.replaceAll('{}', l))));
  const truncate = args.flag('truncate');

  await withModel(
    args,
    io,
    async (model) => {
      // Each label ensembled over the templates (articles fixed: "an orange circle"), the background as given.
      const embeds = await Promise.all(
        labels.map(async (l) => {
          const [e] = await model.labelEmbeddings(
            templates.map((t) => fixArticles(t.replaceAll('{}', l))),
            { templates: ['{}'], truncate },
          );
          return e;
        }),
      );
      const withBackground =
        threshold === undefined
          ? [...embeds, ...(await model.labelEmbeddings([backgroundText], { templates: ['{}'], truncate }))]
          : embeds;
      // With --refine, each method twice: as is, then with its maps refined by the image (PAMR).
      const refine = refineArg(args);
      const runs = refineRuns(methods, refine);
      const names = runs.map((r) => runName(r.method, r.refine));
      const counters = runs.map(() => new IouCounter(classes.names));
      const t0 = performance.now();
      for (const [n, scene] of scenes.entries()) {
        const image = await nodePlatform.decodeImage(join(root, scene.file));
        const truth = new Uint8Array(image.width * image.height);
        for (const o of scene.objects) {
          const m = await nodePlatform.decodeImage(join(root, o.mask));
          if (m.width !== image.width || m.height !== image.height)
            throw new ClipError(
              'input',
              `${o.mask} is ${m.width}x${m.height}; its image is ${image.width}x${image.height}`,
            );
          const id = classes.of(o);
          for (let i = 0; i < truth.length; i++) if (m.data[i * m.channels] >= 128) truth[i] = id;
        }
        for (const [k, { method, refine }] of runs.entries()) {
          const s = await model.segment(image, labels, {
            method,
            background: threshold ?? backgroundText,
            embeddings: withBackground,
            refine,
          });
          counters[k].add(s.mask, truth);
        }
        if (args.flag('verbose') && (n + 1) % 50 === 0)
          io.stderr.write(`clip-webgpu: ${n + 1}/${scenes.length} scenes\n`);
      }
      const scores = counters.map((c) => c.score());
      const ms = (performance.now() - t0) / (scenes.length * runs.length);
      if (args.flag('json')) {
        io.stdout.write(
          JSON.stringify({
            task: 'segment',
            model: model.name,
            classes: classes.names,
            templates,
            background: threshold === undefined ? { label: backgroundText } : { threshold },
            images: scenes.length,
            methods: runs.map(({ method, refine }, k) => ({
              method,
              refine: refine !== false,
              ...scoreJson(scores[k]),
            })),
            ms_per_map: ms,
          }) + '\n',
        );
        return;
      }
      io.stdout.write(report(names, scores, model.name, kind, scenes.length, ms));
    },
    { tokenizer: promptCheck([...prompts, backgroundText], truncate) },
  );
  return 0;
}

function scoreJson(s: IouScore) {
  return { miou: s.miou, pixel_accuracy: s.pixelAccuracy, iou: s.iou };
}

function report(
  methods: readonly string[],
  scores: readonly IouScore[],
  model: string,
  kind: SegmentClasses,
  images: number,
  ms: number,
): string {
  const raw = methods.indexOf('raw');
  const head = ['method', 'mIoU', ...(raw >= 0 ? ['vs raw'] : []), 'pixel acc.'];
  const body = methods.map((m, k) => [
    m,
    percent(scores[k].miou, 1),
    ...(raw >= 0
      ? [
          k === raw
            ? ''
            : `${scores[k].miou >= scores[raw].miou ? '+' : ''}${(100 * (scores[k].miou - scores[raw].miou)).toFixed(1)}`,
        ]
      : []),
    percent(scores[k].pixelAccuracy, 1),
  ]);
  const classes = scores[0].classes;
  const perClass = [
    ['class', ...methods],
    ...classes.map((c, i) => [quote(c), ...scores.map((s) => (s.iou[i] === null ? '—' : percent(s.iou[i]!, 1)))]),
  ];
  return [
    `Segmentation: ${model}, ${images} world scenes, ${classes.length} classes (${kind} + background), ${ms.toFixed(0)} ms per map\n`,
    table([head, ...body], { align: ['left', 'right', 'right', 'right'] }),
    '\nIoU per class\n',
    table(perClass, { align: ['left', ...methods.map(() => 'right' as const)] }),
  ].join('');
}
