/** `clip-webgpu train`: contrastive training (CLIP's loss, AdamW) on our kernels, open_clip's flag names. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ClipError } from '../errors.ts';
import type { ClipModel } from '../model/clip.ts';
import { SafetensorsFile } from '../model/safetensors/reader.ts';
import { loadOptimizerState } from '../model/train/checkpoint.ts';
import { learningRate, type LrScheduler } from '../model/train/schedule.ts';
import type { StepReport } from '../model/train/trainer.ts';
import { FileSource } from '../node/file-source.ts';
import { epochOrder, readTrainData, type CaptionedImage } from '../node/train-data.ts';
import { writeCheckpoint } from '../node/train-checkpoint.ts';
import { ParsedArgs, UsageError, type CommandSpec } from './args.ts';
import { positiveInt } from './bias.ts';
import { GPU_OPTIONS, JSON_OPTION, MODEL_OPTION, TRUNCATE_OPTION, withModel, type CliIo } from './common.ts';

const num = (help: string) => ({ type: 'string' as const, value: 'X', help });

export const spec: CommandSpec = {
  name: 'train',
  summary: "Contrastive training (CLIP's loss, AdamW) of a checkpoint on captioned images.",
  usage: 'train --model DIR --data CSV|DIR [--batch-size N] [--steps N|--epochs N] [--lr X] [--out DIR] [--json]',
  description:
    'DATA is an open_clip CSV/TSV (columns --csv-img-key, --csv-caption-key; relative image paths are taken from\n' +
    'its folder) or an img2dataset "files" folder (NNNN.jpg|png beside NNNN.txt). Image i of a batch belongs with\n' +
    "caption i; batch k of an epoch is rows k·B … (k+1)·B−1 of the epoch's order (file order with --no-shuffle, else\n" +
    'a shuffle seeded by --seed and the epoch); a last partial batch is dropped. Each checkpoint is a Hugging Face\n' +
    'folder OUT/step-N (config.json, model.safetensors, vocab.json, merges.txt) with the optimizer state beside it;\n' +
    '--resume OUT/step-N continues to the same parameters as a run that never stopped (give the same options).',
  options: {
    ...MODEL_OPTION,
    data: { type: 'string', value: 'PATH', help: 'Training data: a CSV/TSV file or an img2dataset folder.' },
    'csv-img-key': { type: 'string', value: 'NAME', help: 'The image-path column (default filepath).' },
    'csv-caption-key': { type: 'string', value: 'NAME', help: 'The caption column (default title).' },
    'csv-separator': { type: 'string', value: 'S', help: 'The field separator (default tab).' },
    'batch-size': { type: 'string', value: 'N', help: 'Image-caption pairs per step (default 64).' },
    'accum-freq': {
      type: 'string',
      value: 'N',
      help: 'Micro-batches per step: the same gradient in 1/N of the activation memory (default 1).',
    },
    lr: num('Peak learning rate (default 5e-4).'),
    wd: num('Decoupled weight decay of the matrices (default 0.2).'),
    beta1: num('AdamW β1 (default 0.9).'),
    beta2: num('AdamW β2 (default 0.98).'),
    eps: num('AdamW eps (default 1e-6).'),
    warmup: { type: 'string', value: 'N', help: 'Linear warmup steps (default 0).' },
    epochs: { type: 'string', value: 'N', help: 'Passes over the data (default 1); --steps wins.' },
    steps: { type: 'string', value: 'N', help: 'Optimizer steps in all.' },
    'lr-scheduler': {
      type: 'string',
      value: 'KIND',
      choices: ['cosine', 'const'],
      help: 'After warmup: cosine decay to 0 (default) or constant.',
    },
    'grad-clip-norm': num('Clip the gradients to this global L2 norm.'),
    seed: { type: 'string', value: 'N', help: 'Seed of the data order (default 0).' },
    'no-shuffle': { type: 'boolean', help: 'Batches in file order (how an outside check reproduces a run).' },
    out: { type: 'string', value: 'DIR', help: 'Write checkpoints into DIR/step-N (the last step always).' },
    'save-frequency': { type: 'string', value: 'N', help: 'Also write a checkpoint every N steps.' },
    resume: {
      type: 'string',
      value: 'DIR',
      help: 'Continue from a checkpoint folder written by --out (its weights and optimizer state).',
    },
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu train --model weights/random-tiny --data world/captions.csv --batch-size 32 --steps 200 --out runs/a',
    'clip-webgpu train --resume runs/a/step-100 --data world/captions.csv --batch-size 32 --steps 200 --out runs/a',
  ],
};

function float(args: ParsedArgs, name: string, fallback: number, positive = false): number {
  const v = args.str(name);
  if (v === undefined) return fallback;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || (positive ? x <= 0 : x < 0)) {
    throw new UsageError(
      `--${name} must be a ${positive ? 'positive' : 'non-negative'} number, got ${JSON.stringify(v)}`,
      args.command,
    );
  }
  return x;
}

export async function run(argsIn: ParsedArgs, io: CliIo): Promise<number> {
  const resume = argsIn.str('resume');
  const args = resume
    ? new ParsedArgs(argsIn.command, { ...argsIn.values, model: resume }, argsIn.positionals)
    : argsIn;
  const modelPath = args.need('model', '--model DIR (or --resume DIR)');
  const data = await readTrainData(args.need('data', '--data PATH'), {
    imgKey: args.str('csv-img-key'),
    captionKey: args.str('csv-caption-key'),
    separator: args.str('csv-separator'),
  });
  const B = positiveInt(args, 'batch-size', 64);
  if (B < 2)
    throw new UsageError('--batch-size must be at least 2 (the loss contrasts the pairs of a batch)', args.command);
  const perEpoch = Math.floor(data.length / B);
  if (perEpoch === 0) throw new ClipError('input', `${data.length} image-caption pairs do not fill one batch of ${B}.`);
  const steps =
    args.str('steps') !== undefined ? positiveInt(args, 'steps', 1) : perEpoch * positiveInt(args, 'epochs', 1);
  const warmup = args.int('warmup', 0);
  const scheduler = (args.str('lr-scheduler') ?? 'cosine') as LrScheduler;
  const baseLr = float(args, 'lr', 5e-4, true);
  const seed = args.int('seed', 0);
  const shuffle = !args.flag('no-shuffle');
  const out = args.str('out');
  const saveEvery = args.str('save-frequency') !== undefined ? positiveInt(args, 'save-frequency', 1) : 0;
  const clip = args.str('grad-clip-norm') !== undefined ? float(args, 'grad-clip-norm', 0, true) : undefined;
  const truncate = args.flag('truncate');
  const tokenizerDir = modelPath.endsWith('.safetensors') ? dirname(modelPath) : modelPath;

  const reports: StepReport[] = [];
  await withModel(args, io, async (model) => {
    const trainer = model.trainer({
      lr: baseLr,
      weightDecay: float(args, 'wd', 0.2),
      beta1: float(args, 'beta1', 0.9),
      beta2: float(args, 'beta2', 0.98),
      eps: float(args, 'eps', 1e-6, true),
      gradClipNorm: clip,
      accumFreq: positiveInt(args, 'accum-freq', 1),
    });
    try {
      if (resume) {
        await loadOptimizerState(
          trainer,
          await SafetensorsFile.open(new FileSource(join(resume, 'optimizer.safetensors'))),
        );
        if (trainer.step >= steps)
          throw new ClipError('input', `${resume} is at step ${trainer.step}, not before --steps ${steps}.`);
      }
      const save = (step: number) =>
        out
          ? writeCheckpoint(out, `step-${step}`, trainer, tokenizerDir, {
              data: args.str('data'),
              batch_size: B,
              steps,
              seed,
              shuffle,
            })
          : Promise.resolve('');
      while (trainer.step < steps) {
        const step = trainer.step; // 0-based index of the batch about to run
        const order = epochOrder(data.length, seed, Math.floor(step / perEpoch), shuffle);
        const k = step % perEpoch;
        const batch = await loadBatch(
          model,
          order.slice(k * B, (k + 1) * B).map((i) => data[i]),
          truncate,
        );
        const { logitsPerImage: _, ...r } = await trainer.trainStep(
          batch,
          learningRate(scheduler, baseLr, warmup, steps, step),
        );
        reports.push(r);
        if (!args.flag('json')) {
          io.stderr.write(
            `step ${r.step}/${steps}  loss ${r.loss.toFixed(4)}  lr ${r.lr.toExponential(2)}  logit_scale ${r.logitScale.toFixed(4)}\n`,
          );
        }
        if (saveEvery && r.step % saveEvery === 0 && r.step < steps) await save(r.step);
      }
      const last = await save(trainer.step);
      if (args.flag('json')) {
        io.stdout.write(
          `${JSON.stringify({
            steps: reports.map((r) => ({ step: r.step, loss: r.loss, lr: r.lr, logit_scale: r.logitScale })),
            out: last || null,
          })}\n`,
        );
      } else if (last) io.stderr.write(`checkpoint: ${last}\n`);
    } finally {
      trainer.dispose();
    }
  });
  return 0;
}

/** Pixels and token ids of one batch; a bad image or caption names its row. */
async function loadBatch(model: ClipModel, items: CaptionedImage[], truncate: boolean) {
  const S = model.config.vision.imageSize;
  const pixels = new Float32Array(items.length * 3 * S * S);
  const ids: Int32Array[] = [];
  for (const [i, it] of items.entries()) {
    try {
      const [p] = await model.prepareImages([await readFile(it.image)]);
      pixels.set(p.pixels, i * 3 * S * S);
      ids.push(model.tokenize(it.caption, { truncate })[0]);
    } catch (e) {
      if (e instanceof ClipError) throw new ClipError(e.code, `${it.where}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return { pixels, ids };
}
