/** `clip-webgpu eval`: zero-shot accuracy on a labelled image folder (one sub-folder per class). */
import { writeFile } from 'node:fs/promises';
import { countOf, evaluateDataset, evaluationCsv, evaluationJson, type Evaluation } from '../model/bias/index.ts';
import { ClipError } from '../errors.ts';
import { DEFAULT_TEMPLATE, TEMPLATE_PRESETS } from '../node/index.ts';
import { classFolders } from '../node/image-folder.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import { encodeProgress, positiveInt, templateArgs, warnSkipped } from './bias.ts';
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
  name: 'eval',
  summary: 'Zero-shot evaluation of a labelled folder: top-1/top-5 accuracy, per class, confusion matrix.',
  usage: 'eval [--model PATH] --data DIR [--template T]... [--templates imagenet] [--json] [--csv FILE]',
  description:
    "DIR holds one sub-folder per class; the folder name is the label, its .png/.jpg/.jpeg files are the class's\n" +
    `images. Each label becomes a prompt per template (default "${DEFAULT_TEMPLATE}"); several templates are\n` +
    "ensembled (--templates imagenet: the CLIP paper's 80). The confusion matrix has a row per true class and a\n" +
    'column per predicted class, both in the order of "classes" (sorted folder names). top5 is top-k with\n' +
    'k = min(5, classes); a class folder without images has accuracy null.',
  options: {
    ...DEFAULT_MODEL_OPTION,
    data: { type: 'string', value: 'DIR', help: 'A folder with one sub-folder of images per class.' },
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
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu eval --data shapes/   # shapes/circle/*.png, shapes/square/*.png, ... with the shipped model',
    'clip-webgpu eval --model weights/clip-vit-base-patch32 --data photos/',
    'clip-webgpu eval --model weights/clip-vit-base-patch32 --data photos/ --templates imagenet --json',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const dir = args.need('data', '--data DIR');
  const templates = templateArgs(args);
  const batchSize = positiveInt(args, 'batch-size', 16);
  const truncate = args.flag('truncate');
  const csv = args.str('csv');
  const data = await classFolders(dir);
  if (data.classes.length === 0)
    throw new ClipError(
      'input',
      `${dir} has no sub-folders: put each class's images in a folder named after the class`,
    );
  if (data.items.length === 0)
    throw new ClipError('input', `${dir} has no .png/.jpg/.jpeg images in its class folders`);
  warnSkipped(io, data.skipped);
  const prompts = data.classes.flatMap((c) => templates.map((t) => t.replaceAll('{}', c)));

  await withModel(
    args,
    io,
    async (model) => {
      const progress = encodeProgress(io, args.flag('verbose'));
      let e: Evaluation;
      try {
        e = await evaluateDataset(model, data.items, {
          classes: data.classes,
          templates,
          truncate,
          batchSize,
          onProgress: progress.update,
        });
      } finally {
        progress.done();
      }
      if (csv) await writeFile(csv, evaluationCsv(e));
      if (args.flag('json')) {
        io.stdout.write(JSON.stringify(evaluationJson(e)) + '\n');
        return;
      }
      io.stdout.write(textReport(e, model.name, csv));
    },
    { tokenizer: promptCheck(prompts, truncate), images: data.items.map((i) => i.id) },
  );
  return 0;
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
