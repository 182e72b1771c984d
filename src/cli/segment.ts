/** `clip-webgpu segment`: training-free segmentation, a label (or background) per pixel. */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PNG } from 'pngjs';
import { DEFAULT_TEMPLATE, SEGMENT_BACKGROUND, SEGMENT_METHODS, TEMPLATE_PRESETS } from '../node/index.ts';
import type { SegmentMethod, Segmentation } from '../node/index.ts';
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
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
import { BOX_COLOURS } from './detect.ts';
import { bar, percent, quote, rows, table } from './format.ts';

export const spec: CommandSpec = {
  name: 'segment',
  summary:
    'Training-free segmentation: a label per pixel (MaskCLIP, SCLIP, ClearCLIP, NACLIP, raw patches or relevance).',
  usage:
    'segment [--model PATH] --image FILE --labels A,B,C [--method M] [--background LABEL | --threshold X] ' +
    '[--window PX [--stride PX]] [--out mask.png] [--json]',
  description:
    'Each method changes only the last vision block: maskclip keeps the value path (no query-key attention),\n' +
    'sclip uses q-q + k-k attention, clearclip q-q attention without the residual and the MLP, naclip (default)\n' +
    'k-k attention with a Gaussian neighbourhood window, without the residual and the MLP; raw takes the plain\n' +
    'patch tokens (the baseline). The patch tokens go through post_layernorm and the visual projection and are\n' +
    'compared with each label (cosine): logits on the patch grid, upsampled bilinearly to the image, best label\n' +
    'per pixel. The image is resized to the model input whole (no crop), or cut into --window px windows every\n' +
    '--stride px whose maps are averaged. Background: a label of its own (--background) or pixels whose best\n' +
    'probability (softmax of 40 x cosine over the labels) is below --threshold.\n' +
    "relevance reads no patch tokens: each label's relevance map (as explain --method relevance), over its\n" +
    "maximum, times the label's zero-shot probability; background where the best is below --threshold x the\n" +
    "image's best (default 0.5). It points on models whose patch tokens do not (weights/shapes-clip);\n" +
    'one forward and backward per label. Add --refine for masks that follow the edges.\n' +
    'The JSON document has labels, grid [rows, cols], logits [label][row][col], mask [y][x] (label index,\n' +
    '-1 = background), method and background (relevance: also relevance_share).',
  options: {
    ...DEFAULT_MODEL_OPTION,
    image: { type: 'string', value: 'FILE', help: 'A PNG or JPEG image.' },
    labels: { type: 'string', value: 'A,B,C', help: 'Comma-separated class names.' },
    label: { type: 'string', multiple: true, value: 'LABEL', help: 'A class name (repeatable; adds to --labels).' },
    method: {
      type: 'string',
      value: 'M',
      choices: SEGMENT_METHODS,
      help: 'How the last block is changed, or relevance (default naclip).',
    },
    background: { type: 'string', value: 'LABEL', help: 'A background class name: its pixels are background.' },
    threshold: {
      type: 'string',
      value: 'X',
      help: "Background where the best label is less probable than X (0..1; needs 2+ labels); relevance: where the best map is below X times the image's best.",
    },
    window: { type: 'string', value: 'PX', help: 'Sliding windows of PX image pixels (default: the whole image).' },
    stride: { type: 'string', value: 'PX', help: 'Step between windows (default window / 2).' },
    template: {
      type: 'string',
      multiple: true,
      value: 'T',
      help: `A prompt template (default "${DEFAULT_TEMPLATE}").`,
    },
    templates: {
      type: 'string',
      value: 'NAME',
      choices: Object.keys(TEMPLATE_PRESETS),
      help: 'A preset list of templates.',
    },
    ...REFINE_OPTION,
    out: { type: 'string', value: 'FILE', help: 'Write the mask as a PNG: one colour per label, background black.' },
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu segment --model weights/shapes-clip --image scene.png --labels "red circle,blue square" --background background --out mask.png',
    'clip-webgpu segment --model weights/clip-vit-base-patch16 --image street.jpg --labels car,person,road --method sclip --window 224 --stride 112 --json',
    'clip-webgpu segment --image scene.png --labels red,green,blue,yellow --method relevance --refine --out mask.png',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const image = args.need('image', '--image FILE');
  const labels = [...(args.str('labels')?.split(',') ?? []), ...args.list('label')].map((l) => l.trim());
  if (labels.length === 0)
    throw new UsageError('segment needs labels: --labels A,B,C (or --label A --label B)', 'segment');
  labels.forEach((l, i) => {
    if (!l) throw new UsageError(`label number ${i + 1} is empty (--labels takes comma-separated names)`, 'segment');
  });
  const method = (args.str('method') ?? 'naclip') as SegmentMethod;
  const bgLabel = args.str('background');
  const threshold = args.str('threshold') === undefined ? undefined : number(args.str('threshold')!, 'threshold');
  if (bgLabel !== undefined && threshold !== undefined)
    throw new UsageError('give --background LABEL or --threshold X, not both', 'segment');
  if (bgLabel !== undefined && !bgLabel.trim()) throw new UsageError('--background is empty', 'segment');
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1))
    throw new UsageError(`--threshold is a number in 0..1, got ${threshold}`, 'segment');
  if (threshold !== undefined && labels.length < 2 && method !== 'relevance')
    throw new UsageError('--threshold needs at least two labels; with one, use --background LABEL', 'segment');
  if (args.str('stride') !== undefined && args.str('window') === undefined)
    throw new UsageError('--stride needs --window', 'segment');
  const slide =
    args.str('window') === undefined
      ? undefined
      : { window: args.int('window', 0), stride: args.str('stride') === undefined ? undefined : args.int('stride', 0) };
  const preset = args.str('templates');
  const templates = [...(preset ? TEMPLATE_PRESETS[preset] : []), ...args.list('template')];
  if (templates.length === 0) templates.push(DEFAULT_TEMPLATE);
  for (const t of templates) {
    if (!t.includes('{}'))
      throw new UsageError(`--template ${JSON.stringify(t)} has no {} where the label goes`, 'segment');
  }
  const names = bgLabel === undefined ? labels : [...labels, bgLabel];
  const prompts = names.flatMap((l) => templates.map((t) => t.replaceAll('{}', l)));
  const truncate = args.flag('truncate');
  const out = args.str('out');

  await withModel(
    args,
    io,
    async (model) => {
      const t0 = performance.now();
      const s = await model.segment(image, labels, {
        method,
        background: bgLabel ?? threshold,
        slide,
        templates,
        truncate,
        refine: refineArg(args),
      });
      if (args.flag('verbose')) {
        io.stderr.write(
          `clip-webgpu: segment (${method}) ${(performance.now() - t0).toFixed(0)} ms on ${model.adapter.description}\n`,
        );
      }
      if (out) await writeFile(out, maskPng(s));
      if (args.flag('json')) {
        io.stdout.write(JSON.stringify(segmentationJson(s)) + '\n');
        return;
      }
      io.stdout.write(report(s, basename(image), model.name, out));
    },
    { tokenizer: promptCheck(prompts, truncate), images: [image] },
  );
  return 0;
}

