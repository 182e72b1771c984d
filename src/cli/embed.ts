/** `clip-webgpu embed`: image and text embeddings, logits and probabilities (HF CLIPModel's outputs). */
import { basename } from 'node:path';
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import {
  GPU_OPTIONS,
  JSON_OPTION,
  DEFAULT_MODEL_OPTION,
  TRUNCATE_OPTION,
  promptCheck,
  withModel,
  type CliIo,
} from './common.ts';
import { quote, rows, table, vectorPreview } from './format.ts';

export const spec: CommandSpec = {
  name: 'embed',
  summary: 'Embed images and texts; print the embeddings, logits_per_image and probs (softmax over the texts).',
  usage: 'embed [--model PATH] [--image FILE]... [--text TEXT]... [--truncate] [--json]',
  description:
    'Embeddings are projected and not normalized, as HF CLIPModel returns them. logits_per_image[i][t] =\n' +
    'exp(logit_scale) * cos(image i, text t); probs is their softmax over the texts, per image.\n' +
    'The JSON document has image_embeds, text_embeds, logits_per_image, probs and input_ids.',
  options: {
    ...DEFAULT_MODEL_OPTION,
    image: { type: 'string', multiple: true, value: 'FILE', help: 'A PNG or JPEG image.' },
    text: { type: 'string', multiple: true, value: 'TEXT', help: 'A prompt.' },
    ...TRUNCATE_OPTION,
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu embed --text "a red circle" --json',
    'clip-webgpu embed --model weights/clip-vit-base-patch32 --image cat.png --text "a cat" --text "a dog" --json',
  ],
};

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const images = args.list('image');
  const texts = args.list('text');
  if (images.length === 0 && texts.length === 0) {
    throw new UsageError('embed needs at least one --image FILE or --text TEXT', 'embed');
  }
  await withModel(
    args,
    io,
    async (model) => {
      // Text first: an over-long prompt fails before any image is decoded.
      const inputIds = model.tokenize(texts, { truncate: args.flag('truncate') });
      let t0 = performance.now();
      const textEmbeds = texts.length ? await model.encodeIds(inputIds) : [];
      const textMs = performance.now() - t0;
      t0 = performance.now();
      const imageEmbeds = images.length ? await model.encodeImage(images) : [];
      const imageMs = performance.now() - t0;
      if (args.flag('verbose')) {
        // Wall time including decode/preprocess and readback; the first call also compiles pipelines.
        io.stderr.write(
          `clip-webgpu: text encode ${textMs.toFixed(0)} ms (${texts.length} prompts), ` +
            `image encode ${imageMs.toFixed(0)} ms (${images.length} images) on ${model.adapter.description}\n`,
        );
      }
      const sim =
        images.length && texts.length
          ? await model.similarity(imageEmbeds, textEmbeds)
          : {
              logitsPerImage: imageEmbeds.map(() => new Float32Array(0)),
              probs: imageEmbeds.map(() => new Float32Array(0)),
            };

      if (args.flag('json')) {
        io.stdout.write(
          JSON.stringify({
            image_embeds: rows(imageEmbeds),
            text_embeds: rows(textEmbeds),
            logits_per_image: rows(sim.logitsPerImage),
            probs: rows(sim.probs),
            input_ids: rows(inputIds),
          }) + '\n',
        );
        return;
      }
      const imageNames = images.map((p) => basename(p));
      const out: string[] = [
        `model ${model.name}: ${model.config.projectionDim}-d embeddings, logit scale ${model.logitScale.exp.toFixed(4)}\n`,
      ];
      if (images.length) {
        out.push(`\nimage_embeds [${images.length}, ${model.config.projectionDim}]\n`);
        out.push(
          table(
            imageEmbeds.map((e, i) => [imageNames[i], vectorPreview(e), `norm ${norm(e).toFixed(4)}`]),
            { indent: '  ', header: false },
          ),
        );
      }
      if (texts.length) {
        out.push(`\ntext_embeds [${texts.length}, ${model.config.projectionDim}]\n`);
        out.push(
          table(
            textEmbeds.map((e, i) => [quote(texts[i]), vectorPreview(e), `norm ${norm(e).toFixed(4)}`]),
            { indent: '  ', header: false },
          ),
        );
      }
      if (images.length && texts.length) {
        out.push('\nprobs (softmax over the texts, per image; logits in parentheses)\n');
        const header = ['text', ...imageNames];
        const body = texts.map((t, j) => [
          quote(t, 32),
          ...images.map((_, i) => `${sim.probs[i][j].toFixed(4)} (${sim.logitsPerImage[i][j].toFixed(2)})`),
        ]);
        out.push(table([header, ...body], { indent: '  ', align: ['left', ...images.map(() => 'right' as const)] }));
      }
      io.stdout.write(out.join(''));
    },
    { tokenizer: promptCheck(texts, args.flag('truncate')), images },
  );
  return 0;
}

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}
