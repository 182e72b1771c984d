/** `clip-webgpu download`: a CLIP folder from the Hugging Face hub, with progress and resume. */
import { basename, join } from 'node:path';
import { downloadHubModel } from '../node/index.ts';
// The renderer is a Node-side helper that src/node/index.ts does not re-export; it holds no engine state.
import { createProgressRenderer } from '../node/progress.ts';
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import { JSON_OPTION, type CliIo } from './common.ts';
import { megabytes, table } from './format.ts';

export const spec: CommandSpec = {
  name: 'download',
  summary: 'Download a CLIP folder (config.json, model.safetensors, vocab.json, merges.txt) from the Hugging Face hub.',
  usage: 'download REPO_ID [--out DIR] [--revision REV] [--endpoint URL]',
  description:
    'Files go to DIR (default weights/<name>). Interrupted downloads resume from their .part file; complete\n' +
    'files are skipped. $HF_ENDPOINT (or --endpoint) replaces https://huggingface.co.',
  positionals: ['REPO_ID'],
  options: {
    out: { type: 'string', value: 'DIR', help: 'Destination folder (default weights/<name>).' },
    revision: { type: 'string', value: 'REV', help: 'Branch, tag or commit (default main).' },
    endpoint: { type: 'string', value: 'URL', help: 'Hub URL (default $HF_ENDPOINT, else https://huggingface.co).' },
    ...JSON_OPTION,
  },
  examples: ['clip-webgpu download openai/clip-vit-base-patch32', 'npm run weights -- openai/clip-vit-base-patch32'],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const repoId = args.positionals[0];
  if (!repoId) throw new UsageError('download needs a REPO_ID, e.g. openai/clip-vit-base-patch32', 'download');
  const out = args.str('out') ?? join('weights', basename(repoId));
  const { dir, files } = await downloadHubModel(repoId, out, {
    endpoint: args.str('endpoint'),
    revision: args.str('revision'),
    onProgress: createProgressRenderer(io.stderr),
  });
  const got = files.filter((f) => f.status !== 'missing-optional');
  if (args.flag('json')) {
    io.stdout.write(JSON.stringify({ repo_id: repoId, dir, files: got }) + '\n');
    return 0;
  }
  const total = got.reduce((s, f) => s + f.bytes, 0);
  io.stdout.write(`${repoId} -> ${dir} (${got.length} files, ${megabytes(total)})\n`);
  io.stdout.write(
    table(
      got.map((f) => [f.file, megabytes(f.bytes), f.status]),
      { indent: '  ', header: false, align: ['left', 'right', 'left'] },
    ),
  );
  io.stdout.write(`Use it with: clip-webgpu classify --model ${dir} --image IMAGE --label LABEL...\n`);
  return 0;
}
