/** `clip-webgpu gradcam`: where in an image a text matches, from our backward pass (Grad-CAM, Grad-CAM++, relevance). */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PNG } from 'pngjs';
import { GRADCAM_METHODS, type GradCam, type GradCamMethod } from '../model/explain/index.ts';
import { blendHeatmap, overlayMap } from '../model/explain/overlay.ts';
import { normalizeCam } from '../model/explain/gradcam.ts';
import type { RawImage } from '../model/preprocess/preprocess.ts';
import { nodePlatform } from '../node/index.ts';
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
import { drawBoxes } from './detect.ts';
import { quote } from './format.ts';

export const spec: CommandSpec = {
  name: 'gradcam',
  summary:
    'Grad-CAM and its successors: where in an image a text matches, for any vision layer, from the exact gradient on the GPU.',
  usage: 'gradcam [--model PATH] --image FILE --text TEXT [--layer N] [--method M] [--out heat.png] [--json]',
  description:
    'The score is logits_per_image[image, text]; the target is the layer_norm1 output A of vision layer --layer\n' +
    '(0-based, negative from the end; default -1, the last; write negative values as --layer=-2), and\n' +
    'G = dScore/dA comes from our WGSL backward kernels (exact, as PyTorch autograd). Methods:\n' +
    '  gradcam     channel weights = mean of G over the patches; map = relu(A_patches . weights)\n' +
    "  gradcam++   pytorch-grad-cam's GradCAMPlusPlus weights (exp-score simplification)\n" +
    "  relevance   Chefer et al.'s gradient-weighted attention rollout from --layer to the last layer\n" +
    "  legrad      LeGrad (Bousselham et al.): from --layer up (default -2), each layer's positive gradient of\n" +
    '              its own image-text cosine w.r.t. its attention maps, averaged over heads and rows, summed\n' +
    '  surgery     CLIP Surgery (Li et al.), forward only: from --layer up (default -6, or the first layer)\n' +
    '              a value-value attention path without MLPs; patch cosines to unit(text) - unit(text(""))\n' +
    'cam is the raw map on the patch grid (row-major, CLS dropped); cam_norm = (cam - min) / (1e-7 + max(cam - min)).\n' +
    'The JSON document has score, cam [rows][cols], cam_norm and grid [rows, cols].',
  options: {
    ...DEFAULT_MODEL_OPTION,
    image: { type: 'string', value: 'FILE', help: 'A PNG or JPEG image.' },
    text: { type: 'string', value: 'TEXT', help: 'The prompt to explain.' },
    layer: {
      type: 'string',
      value: 'N',
      help: 'Target vision layer, or the first one read (default: -1, the last; legrad -2; surgery -6).',
    },
    method: { type: 'string', value: 'M', choices: GRADCAM_METHODS, help: 'How the map is made (default gradcam).' },
    out: {
      type: 'string',
      value: 'FILE',
      help: 'Write the image with the map overlaid (bilinear upsampling, jet colour map) as a PNG.',
    },
    opacity: {
      type: 'string',
      value: 'X',
      help: "Weight of the heatmap in --out, 0..1 (default 0.5, as pytorch-grad-cam's show_cam_on_image).",
    },
    ...REFINE_OPTION,
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu gradcam --image world/images/00000.png --text "a red circle" --out heat.png',
    'clip-webgpu gradcam --model weights/clip-vit-base-patch32 --image seoul.jpg --text "the traditional Korean village" --out village.png',
    'clip-webgpu gradcam --model weights/clip-vit-base-patch32 --image seoul.jpg --text "the forest" --layer 0 --method relevance --json',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const image = args.need('image', '--image FILE');
  const text = args.need('text', '--text TEXT');
  const layer = args.str('layer') === undefined ? undefined : args.int('layer', -1);
  const method = (args.str('method') ?? 'gradcam') as GradCamMethod;
  const out = args.str('out');
  const opacityArg = args.str('opacity');
  const opacity = opacityArg === undefined ? 0.5 : Number(opacityArg);
  if (opacityArg !== undefined && (opacityArg.trim() === '' || !(opacity >= 0 && opacity <= 1))) {
    throw new UsageError(`--opacity must be a number between 0 and 1, got ${JSON.stringify(opacityArg)}`, 'gradcam');
  }
  if (opacityArg !== undefined && !out) throw new UsageError('--opacity applies to --out', 'gradcam');
  const truncate = args.flag('truncate');
  const refine = refineArg(args);

  await withModel(
    args,
    io,
    async (model) => {
      const t0 = performance.now();
      const r = await model.gradcam(image, text, { layer, method, truncate, refine });
      if (args.flag('verbose')) {
        io.stderr.write(
          `clip-webgpu: gradcam (${method}, layer ${r.layer}) ${(performance.now() - t0).toFixed(0)} ms on ${model.adapter.description}\n`,
        );
      }
      if (out) {
        const raw = await nodePlatform.decodeImage(image);
        await writeFile(
          out,
          PNG.sync.write(
            Object.assign(new PNG({ width: raw.width, height: raw.height }), {
              data: Buffer.from(overlayHeatmap(raw, r, opacity)),
            }),
          ),
        );
      }
      const [gh, gw] = r.grid;
      const grid2d = (m: Float32Array) =>
        Array.from({ length: gh }, (_, i) => Array.from(m.subarray(i * gw, (i + 1) * gw)));
      if (args.flag('json')) {
        io.stdout.write(
          JSON.stringify({
            score: r.score,
            cam: grid2d(r.cam),
            cam_norm: grid2d(r.camNorm),
            grid: r.grid,
            ...(r.refined
              ? { refined_cells: grid2d(r.refined.cells), refine_steps: r.refined.options.iterations }
              : {}),
          }) + '\n',
        );
        return;
      }
      const lines = [
        `${basename(image)} (${r.image.width}x${r.image.height})  ${model.name}, ${method} on vision layer ${r.layer} (layer_norm1), ${gh}x${gw} patch grid\n`,
        `score ${r.score.toFixed(4)} (logits_per_image) for ${quote(text, 60)}\n`,
        '\ncam_norm (row-major patches):\n',
        ...grid2d(r.camNorm).map((row) => '  ' + row.map((v) => v.toFixed(2).padStart(5)).join(' ') + '\n'),
      ];
      if (r.refined) {
        lines.push(
          `\nrefined by the image (PAMR, ${r.refined.options.iterations} steps), mean per patch, normalized:\n`,
        );
        lines.push(
          ...grid2d(normalizeCam(r.refined.cells)).map(
            (row) => '  ' + row.map((v) => v.toFixed(2).padStart(5)).join(' ') + '\n',
          ),
        );
      }
      if (out) lines.push(`\nwrote ${out}\n`);
      io.stdout.write(lines.join(''));
    },
    { tokenizer: promptCheck([text], truncate), images: [image] },
  );
  return 0;
}

/**
 * The image as RGBA with the normalized map blended in (see src/model/explain/overlay.ts): bilinear
 * upsampling onto the centre crop the model saw, jet colour map, (1 − opacity)·image + opacity·heat.
 */
export function overlayHeatmap(
  image: RawImage,
  cam: Pick<GradCam, 'camNorm' | 'grid' | 'transform' | 'refined'>,
  opacity = 0.5,
): Uint8Array {
  const rgba = drawBoxes(image, { boxes: [] });
  blendHeatmap(rgba, image.width, image.height, overlayMap(cam), { opacity, colourMap: 'jet' });
  return rgba;
}
