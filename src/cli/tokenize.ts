/** `clip-webgpu tokenize`: CLIP token ids (OpenAI's clip.tokenize), without a GPU. */
import { filesFromPath } from '../node/index.ts';
import type { CommandSpec, ParsedArgs } from './args.ts';
import {
  DEFAULT_MODEL_OPTION,
  JSON_OPTION,
  TRUNCATE_OPTION,
  modelPath,
  needList,
  tokenizePrompts,
  type CliIo,
} from './common.ts';
import { quote } from './format.ts';

export const spec: CommandSpec = {
  name: 'tokenize',
  summary: 'Token ids of prompts as clip.tokenize makes them: [49406, BPE..., 49407], zero padded to the context (77).',
  usage: 'tokenize [--model PATH] --text TEXT... [--truncate] [--json]',
  description:
    'Only the tokenizer files of the model folder (vocab.json + merges.txt, or tokenizer.json) are read.\n' +
    'Text output: one line per prompt with the ids up to the end token. --json: {"input_ids": [[77 ids], ...]}.',
  options: {
    ...DEFAULT_MODEL_OPTION,
    text: { type: 'string', multiple: true, value: 'TEXT', help: 'A prompt.' },
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
  },
  examples: [
    'clip-webgpu tokenize --text "a red circle"',
    'clip-webgpu tokenize --model weights/clip-vit-base-patch32 --text "a photo of a cat" --json',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const texts = needList(args, 'text', 'TEXT');
  const path = modelPath(args);
  const files = filesFromPath(path);
  const tokenizer = await files.tokenizer();
  const { ids, truncated, eotIndex } = tokenizePrompts(tokenizer, texts, files.config, args.flag('truncate'));
  if (args.flag('json')) {
    io.stdout.write(JSON.stringify({ input_ids: ids.map((r) => Array.from(r)) }) + '\n');
    return 0;
  }
  const lines = ids.map(
    (row, i) =>
      `${quote(texts[i], 50)}  ${Array.from(row.subarray(0, eotIndex[i] + 1)).join(' ')}` +
      `  (${eotIndex[i] + 1} tokens${truncated[i] ? ', truncated' : ''})`,
  );
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}
