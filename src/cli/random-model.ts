/** `clip-webgpu random-model`: a complete CLIP folder with random weights, for tests and benchmarks. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClipError, writeRandomClipModel } from '../node/index.ts';
import { parseClipConfig } from '../model/config.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import type { CliIo } from './common.ts';
import { megabytes } from './format.ts';

const PRESETS = ['tiny', 'ViT-B/32', 'ViT-B/16', 'ViT-L/14'];

/** ../shared/fixtures/tiny-clip beside the repository (src/cli/ and dist/cli/ are both two levels down). */
export function defaultTokenizerDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(here, '../../../shared/fixtures/tiny-clip');
  return existsSync(resolve(dir, 'vocab.json')) && existsSync(resolve(dir, 'merges.txt')) ? dir : undefined;
}

export const spec: CommandSpec = {
  name: 'random-model',
  summary: 'Write a Hugging Face CLIP folder with random weights (config.json, model.safetensors, tokenizer files).',
  usage:
    'random-model --preset NAME|--config FILE --out DIR [--seed N] [--dtype F32|F16|BF16] [--tokenizer DIR] [--init small|clip]',
  description:
    'Weights are deterministic per seed. vocab.json and merges.txt are copied from --tokenizer DIR, by default\n' +
    'from ../shared/fixtures/tiny-clip beside the repository when it exists.',
  options: {
    preset: { type: 'string', value: 'NAME', choices: PRESETS, help: "Model size (tiny = the test fixture's sizes)." },
    config: {
      type: 'string',
      value: 'FILE',
      help: 'A Hugging Face CLIP config.json to take the sizes from, instead of --preset (any ViT size).',
    },
    out: { type: 'string', value: 'DIR', help: 'Destination folder.' },
    seed: { type: 'string', value: 'N', help: 'Random seed (default 0).' },
    dtype: { type: 'string', value: 'DTYPE', choices: ['F32', 'F16', 'BF16'], help: 'Weight dtype (default F32).' },
    tokenizer: { type: 'string', value: 'DIR', help: 'A folder with vocab.json and merges.txt to copy.' },
    init: {
      type: 'string',
      value: 'KIND',
      choices: ['small', 'clip'],
      help: "small: every matrix N(0, 0.02), logit scale ln 100 (default); clip: CLIP's init, to train from scratch.",
    },
  },
  examples: [
    'clip-webgpu random-model --preset ViT-B/32 --out /tmp/vit-b32-random --seed 1',
    'clip-webgpu random-model --preset tiny --init clip --out /tmp/tiny-to-train',
    'clip-webgpu random-model --config my-config.json --init clip --seed 3 --out /tmp/to-train',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const configFile = args.str('config');
  if (configFile && args.str('preset')) throw new ClipError('input', 'Give --preset NAME or --config FILE, not both.');
  const preset = configFile ? undefined : args.need('preset', '--preset NAME or --config FILE');
  const out = args.need('out', '--out DIR');
  const seed = args.int('seed', 0);
  const tokenizerDir = args.str('tokenizer') ?? defaultTokenizerDir();
  for (const f of ['vocab.json', 'merges.txt']) {
    // Checked before the weights are written: a ViT-L/14 takes a while.
    if (tokenizerDir && !existsSync(resolve(tokenizerDir, f))) {
      throw new ClipError('not-found', `--tokenizer ${tokenizerDir} has no ${f} (it needs vocab.json and merges.txt)`);
    }
  }
  const config = configFile ? readConfig(configFile) : (preset as 'tiny');
  const result = await writeRandomClipModel(out, config, {
    seed,
    dtype: (args.str('dtype') ?? 'F32') as 'F32',
    tokenizerDir,
    init: (args.str('init') ?? 'small') as 'small',
  });
  io.stdout.write(
    `wrote ${out}: config.json, model.safetensors (${megabytes(result.bytes)})` +
      `${tokenizerDir ? ', vocab.json, merges.txt' : ''} — ${preset ?? configFile}, seed ${seed}\n`,
  );
  if (!tokenizerDir) {
    io.stderr.write(
      'clip-webgpu: no tokenizer files copied (no --tokenizer DIR and no ../shared/fixtures/tiny-clip): ' +
        `add vocab.json and merges.txt to ${out} before embedding text\n`,
    );
  }
  return 0;
}

export function readConfig(file: string) {
  if (!existsSync(file)) throw new ClipError('not-found', `--config ${file} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ClipError('config', `--config ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseClipConfig(json, file);
}
