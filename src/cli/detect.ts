/** `clip-webgpu detect`: zero-shot patch detection, a similarity map on the patch grid and boxes per text. */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PNG } from 'pngjs';
import {
  DETECT_MODES,
  isExplanationMode,
  type Detection,
  type DetectMode,
  type DetectQuery,
} from '../model/detect/index.ts';
import type { RawImage } from '../model/preprocess/preprocess.ts';
import { nodePlatform } from '../node/index.ts';
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import {
  GPU_OPTIONS,
  JSON_OPTION,
  DEFAULT_MODEL_OPTION,
  TRUNCATE_OPTION,
  needList,
  promptCheck,
  withModel,
  type CliIo,
  REFINE_OPTION,
  refineArg,
} from './common.ts';
import { quote, rows, table } from './format.ts';

export const spec: CommandSpec = {
  name: 'detect',
  summary: 'Zero-shot patch detection: which patches of an image match each text, and boxes around them.',
  usage: 'detect [--model PATH] --image FILE --text TEXT... [--mode MODE] [--out boxes.png] [--json]',
  description:
    'Modes: patches (default) compares every output patch token of the last vision layer (through post_layernorm\n' +
    'and the visual projection) with each text: cosine similarity on the patch grid (7x7 for ViT-B/32).\n' +
    "values uses MaskCLIP's value path in the last block instead (sharper maps). crops cuts the image into an\n" +
    'N x N grid (--crop-grid, --overlap adds 2x2-cell windows) and classifies every crop against the texts and a\n' +
    'background prompt: the map holds probabilities.\n' +
    'Boxes: per text the map is upsampled, thresholded, split into 8-connected regions (score = the maximum\n' +
    "inside), overlapping boxes suppressed (NMS); coordinates are in the input image's pixels.\n" +
    'The JSON document has grid [rows, cols], patch_similarity [patch (row-major)][text] and\n' +
    'boxes [{query, score, x, y, w, h}].',
  options: {
    ...DEFAULT_MODEL_OPTION,
    image: { type: 'string', value: 'FILE', help: 'A PNG or JPEG image.' },
    text: {
      type: 'string',
      multiple: true,
      value: 'TEXT',
      help: 'What to look for: a prompt, or an object name with --template.',
    },
    template: {
      type: 'string',
      multiple: true,
      value: 'T',
      help: 'Put each text into this template ("{}" = the text; several are ensembled). Default: the text as given.',
    },
    mode: {
      type: 'string',
      value: 'MODE',
      choices: DETECT_MODES,
      help: 'How the map is made (default patches): a dense head (patches, values = MaskCLIP, sclip, clearclip, naclip), an explanation map per query (gradcam, gradcam++, relevance, legrad, surgery), or crops.',
    },
    threshold: {
      type: 'string',
      value: 'X',
      help:
        "Box threshold on the map (cosine, or probability for crops). Default: half-way between each text's " +
        'lowest and highest value (patches, values), 0.5 (crops).',
    },
    ...REFINE_OPTION,
    'crop-grid': { type: 'string', value: 'N', help: 'crops: cells per side (default 3).' },
    overlap: { type: 'boolean', help: 'crops: also classify the overlapping 2x2-cell windows (a second scale).' },
    out: {
      type: 'string',
      value: 'FILE',
      help: 'Write the image with the boxes drawn (one colour per text) as a PNG.',
    },
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu detect --image world/images/00000.png --text circle --text star --template "a {}" --json',
    'clip-webgpu detect --image world/images/00003.png --text "a red circle" --mode relevance --refine --out boxes.png',
    'clip-webgpu detect --model weights/clip-vit-base-patch32 --image street.jpg --text car --text person --template "a photo of a {}." --out boxes.png',
    'clip-webgpu detect --model weights/clip-vit-base-patch32 --image cat.jpg --text "a photo of a cat" --mode values --json',
  ],
};

/** One colour per query (RGB), cycling. */
export const BOX_COLOURS: readonly [number, number, number][] = [
  [230, 25, 75],
  [60, 180, 75],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [255, 225, 25],
];

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const image = args.need('image', '--image FILE');
  const texts = needList(args, 'text', 'TEXT');
  const templates = args.list('template');
  for (const t of templates) {
    if (!t.includes('{}'))
      throw new UsageError(`--template ${JSON.stringify(t)} has no {} where the text goes`, 'detect');
  }
  if (templates.length) {
    texts.forEach((t, i) => {
      if (!t.trim())
        throw new UsageError(`--text number ${i + 1} is empty (with --template each text is an object name)`, 'detect');
    });
  }
  const mode = (args.str('mode') ?? 'patches') as DetectMode;
  const threshold = args.str('threshold') === undefined ? undefined : number(args.str('threshold')!, 'threshold');
  const cropGrid = args.int('crop-grid', 3);
  if (cropGrid < 1 || cropGrid > 64)
    throw new UsageError(`--crop-grid must be between 1 and 64, got ${cropGrid}`, 'detect');
  const refine = refineArg(args);
  if (mode === 'crops' && refine)
    throw new UsageError('--refine applies to the map modes, not to --mode crops', 'detect');
  if (mode !== 'crops' && (args.str('crop-grid') !== undefined || args.flag('overlap'))) {
    throw new UsageError('--crop-grid and --overlap apply to --mode crops', 'detect');
  }
  const out = args.str('out');
  const truncate = args.flag('truncate');
  const prompts = templates.length ? texts.flatMap((t) => templates.map((tp) => tp.replaceAll('{}', t))) : texts;

  await withModel(
    args,
    io,
    async (model) => {
      // Without templates each text is a prompt as given (the empty prompt included), encoded as `embed` does.
      let queries: DetectQuery[] = texts;
      if (!templates.length) {
        const embeds = await model.encodeText(texts, { truncate });
        queries = texts.map((label, i) => ({ label, embedding: embeds[i] }));
      }
      const t0 = performance.now();
      const d = await model.detect(image, queries, {
        mode,
        threshold,
        truncate,
        cropGrid,
        overlap: args.flag('overlap'),
        refine,
        ...(templates.length ? { templates } : {}),
      });
      if (args.flag('verbose')) {
        io.stderr.write(
          `clip-webgpu: detect (${mode}) ${(performance.now() - t0).toFixed(0)} ms on ${model.adapter.description}\n`,
        );
      }
      if (out) {
        const raw = await nodePlatform.decodeImage(image);
        await writeFile(
          out,
          PNG.sync.write(
            Object.assign(new PNG({ width: raw.width, height: raw.height }), { data: Buffer.from(drawBoxes(raw, d)) }),
          ),
        );
      }
      if (args.flag('json')) {
        io.stdout.write(
          JSON.stringify({
            grid: d.grid,
            patch_similarity: rows(d.patchSimilarity),
            boxes: d.boxes.map(({ query, score, x, y, w, h }) => ({ query, score, x, y, w, h })),
          }) + '\n',
        );
        return;
      }
      io.stdout.write(report(d, basename(image), model.name, out));
    },
    { tokenizer: promptCheck(prompts, truncate), images: [image] },
  );
  return 0;
}

