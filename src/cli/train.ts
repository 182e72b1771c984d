/** `clip-webgpu train`: contrastive training (CLIP's loss, AdamW) on our kernels, open_clip's flag names. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ClipError } from '../errors.ts';
import { evaluateDataset } from '../model/bias/evaluate.ts';
import type { ClipModel } from '../model/clip.ts';
import { SafetensorsFile } from '../model/safetensors/reader.ts';
import { loadOptimizerState } from '../model/train/checkpoint.ts';
import { learningRate, type LrScheduler } from '../model/train/schedule.ts';
import { FileSource } from '../node/file-source.ts';
import { epochOrder, readTrainData, type CaptionedImage } from '../node/train-data.ts';
import { writeRandomClipModel } from '../node/random-model.ts';
import { writeCheckpoint } from '../node/train-checkpoint.ts';
import { readValidationData, type ValidationTask } from '../node/val-data.ts';
import { namedDetectionScore, namedPointingGame, WORLD_REFINE } from '../model/world/index.ts';
import { ParsedArgs, UsageError, type CommandSpec } from './args.ts';
import { positiveInt } from './bias.ts';
import { GPU_OPTIONS, JSON_OPTION, MODEL_OPTION, TRUNCATE_OPTION, withModel, type CliIo } from './common.ts';
import { megabytes, percent } from './format.ts';
import { defaultTokenizerDir, readConfig } from './random-model.ts';
import { progressMode, trainProgress } from './train-progress.ts';

const num = (help: string) => ({ type: 'string' as const, value: 'X', help });

/** The maps the meaning tests score localisation with (test/meaning/thresholds.ts). */
const MEANING_POINTING = 'relevance'; // both refined by the image (PAMR, WORLD_REFINE)
const MEANING_DETECTION = 'relevance';

