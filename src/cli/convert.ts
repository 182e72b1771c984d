/** `clip-webgpu convert`: a smaller folder with F16 / BF16 / INT8 matrices and the probe that loading checks. */
import { ClipModel, filesFromPath } from '../node/index.ts';
import { writeConvertedModel } from '../node/convert.ts';
import type { FileSource } from '../node/file-source.ts';
import { computeProbe } from '../model/compact/probe.ts';
import type { WeightFormat } from '../kernels/matmul/weight-formats.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import { GPU_OPTIONS, JSON_OPTION, closeGpu, openGpu, type CliIo } from './common.ts';
import { megabytes } from './format.ts';

export const spec: CommandSpec = {
  name: 'convert',
  summary: 'Write a smaller copy of a model: its big matrices as F16, BF16 or INT8, checked when loaded.',
  usage: 'convert --model DIR --dtype f16|bf16|int8 --out DIR [--adapter NAME] [--json]',
  description:
    'q/k/v, out, fc1, fc2 and the projections are stored as F16, BF16, or I8 with one F32 scale per row\n' +
    '(<name>_scale); everything else is copied. The F32 embeddings of a fixed probe image and prompt go into the\n' +
    'file; loading it checks them (cosine >= 0.9999 for f16/bf16, 0.999 for int8) and refuses a file that fails.',
  options: {
    model: { type: 'string', value: 'DIR', help: 'The model folder (or .safetensors file) to convert.' },
    dtype: { type: 'string', value: 'DTYPE', choices: ['f16', 'bf16', 'int8'], help: "The matrices' format." },
    out: { type: 'string', value: 'DIR', help: 'Destination folder.' },
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu convert --model weights/clip-vit-base-patch32 --dtype int8 --out weights/clip-vit-base-patch32-int8',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const src = args.need('model', '--model DIR');
  const format = args.need('dtype', '--dtype f16|bf16|int8') as WeightFormat;
  const out = args.need('out', '--out DIR');
  const files = filesFromPath(src); // a missing path fails before the GPU starts
  const ctx = await openGpu(args, io);
  try {
    // The reference: the source's embeddings of the probe, in F32.
    const f32 = await ClipModel.load(files, { gpu: ctx, weights: 'f32', precompile: false });
    const probe = await computeProbe(f32).finally(() => f32.dispose());
    const { bytes } = await writeConvertedModel((files.weights as FileSource).path, out, format, probe);
    // Load it back as a user would: the probe check runs, and refuses a file that fails it.
    const converted = await ClipModel.load(filesFromPath(out), { gpu: ctx, precompile: false });
    const cos = converted.probeCosine!;
    converted.dispose();
    if (args.flag('json')) {
      io.stdout.write(JSON.stringify({ out, dtype: format, bytes, probe_cosine: cos }) + '\n');
    } else {
      io.stdout.write(
        `wrote ${out}: model.safetensors (${megabytes(bytes)}, ${format}) and the folder's other files; ` +
          `probe cosine to F32: image ${cos.image.toFixed(6)}, text ${cos.text.toFixed(6)}\n`,
      );
    }
  } finally {
    closeGpu(ctx);
  }
  return 0;
}