/** Cosines and probabilities to 3 decimals; explanation maps to 3 significant digits. */
const score = (v: number, mode: DetectMode) => (isExplanationMode(mode) ? v.toPrecision(3) : v.toFixed(3));

function number(v: string, name: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x))
    throw new UsageError(`--${name} must be a number, got ${JSON.stringify(v)}`, 'detect');
  return x;
}

function report(d: Detection, image: string, model: string, out: string | undefined): string {
  const [gh, gw] = d.grid;
  const explain = isExplanationMode(d.mode);
  const what =
    d.mode === 'crops'
      ? `${gh}x${gw} crop grid, probabilities`
      : `${gh}x${gw} patch grid, ${explain ? `the ${d.mode} map of each query` : 'cosine similarity'}`;
  const refined = d.refined
    ? `; boxes on the maps refined by the image (PAMR, ${d.refined.options.iterations} steps)`
    : '';
  const lines = [`${image} (${d.image.width}x${d.image.height})  ${model}, mode ${d.mode}, ${what}${refined}\n`];
  if (d.boxes.length) {
    const body = d.boxes.map((b, i) => [
      String(i + 1),
      quote(b.query),
      score(b.score, d.mode),
      ...[b.x, b.y, b.w, b.h].map((v) => v.toFixed(1)),
    ]);
    lines.push(
      table([['#', 'query', 'score', 'x', 'y', 'w', 'h'], ...body], {
        indent: '  ',
        align: ['right', 'left', 'right', 'right', 'right', 'right', 'right'],
      }),
    );
  } else lines.push('  no boxes\n');
  d.queries.forEach((q, qi) => {
    // Explanation maps are in their method's units, often far below 0.01: printed divided by their max |value|.
    const map = d.patchSimilarity.map((row) => row[qi]);
    const unit = explain ? Math.max(...map.map(Math.abs)) || 1 : 1;
    const scale = explain ? `; map / ${unit.toPrecision(3)}` : '';
    lines.push(
      `\n${quote(q)}  (threshold ${score(d.thresholds[qi], d.mode)}${scale}${out ? `, colour ${colourName(qi)}` : ''})\n`,
    );
    for (let r = 0; r < gh; r++) {
      lines.push(`  ${Array.from({ length: gw }, (_, c) => fixed2(map[r * gw + c] / unit).padStart(6)).join('')}\n`);
    }
  });
  if (out) lines.push(`\nwrote ${out}\n`);
  return lines.join('');
}

/** toFixed(2) without "-0.00". */
const fixed2 = (v: number) => (Math.abs(v) < 0.005 ? 0 : v).toFixed(2);

const COLOUR_NAMES = ['red', 'green', 'blue', 'orange', 'purple', 'cyan', 'magenta', 'yellow'];
const colourName = (i: number) => COLOUR_NAMES[i % COLOUR_NAMES.length];

/** The image as RGBA with every box outlined in its query's colour (lines ~1/150 of the image, at least 1 px). */
export function drawBoxes(image: RawImage, d: Pick<Detection, 'boxes'>): Uint8Array {
  const { width: W, height: H, channels } = image;
  const rgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    rgba.set(image.data.subarray(i * channels, i * channels + 3), i * 4);
    rgba[i * 4 + 3] = channels === 4 ? image.data[i * channels + 3] : 255;
  }
  const t = Math.max(1, Math.round(Math.min(W, H) / 150));
  const fill = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: readonly number[]) => {
    for (let y = Math.max(0, y0); y < Math.min(H, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(W, x1); x++) rgba.set([r, g, b, 255], (y * W + x) * 4);
    }
  };
  for (const box of d.boxes) {
    const c = BOX_COLOURS[box.queryIndex % BOX_COLOURS.length];
    const x0 = Math.round(box.x),
      y0 = Math.round(box.y);
    const x1 = Math.max(x0 + 1, Math.round(box.x + box.w)),
      y1 = Math.max(y0 + 1, Math.round(box.y + box.h));
    fill(x0, y0, x1, y0 + t, c);
    fill(x0, y1 - t, x1, y1, c);
    fill(x0, y0, x0 + t, y1, c);
    fill(x1 - t, y0, x1, y1, c);
  }
  return rgba;
}