export const spec: CommandSpec = {
  name: 'train',
  summary: "Contrastive training (CLIP's loss, AdamW) of a checkpoint on captioned images.",
  usage:
    'train (--model DIR | --config FILE [--seed N]) --data CSV|DIR [--batch-size N] [--steps N|--epochs N] [--lr X]\n' +
    '      [--val-data DIR [--val-frequency N]] [--out DIR] [--json]',
  description:
    'DATA is an open_clip CSV/TSV (columns --csv-img-key, --csv-caption-key; relative image paths are taken from\n' +
    'its folder) or an img2dataset "files" folder (NNNN.jpg|png beside NNNN.txt). Image i of a batch belongs with\n' +
    "caption i; batch k of an epoch is rows k·B … (k+1)·B−1 of the epoch's order (file order with --no-shuffle, else\n" +
    'a shuffle seeded by --seed and the epoch); a last partial batch is dropped. Each checkpoint is a Hugging Face\n' +
    'folder OUT/step-N (config.json, model.safetensors, vocab.json, merges.txt) with the optimizer state beside it;\n' +
    '--resume OUT/step-N continues to the same parameters as a run that never stopped (give the same options).\n' +
    "--config FILE starts from CLIP's random init (random-model --init clip) of that config, seeded by --seed.\n" +
    '--val-data scores zero-shot accuracy every --val-frequency steps and after the last: on a world folder\n' +
    '(clip-webgpu world; its single-object scenes, shape with "a {shape}" and colour with "a {colour} shape"; its\n' +
    'two-object scenes, each object named "a red circle": pointing, the peak of relevance\'s map on the object, and\n' +
    "detection, the top box of relevance's map refined by PAMR at IoU >= 0.5, as the meaning tests), or on a folder of class\n" +
    'sub-folders as eval does. At a terminal a progress bar shows step, loss, lr, images/s\n' +
    'and the time left; otherwise about twenty plain lines; with --json nothing unless --verbose. --json prints\n' +
    '{"steps": [{"step", "loss", "lr", "logit_scale", "val"?}], "out", "peak_gpu_bytes"}: peak_gpu_bytes is the\n' +
    'high-water mark of GPU buffer bytes while training (weights, gradients, AdamW moments, activations).',
  options: {
    ...MODEL_OPTION,
    config: {
      type: 'string',
      value: 'FILE',
      help: "Start from CLIP's random init of this Hugging Face config.json instead of --model (seeded by --seed).",
    },
    tokenizer: {
      type: 'string',
      value: 'DIR',
      help: 'With --config: the folder with vocab.json and merges.txt (default ../shared/fixtures/tiny-clip).',
    },
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
    'lock-text': { type: 'boolean', help: "Keep the text tower's weights fixed (open_clip's --lock-text)." },
    'lock-image': { type: 'boolean', help: "Keep the image tower's weights fixed (open_clip's --lock-image, LiT)." },
    seed: { type: 'string', value: 'N', help: "Seed of the data order and of --config's init (default 0)." },
    'no-shuffle': { type: 'boolean', help: 'Batches in file order (how an outside check reproduces a run).' },
    out: { type: 'string', value: 'DIR', help: 'Write checkpoints into DIR/step-N (the last step always).' },
    'save-frequency': { type: 'string', value: 'N', help: 'Also write a checkpoint every N steps.' },
    'val-data': {
      type: 'string',
      value: 'DIR',
      help: 'Zero-shot accuracy on a world folder (truth.json) or a folder of class sub-folders.',
    },
    'val-frequency': {
      type: 'string',
      value: 'N',
      help: 'Score --val-data every N steps (default: only after the last).',
    },
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
    'clip-webgpu train --config weights/shapes-clip/config.json --seed 1 --data world/captions.csv --steps 500 --val-data world-val',
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

/** Exactly one start, checked before the data is read (a usage error is exit 2, whatever the data). */
function checkStart(args: ParsedArgs): void {
  const given = ['resume', 'model', 'config'].filter((o) => args.str(o) !== undefined).map((o) => `--${o}`);
  if (given.length > 1)
    throw new UsageError(`give one of --model, --config and --resume, not ${given.join(' and ')}`, 'train');
  if (given.length === 0)
    throw new UsageError('train needs a start: --model DIR, --config FILE or --resume DIR', 'train');
}

/**
 * Where training starts (run() has checked that exactly one is given): --resume, --model, or a fresh CLIP
 * init of --config in a temporary folder.
 */
async function startingPoint(args: ParsedArgs): Promise<{ model: string; temporary?: string; init?: object }> {
  const resume = args.str('resume'),
    model = args.str('model');
  if (resume) return { model: resume };
  if (model) return { model };
  const config = args.need('config', '--config FILE');
  const tokenizerDir = args.str('tokenizer') ?? defaultTokenizerDir();
  if (!tokenizerDir) {
    throw new ClipError(
      'not-found',
      '--config needs tokenizer files: give --tokenizer DIR (vocab.json and merges.txt)',
    );
  }
  for (const f of ['vocab.json', 'merges.txt']) {
    if (!existsSync(resolve(tokenizerDir, f)))
      throw new ClipError('not-found', `--tokenizer ${tokenizerDir} has no ${f} (it needs vocab.json and merges.txt)`);
  }
  const cfg = readConfig(config);
  const seed = args.int('seed', 0);
  const temporary = await mkdtemp(join(tmpdir(), 'clip-webgpu-init-'));
  await writeRandomClipModel(temporary, cfg, { seed, init: 'clip', tokenizerDir });
  return { model: temporary, temporary, init: { config, seed, init: 'clip' } };
}

/** Each validation task's score with the weights as they are now: zero-shot accuracy, pointing, detection. */
async function validate(model: ClipModel, tasks: ValidationTask[], truncate: boolean): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tasks) {
    if (t.kind === 'zero-shot') {
      const e = await evaluateDataset(model, t.items, { classes: t.classes, templates: t.templates, truncate });
      out[t.name] = e.accuracy;
    } else if (t.name === 'pointing') {
      out.pointing = (await namedPointingGame(model, t.images, MEANING_POINTING, { refine: WORLD_REFINE })).accuracy;
    } else {
      out.detection = (
        await namedDetectionScore(model, t.images, MEANING_DETECTION, { refine: WORLD_REFINE })
      ).accuracy;
    }
  }
  return out;
}