function number(v: string, name: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x))
    throw new UsageError(`--${name} must be a number, got ${JSON.stringify(v)}`, 'segment');
  return x;
}

/** The JSON document: logits [label][row][col], mask [y][x] (-1 background). */
export function segmentationJson(s: Segmentation) {
  const [gh, gw] = s.grid;
  const cells = gh * gw;
  const { width, height } = s.image;
  return {
    method: s.method,
    labels: s.labels,
    grid: s.grid,
    logits: s.labels.map((_, l) =>
      rows(Array.from({ length: gh }, (_, r) => s.logits.subarray(l * cells + r * gw, l * cells + (r + 1) * gw))),
    ),
    mask: Array.from({ length: height }, (_, y) => Array.from(s.mask.subarray(y * width, (y + 1) * width))),
    background:
      s.background === undefined ? null : 'label' in s.background ? { label: s.background.label } : s.background,
    ...(s.relevanceShare === undefined ? {} : { relevance_share: s.relevanceShare }),
  };
}

/** The mask as an RGB PNG: label i in BOX_COLOURS[i] (cycling), background black. */
export function maskPng(s: Pick<Segmentation, 'mask' | 'image'>): Buffer {
  const { width, height } = s.image;
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const l = s.mask[i];
    const [r, g, b] = l === SEGMENT_BACKGROUND ? [0, 0, 0] : BOX_COLOURS[l % BOX_COLOURS.length];
    png.data.set([r, g, b, 255], i * 4);
  }
  return PNG.sync.write(png);
}

const COLOUR_NAMES = ['red', 'green', 'blue', 'orange', 'purple', 'cyan', 'magenta', 'yellow'];

function report(s: Segmentation, image: string, model: string, out: string | undefined): string {
  const [gh, gw] = s.grid;
  const n = s.mask.length;
  const count = new Map<number, number>();
  for (const v of s.mask) count.set(v, (count.get(v) ?? 0) + 1);
  const views = s.windows.length === 1 ? 'whole image' : `${s.windows.length} windows`;
  const lines = [`${image} (${s.image.width}x${s.image.height})  ${model}, ${s.method}, ${gh}x${gw} grid, ${views}\n`];
  const body = s.labels.map((label, l) => {
    const share = (count.get(l) ?? 0) / n;
    return [quote(label), ...(out ? [COLOUR_NAMES[l % COLOUR_NAMES.length]] : []), percent(share, 1), bar(share)];
  });
  if (s.background) {
    const share = (count.get(SEGMENT_BACKGROUND) ?? 0) / n;
    const what =
      'label' in s.background
        ? `background (${quote(s.background.label)})`
        : `background (p < ${s.background.threshold})`;
    body.push([what, ...(out ? ['black'] : []), percent(share, 1), bar(share)]);
  }
  const head = ['label', ...(out ? ['colour'] : []), 'pixels', ''];
  lines.push(
    table([head, ...body], { indent: '  ', align: ['left', ...(out ? ['left' as const] : []), 'right', 'left'] }),
  );
  if (out) lines.push(`\nwrote ${out}\n`);
  return lines.join('');
}
