/** `clip-webgpu info`: the WebGPU adapter, and a model's configuration. */
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import {
  GPU_OPTIONS,
  JSON_OPTION,
  DEFAULT_MODEL_OPTION,
  adapterLine,
  closeGpu,
  openGpu,
  withModel,
  type CliIo,
} from './common.ts';
import { megabytes, table } from './format.ts';
import type { AdapterSummary, ClipConfig } from '../node/index.ts';

export const spec: CommandSpec = {
  name: 'info',
  summary: "Show the WebGPU adapter and a model's configuration (by default the shipped model's).",
  usage: 'info [--model PATH] [--adapter-only] [--adapter NAME] [--json]',
  options: {
    ...DEFAULT_MODEL_OPTION,
    'adapter-only': { type: 'boolean', help: 'Show the adapter only, loading no model.' },
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu info',
    'clip-webgpu info --adapter-only --json',
    'clip-webgpu info --model weights/clip-vit-base-patch32 --adapter swiftshader',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.flag('adapter-only')) {
    if (args.str('model')) throw new UsageError('--adapter-only loads no model: drop --model', 'info');
    const ctx = await openGpu(args, io);
    try {
      print(io, args.flag('json'), ctx.adapter);
    } finally {
      closeGpu(ctx);
    }
    return 0;
  }
  await withModel(args, io, async (model) => {
    const tensors = model.weightNames().length;
    print(io, args.flag('json'), model.adapter, {
      name: model.name,
      config: model.config,
      tensors,
      gpuBytes: model.gpuStats.liveBytes,
      logitScale: model.logitScale,
      weightDtype: model.weightFormat,
      probeCosine: model.probeCosine,
    });
  });
  return 0;
}

interface ModelInfo {
  name: string;
  config: ClipConfig;
  tensors: number;
  gpuBytes: number;
  logitScale: { raw: number; exp: number };
  /** The big matrices' format on the GPU, and the probe check of a converted file (null: none). */
  weightDtype: string;
  probeCosine: { image: number; text: number } | null;
}

function print(io: CliIo, json: boolean, adapter: AdapterSummary, model?: ModelInfo): void {
  if (json) {
    io.stdout.write(
      JSON.stringify({
        adapter,
        ...(model
          ? {
              model: {
                name: model.name,
                tensors: model.tensors,
                gpu_bytes: model.gpuBytes,
                logit_scale: model.logitScale,
                weight_dtype: model.weightDtype,
                probe_cosine: model.probeCosine,
                config: model.config,
              },
            }
          : {}),
      }) + '\n',
    );
    return;
  }
  const lines: string[][] = [
    ['adapter', adapterLine(adapter)],
    ['vendor', [adapter.vendor, adapter.architecture].filter(Boolean).join(' / ') || '(not reported)'],
    ['features', adapter.features.join(', ') || '(none)'],
  ];
  if (model) {
    const { vision: v, text: t } = model.config;
    lines.push(
      ['model', model.name],
      [
        'vision',
        `${v.imageSize} px, patch ${v.patchSize} (${(v.imageSize / v.patchSize) ** 2} patches), hidden ${v.hiddenSize}, ` +
          `${v.numLayers} layers, ${v.numHeads} heads, MLP ${v.intermediateSize}, ${v.hiddenAct}, eps ${v.layerNormEps}`,
      ],
      [
        'text',
        `vocab ${t.vocabSize}, context ${t.maxPositions}, hidden ${t.hiddenSize}, ${t.numLayers} layers, ` +
          `${t.numHeads} heads, MLP ${t.intermediateSize}, ${t.hiddenAct}, eos ${t.eosTokenId}`,
      ],
      ['projection', String(model.config.projectionDim)],
      ['logit scale', `${model.logitScale.raw.toFixed(6)} (exp ${model.logitScale.exp.toFixed(4)})`],
      [
        'weights',
        `${model.tensors} tensors, ${megabytes(model.gpuBytes)} on the GPU, matrices ${model.weightDtype}` +
          (model.probeCosine
            ? ` (probe cosine to F32: image ${model.probeCosine.image.toFixed(6)}, text ${model.probeCosine.text.toFixed(6)})`
            : ''),
      ],
    );
  }
  io.stdout.write(table(lines, { header: false }));
}