export async function run(argsIn: ParsedArgs, io: CliIo): Promise<number> {
  const resume = argsIn.str('resume');
  checkStart(argsIn);
  const dataPath = argsIn.need('data', '--data PATH');
  const valPath = argsIn.str('val-data');
  const valEvery = argsIn.str('val-frequency') !== undefined ? positiveInt(argsIn, 'val-frequency', 1) : 0;
  if (valEvery && !valPath) throw new UsageError('--val-frequency needs --val-data DIR', 'train');
  if (argsIn.flag('lock-text') && argsIn.flag('lock-image'))
    throw new UsageError('--lock-text and --lock-image together leave only the logit scale to train', 'train');
  const data = await readTrainData(dataPath, {
    imgKey: argsIn.str('csv-img-key'),
    captionKey: argsIn.str('csv-caption-key'),
    separator: argsIn.str('csv-separator'),
  });
  const valTasks = valPath ? await readValidationData(valPath) : [];
  const B = positiveInt(argsIn, 'batch-size', 64);
  if (B < 2)
    throw new UsageError('--batch-size must be at least 2 (the loss contrasts the pairs of a batch)', argsIn.command);
  const perEpoch = Math.floor(data.length / B);
  if (perEpoch === 0) throw new ClipError('input', `${data.length} image-caption pairs do not fill one batch of ${B}.`);
  const start = await startingPoint(argsIn);
  try {
    const args = new ParsedArgs(argsIn.command, { ...argsIn.values, model: start.model }, argsIn.positionals);
    await train(args, io, { resume, data, perEpoch, B, valTasks, valEvery, init: start.init });
  } finally {
    if (start.temporary) await rm(start.temporary, { recursive: true, force: true });
  }
  return 0;
}

interface TrainPlan {
  resume: string | undefined;
  data: CaptionedImage[];
  perEpoch: number;
  B: number;
  valTasks: ValidationTask[];
  valEvery: number;
  init: object | undefined;
}

async function train(args: ParsedArgs, io: CliIo, plan: TrainPlan): Promise<void> {
  const { resume, data, perEpoch, B, valTasks, valEvery } = plan;
  const modelPath = args.need('model', '--model DIR');
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
  const json = args.flag('json');
  const tokenizerDir = modelPath.endsWith('.safetensors') ? dirname(modelPath) : modelPath;

  const entries: Record<string, unknown>[] = [];
  await withModel(args, io, async (model) => {
    const trainer = model.trainer({
      lr: baseLr,
      weightDecay: float(args, 'wd', 0.2),
      beta1: float(args, 'beta1', 0.9),
      beta2: float(args, 'beta2', 0.98),
      eps: float(args, 'eps', 1e-6, true),
      gradClipNorm: clip,
      accumFreq: positiveInt(args, 'accum-freq', 1),
      lock: (['text', 'image'] as const).filter((t) => args.flag(`lock-${t}`)),
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
              ...(trainer.lock.length ? { lock: trainer.lock } : {}),
              ...(plan.init ? { init: plan.init } : {}),
            })
          : Promise.resolve('');
      const mode = progressMode(io.stderr, json, args.flag('verbose'));
      const progress = trainProgress(io.stderr, mode, { total: steps, batchSize: B, firstStep: trainer.step });
      const started = Date.now();
      try {
        while (trainer.step < steps) {
          const t0 = performance.now();
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
          progress.step(r, (performance.now() - t0) / 1000);
          const entry: Record<string, unknown> = { step: r.step, loss: r.loss, lr: r.lr, logit_scale: r.logitScale };
          if (valTasks.length && ((valEvery && r.step % valEvery === 0) || r.step === steps)) {
            const val = await validate(model, valTasks, truncate);
            entry.val = val;
            const scores = Object.entries(val).map(([name, acc]) => `${name} ${percent(acc, 1)}`);
            progress.note(`val step ${r.step}: ${scores.join('  ')}`);
          }
          entries.push(entry);
          if (saveEvery && r.step % saveEvery === 0 && r.step < steps) await save(r.step);
        }
      } finally {
        progress.done();
      }
      const last = await save(trainer.step);
      const peak = trainer.stats.peakGpuBytes;
      if (json) {
        io.stdout.write(`${JSON.stringify({ steps: entries, out: last || null, peak_gpu_bytes: peak })}\n`);
      } else {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        io.stderr.write(`trained to step ${trainer.step} in ${seconds} s; peak GPU memory ${megabytes(peak)}\n`);
        if (last) io.stderr.write(`checkpoint: ${last}\n`);
      }
    } finally {
      trainer.dispose();
    }
  });
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
