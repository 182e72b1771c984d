/** `clip-webgpu classify`: zero-shot classification of images over labels, with prompt templates. */
import { basename } from 'node:path';
import { DEFAULT_TEMPLATE, TEMPLATE_PRESETS } from '../node/index.ts';
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
} from './common.ts';
import { bar, percent, table } from './format.ts';
import { countOf } from '../model/bias/format.ts';

export const spec: CommandSpec = {
  name: 'classify',
  summary: 'Zero-shot classification: the probability of each label for each image.',
  usage: 'classify [--model PATH] --image FILE... --label LABEL... [--template T]... [--templates NAME] [--json]',
  description:
    `Each label becomes a prompt per template ("{}" is replaced by the label; default "${DEFAULT_TEMPLATE}").\n` +
    'With several templates the prompt embeddings are ensembled (mean of the normalized embeddings), as in the\n' +
    'CLIP paper. --templates imagenet uses its 80 ImageNet templates; --template and --templates add up.',
  options: {
    ...DEFAULT_MODEL_OPTION,
    image: { type: 'string', multiple: true, value: 'FILE', help: 'A PNG or JPEG image.' },
    label: { type: 'string', multiple: true, value: 'LABEL', help: 'A class name.' },
    template: { type: 'string', multiple: true, value: 'T', help: 'A prompt template with {} for the label.' },
    templates: {
      type: 'string',
      value: 'NAME',
      choices: Object.keys(TEMPLATE_PRESETS),
      help: 'A preset list of templates.',
    },
    top: { type: 'string', value: 'K', help: 'Show only the K most probable labels in the table (JSON has all).' },
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu classify --image world/images/00000.png --label circle --label square --label star --template "a {}"',
    'clip-webgpu classify --model weights/clip-vit-base-patch32 --image cat.jpg --label cat --label dog --label car',
    'clip-webgpu classify --model weights/clip-vit-base-patch32 --image cat.jpg --label cat --label dog --templates imagenet',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const images = needList(args, 'image', 'FILE');
  const labels = needList(args, 'label', 'LABEL');
  const top = args.int('top', labels.length);
  const preset = args.str('templates');
  const templates = [...(preset ? TEMPLATE_PRESETS[preset] : []), ...args.list('template')];
  if (templates.length === 0) templates.push(DEFAULT_TEMPLATE);
  labels.forEach((l, i) => {
    if (!l.trim()) throw new UsageError(`--label number ${i + 1} is empty`, 'classify');
  });
  for (const t of templates) {
    if (!t.includes('{}'))
      throw new UsageError(`--template ${JSON.stringify(t)} has no {} where the label goes`, 'classify');
  }
  const prompts = labels.flatMap((l) => templates.map((t) => t.replaceAll('{}', l)));

  await withModel(
    args,
    io,
    async (model) => {
      const labelEmbeds = await model.labelEmbeddings(labels, { templates, truncate: args.flag('truncate') });
      const imageEmbeds = await model.encodeImage(images);
      const { logitsPerImage, probs } = await model.similarity(imageEmbeds, labelEmbeds);
      const results = images.map((image, i) => ({
        image,
        probs: Array.from(probs[i]),
        logits: Array.from(logitsPerImage[i]),
        ranked: labels
          .map((label, j) => ({ label, prob: probs[i][j], logit: logitsPerImage[i][j] }))
          .sort((a, b) => b.prob - a.prob),
      }));

      if (args.flag('json')) {
        io.stdout.write(
          JSON.stringify({
            model: model.name,
            labels,
            templates,
            results: results.map(({ image, probs, logits, ranked }) => ({
              image,
              probs,
              logits,
              ranked: ranked.map(({ label, prob }) => ({ label, prob })),
            })),
          }) + '\n',
        );
        return;
      }
      const how = templates.length === 1 ? `template "${templates[0]}"` : `${templates.length} templates ensembled`;
      const out: string[] = [];
      for (const r of results) {
        if (out.length) out.push('\n');
        out.push(`${basename(r.image)}  (${model.name}, ${countOf(labels.length, 'label')}, ${how})\n`);
        const body = r.ranked
          .slice(0, Math.max(1, top))
          .map((x, k) => [String(k + 1), x.label, percent(x.prob), x.logit.toFixed(2), bar(x.prob)]);
        out.push(
          table([['#', 'label', 'prob', 'logit', ''], ...body], {
            indent: '  ',
            align: ['right', 'left', 'right', 'right', 'left'],
          }),
        );
      }
      io.stdout.write(out.join(''));
    },
    { tokenizer: promptCheck(prompts, args.flag('truncate')), images },
  );
  return 0;
}
