/**
 * The `clip-webgpu` command line, end to end: the real bin spawned for the acceptance cases and the
 * bad inputs (exit code, one line on stderr naming the problem, no stack trace), `main()` called
 * in-process for the rest. Spawns cost ~0.3 s (no GPU) to ~3 s (GPU on a CPU): keep them few.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ROOT, cli, expectOneLineError, parseJson, run, spawnedCount } from '../helpers/cli.ts';
import { writeSafetensors, type TensorToWrite } from '../../src/model/safetensors/writer.ts';
import { expectClose, flat } from '../helpers/gpu.ts';
import { SHARED, TINY, TINY_IMAGES, golden, json } from '../helpers/fixtures.ts';
import { startWeightsServer } from '../helpers/weights-server.ts';
import { measured } from '../helpers/measurements.ts';

const rowsOf = (x: number[][]) => flat(x);

function expectGolden(doc: any, g: ReturnType<typeof golden>): void {
  expect(Object.keys(doc).sort()).toEqual(['image_embeds', 'input_ids', 'logits_per_image', 'probs', 'text_embeds']);
  expect(doc.input_ids).toEqual(g.input_ids);
  expect(doc.image_embeds).toHaveLength(4);
  expect(doc.text_embeds).toHaveLength(8);
  expect(doc.logits_per_image.map((r: number[]) => r.length)).toEqual([8, 8, 8, 8]);
  expectClose(rowsOf(doc.image_embeds), flat(g.image_embeds), 1e-4, 'image_embeds');
  expectClose(rowsOf(doc.text_embeds), flat(g.text_embeds), 1e-4, 'text_embeds');
  expectClose(rowsOf(doc.logits_per_image), flat(g.logits_per_image), 2e-3, 'logits_per_image');
  expectClose(rowsOf(doc.probs), flat(g.probs), 1e-4, 'probs');
}

const imageArgs = (images: readonly string[]) => images.flatMap((p) => ['--image', p]);
const textArgs = (texts: readonly string[]) => texts.flatMap((t) => ['--text', t]);

// ---- safetensors surgery for the bad-input cases ----

interface Parsed {
  headerLength: number;
  header: Record<string, any>;
  data: Uint8Array;
}

function parseSafetensors(bytes: Uint8Array): Parsed {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  return { headerLength, header, data: bytes.subarray(8 + headerLength) };
}

function tensorsOf(p: Parsed): TensorToWrite[] {
  return Object.entries(p.header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, e]) => ({
      name,
      dtype: e.dtype,
      shape: e.shape,
      data: p.data.slice(e.data_offsets[0], e.data_offsets[1]),
    }));
}

/** A file with a hand-made header (for what the writer refuses to write) and the original data. */
function withHeader(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (new TextEncoder().encode(text).byteLength % 8)) % 8);
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + body.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(body.byteLength), true);
  out.set(body, 8);
  out.set(data, 8 + body.byteLength);
  return out;
}

describe('clip-webgpu CLI', () => {
  let tmp: string;
  let bad: string; // a model folder (config + tokenizer) for the broken .safetensors files
  const started = Date.now();

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-cli-'));
    bad = join(tmp, 'bad');
    mkdirSync(bad);
    for (const f of ['config.json', 'vocab.json', 'merges.txt']) copyFileSync(join(TINY, f), join(bad, f));
  });

  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    measured(
      `clip-webgpu CLI tests: ${spawnedCount()} processes spawned, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  // ---- acceptance: the real bin ----

  it('--help works from the bin (building the bundle if needed)', async () => {
    const r = await cli(['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: clip-webgpu COMMAND/);
    for (const c of ['embed', 'classify', 'tokenize', 'info', 'download', 'random-model'])
      expect(r.stdout).toContain(`  ${c} `);
    expect(existsSync(join(ROOT, 'dist/cli/clip-webgpu.mjs'))).toBe(true);
  });

  for (const dtype of ['f32', 'f16'] as const) {
    it(`embed ${dtype === 'f32' ? 'model.safetensors' : 'model-f16.safetensors'} --json equals golden_${dtype}.json`, async () => {
      const g = golden(dtype);
      const file = join(TINY, dtype === 'f32' ? 'model.safetensors' : 'model-f16.safetensors');
      const r = await cli([
        'embed',
        '--model',
        file,
        ...imageArgs(TINY_IMAGES),
        ...textArgs(g.prompts),
        '--truncate',
        '--json',
      ]);
      expect(r.stdout.trim().split('\n')).toHaveLength(1); // one JSON document
      expectGolden(parseJson(r), g);
    });
  }

  it('tokenize --json is exact on every string of tokenizer/golden.json', async () => {
    const entries = json<{ entries: { text: string; context_ids: number[] }[] }>(
      join(SHARED, 'fixtures/tokenizer/golden.json'),
    ).entries;
    expect(entries.length).toBe(32);
    const r = await cli(['tokenize', '--model', TINY, ...textArgs(entries.map((e) => e.text)), '--truncate', '--json']);
    const doc = parseJson(r);
    expect(Object.keys(doc)).toEqual(['input_ids']);
    expect(doc.input_ids).toHaveLength(entries.length);
    entries.forEach((e, i) => expect(doc.input_ids[i], JSON.stringify(e.text)).toEqual(e.context_ids));
  });

  it('classify prints a ranked table', async () => {
    const r = await cli([
      'classify',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[0],
      '--label',
      'dog',
      '--label',
      'cat',
      '--label',
      'red circle',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('img0.png');
    expect(lines[0]).toContain('template "a photo of a {}."');
    expect(lines[1]).toMatch(/#\s+label\s+prob\s+logit/);
    const body = lines.slice(3);
    expect(body).toHaveLength(3);
    const probs = body.map((l) => Number(/(\d+\.\d+)%/.exec(l)![1]));
    expect(probs[0]).toBeGreaterThanOrEqual(probs[1]);
    expect(probs[1]).toBeGreaterThanOrEqual(probs[2]);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    expect(body.map((l) => /^\s*\d+\s+(.+?)\s{2,}/.exec(l)![1]).sort()).toEqual(['cat', 'dog', 'red circle']);
  });

  it('classify --json with the "{}" template gives the golden logits of those prompts', async () => {
    // Label = prompt and template "{}": each label's embedding is the prompt's, normalized.
    const g = golden('f32');
    const labels = g.prompts.slice(0, 4);
    const r = await cli([
      'classify',
      '--model',
      TINY,
      ...imageArgs(TINY_IMAGES.slice(0, 2)),
      ...labels.flatMap((l) => ['--label', l]),
      '--template',
      '{}',
      '--json',
    ]);
    const doc = parseJson(r);
    expect(doc.labels).toEqual(labels);
    expect(doc.templates).toEqual(['{}']);
    expect(doc.results).toHaveLength(2);
    doc.results.forEach((res: any, i: number) => {
      expect(res.image).toBe(TINY_IMAGES[i]);
      expectClose(res.logits, g.logits_per_image[i].slice(0, 4), 2e-3, `logits image ${i}`);
      const exp = res.logits.map((l: number) => Math.exp(l - Math.max(...res.logits)));
      const sum = exp.reduce((a: number, b: number) => a + b, 0);
      expectClose(
        res.probs,
        exp.map((e: number) => e / sum),
        1e-4,
        `probs image ${i}`,
      );
      expect(res.ranked.map((x: any) => x.label).sort()).toEqual([...labels].sort());
      expect(res.ranked[0].prob).toBe(Math.max(...res.probs));
    });
  });

  it('random-model --preset tiny writes a folder that embed loads', async () => {
    const out = join(tmp, 'random-tiny');
    const w = await cli(['random-model', '--preset', 'tiny', '--out', out, '--seed', '3']);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toContain(out);
    for (const f of ['config.json', 'model.safetensors', 'vocab.json', 'merges.txt'])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'vocab.json'))).toEqual(readFileSync(join(TINY, 'vocab.json'))); // default tokenizer dir
    const r = await cli([
      'embed',
      '--model',
      out,
      '--image',
      TINY_IMAGES[1],
      '--text',
      'a dog',
      '--text',
      'a cat',
      '--json',
    ]);
    const doc = parseJson(r);
    expect(doc.image_embeds).toHaveLength(1);
    expect(doc.image_embeds[0]).toHaveLength(32);
    expect(doc.text_embeds.map((e: number[]) => e.length)).toEqual([32, 32]);
    expect(doc.input_ids[0].slice(0, 4)).toEqual([49406, 320, 1929, 49407]);
    expect([...doc.image_embeds[0], ...doc.logits_per_image[0]].every(Number.isFinite)).toBe(true);
    expect(doc.probs[0][0] + doc.probs[0][1]).toBeCloseTo(1, 5);
    // Deterministic per seed (in-process, same bytes).
    const again = await run(['random-model', '--preset', 'tiny', '--out', join(tmp, 'random-tiny-2'), '--seed', '3']);
    expect(again.code, again.stderr).toBe(0);
    expect(
      readFileSync(join(tmp, 'random-tiny-2/model.safetensors')).equals(readFileSync(join(out, 'model.safetensors'))),
    ).toBe(true);
  });

  it('download REPO_ID --out DIR from $HF_ENDPOINT (resuming a .part), then embed on it', async () => {
    const files = new Map<string, Uint8Array>();
    for (const f of ['config.json', 'model.safetensors', 'vocab.json', 'merges.txt']) {
      files.set(`/org/tiny-clip/resolve/main/${f}`, readFileSync(join(TINY, f)));
    }
    const server = await startWeightsServer({ files });
    const out = join(tmp, 'downloaded');
    try {
      // An interrupted earlier download left half of the weights.
      const weights = files.get('/org/tiny-clip/resolve/main/model.safetensors')!;
      mkdirSync(out);
      writeFileSync(join(out, 'model.safetensors.part'), weights.subarray(0, 5_000_000));
      const r = await cli(['download', 'org/tiny-clip', '--out', out], { HF_ENDPOINT: server.url });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`org/tiny-clip -> ${out}`);
      expect(r.stderr).toMatch(/model\.safetensors\s+100%.*done/); // the progress renderer (plain lines off a TTY)
      expect(server.requests.some((q) => q.path.endsWith('/model.safetensors') && q.range === 'bytes=5000000-')).toBe(
        true,
      );
      for (const [path, bytes] of files) {
        expect(readFileSync(join(out, basename(path))).equals(Buffer.from(bytes)), path).toBe(true);
      }
      expect(existsSync(join(out, 'model.safetensors.part'))).toBe(false);
    } finally {
      await server.close();
    }
    const g = golden('f32');
    const e = await cli([
      'embed',
      '--model',
      out,
      '--image',
      TINY_IMAGES[2],
      '--text',
      g.prompts[0],
      '--text',
      g.prompts[2],
      '--json',
    ]);
    const doc = parseJson(e);
    expectClose(doc.image_embeds[0], g.image_embeds[2], 1e-4, 'image_embeds');
    expectClose(flat(doc.text_embeds), flat([g.text_embeds[0], g.text_embeds[2]]), 1e-4, 'text_embeds');
  });

  // ---- bad inputs: the real bin, one clear line, non-zero exit ----

  describe('bad inputs', () => {
    const tinyBytes = () => new Uint8Array(readFileSync(join(TINY, 'model.safetensors')));

    it('a safetensors file truncated at a tensor boundary names the first missing tensor', async () => {
      const bytes = tinyBytes();
      const p = parseSafetensors(bytes);
      const byEnd = Object.entries(p.header)
        .filter(([n]) => n !== '__metadata__')
        .sort((a: any, b: any) => a[1].data_offsets[0] - b[1].data_offsets[0]);
      const cutAfter = byEnd[Math.floor(byEnd.length / 2)];
      const next = byEnd[Math.floor(byEnd.length / 2) + 1];
      const file = join(bad, 'cut-tensor.safetensors');
      writeFileSync(file, bytes.subarray(0, 8 + p.headerLength + (cutAfter[1] as any).data_offsets[1]));
      const line = expectOneLineError(
        await cli(['embed', '--model', file, '--text', 'a dog']),
        ['cut-tensor.safetensors', 'truncated', `"${next[0]}"`],
        1,
      );
      expect(line).not.toContain(`"${cutAfter[0]}"`);
    });

    it('a safetensors file truncated inside its header', async () => {
      const bytes = tinyBytes();
      const { headerLength } = parseSafetensors(bytes);
      const file = join(bad, 'cut-header.safetensors');
      writeFileSync(file, bytes.subarray(0, 8 + (headerLength >> 1)));
      expectOneLineError(
        await cli(['embed', '--model', file, '--text', 'a dog']),
        ['cut-header.safetensors', 'truncated', 'header'],
        1,
      );
    });

    it('an absurd header length (2^40)', async () => {
      const file = join(bad, 'absurd.safetensors');
      const bytes = new Uint8Array(64).fill(0x20);
      new DataView(bytes.buffer).setBigUint64(0, 2n ** 40n, true);
      writeFileSync(file, bytes);
      expectOneLineError(
        await cli(['embed', '--model', file, '--text', 'a dog']),
        ['absurd.safetensors', 'header length 1099511627776'],
        1,
      );
    });

    it('a renamed (so missing) tensor is named', async () => {
      const tensors = tensorsOf(parseSafetensors(tinyBytes())).map((t) =>
        t.name === 'vision_model.post_layernorm.weight' ? { ...t, name: 'vision_model.post_layernorm.gamma' } : t,
      );
      const file = join(bad, 'renamed.safetensors');
      writeFileSync(file, writeSafetensors(tensors, { format: 'pt' }));
      expectOneLineError(
        await cli(['embed', '--model', file, '--text', 'a dog']),
        ['missing tensor vision_model.post_layernorm.weight', 'renamed.safetensors'],
        1,
      );
    });

    it('a misshapen tensor is named with both shapes', async () => {
      const tensors = tensorsOf(parseSafetensors(tinyBytes())).map((t) =>
        t.name === 'visual_projection.weight'
          ? { ...t, shape: [16, 64], data: (t.data as Uint8Array).slice(0, 16 * 64 * 4) }
          : t,
      );
      const file = join(bad, 'misshapen.safetensors');
      writeFileSync(file, writeSafetensors(tensors));
      expectOneLineError(
        await cli(['classify', '--model', file, '--image', TINY_IMAGES[0], '--label', 'dog']),
        ['visual_projection.weight', 'misshapen.safetensors', '[16, 64]', '[32, 64]'],
        1,
      );
    });

    it('an unknown dtype is named with its tensor', async () => {
      const p = parseSafetensors(tinyBytes());
      p.header['text_projection.weight'].dtype = 'F8_E4M3';
      const file = join(bad, 'dtype.safetensors');
      writeFileSync(file, withHeader(p.header, p.data));
      expectOneLineError(
        await cli(['embed', '--model', file, '--text', 'a dog']),
        ['"text_projection.weight"', 'dtype.safetensors', 'F8_E4M3'],
        1,
      );
    });

    it('a text file passed as --image', async () => {
      const file = join(tmp, 'notes.txt');
      writeFileSync(file, 'hello, this is not a picture\n');
      expectOneLineError(
        await cli(['embed', '--model', TINY, '--image', TINY_IMAGES[0], '--image', file, '--text', 'a dog']),
        [file, /not a PNG or JPEG/],
        1,
      );
    });

    it('a model path that does not exist', async () => {
      const missing = join(tmp, 'no-such-model');
      expectOneLineError(
        await cli(['classify', '--model', missing, '--image', TINY_IMAGES[0], '--label', 'dog']),
        [missing, 'does not exist'],
        1,
      );
    });

    it('an empty label list', async () => {
      expectOneLineError(await cli(['classify', '--model', TINY, '--image', TINY_IMAGES[0]]), ['--label'], 2);
    });

    it('an over-long prompt without --truncate', async () => {
      const long = golden('f32').prompts[5];
      expectOneLineError(
        await cli(['embed', '--model', TINY, '--text', 'a dog', '--text', long]),
        [long.slice(0, 30), 'over the limit of 77', '--truncate'],
        1,
      );
    });

    // In-process from here: the same code path without a process each.

    it('a header that is not JSON', async () => {
      const file = join(bad, 'garbage.safetensors');
      const body = new TextEncoder().encode('{"a": nope}     ');
      const bytes = new Uint8Array(8 + body.byteLength);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(body.byteLength), true);
      bytes.set(body, 8);
      writeFileSync(file, bytes);
      expectOneLineError(
        await run(['embed', '--model', file, '--text', 'x']),
        ['garbage.safetensors', 'not valid JSON'],
        1,
      );
    });

    it('a file shorter than the length prefix', async () => {
      const file = join(bad, 'tiny.safetensors');
      writeFileSync(file, new Uint8Array([1, 2, 3]));
      expectOneLineError(await run(['info', '--model', file]), ['tiny.safetensors', 'too short'], 1);
    });

    it('an empty label and a template without {}', async () => {
      expectOneLineError(
        await run(['classify', '--model', TINY, '--image', TINY_IMAGES[0], '--label', 'dog', '--label', ' ']),
        ['--label number 2 is empty'],
        2,
      );
      expectOneLineError(
        await run(['classify', '--model', TINY, '--image', TINY_IMAGES[0], '--label', 'dog', '--template', 'a photo']),
        ['"a photo"', 'has no {}'],
        2,
      );
    });

    it('a missing image file', async () => {
      const missing = join(tmp, 'nope.png');
      expectOneLineError(await run(['embed', '--model', TINY, '--image', missing]), [missing, 'not found'], 1);
    });

    it('a folder without tokenizer files', async () => {
      const dir = join(tmp, 'no-tokenizer');
      mkdirSync(dir);
      copyFileSync(join(TINY, 'config.json'), join(dir, 'config.json'));
      copyFileSync(join(TINY, 'model.safetensors'), join(dir, 'model.safetensors'));
      expectOneLineError(await run(['tokenize', '--model', dir, '--text', 'x']), [dir, 'vocab.json'], 1);
    });

    it('usage errors exit 2 with one line', async () => {
      const cases: [string[], (string | RegExp)[]][] = [
        [['frobnicate'], ['unknown command "frobnicate"', 'embed']],
        [['clasify', '--model', TINY], ['unknown command "clasify" (did you mean classify?)']],
        [['help', 'gradcma'], ['unknown command "gradcma" (did you mean gradcam?)']],
        [
          ['classify', '--model', TINY, '--image', TINY_IMAGES[0], 'dog'],
          ['unexpected argument "dog"', 'e.g. --label dog)'],
        ],
        [['--frob'], ['unknown option --frob']],
        [
          ['embed', '--model', TINY, '--text', 'x', '--jsn'],
          ['unknown option --jsn', 'did you mean --json?'],
        ],
        // embed & co. default to the shipped model; train needs its start point named.
        [['train', '--data', 'captions.csv'], ['train needs a start: --model DIR, --config FILE or --resume DIR']],
        [['info', '--adapter-only', '--model', TINY], ['--adapter-only loads no model: drop --model']],
        [
          ['embed', '--model', TINY],
          ['--image', '--text'],
        ],
        [['embed', '--model'], ['--model needs a value']],
        [
          ['embed', '--model', TINY, '--text', 'x', '--adapter', 'metal'],
          ['--adapter must be one of auto, system, swiftshader, gles', '"metal"'],
        ],
        [
          ['embed', '--model', TINY, 'a dog'],
          ['unexpected argument "a dog"', 'e.g. --text "a photo of a dog")'],
        ],
        [['tokenize', '--model', TINY], ['--text']],
        [['classify', '--model', TINY, '--label', 'x'], ['--image']],
        [
          ['classify', '--model', TINY, '--image', TINY_IMAGES[0], '--label', 'x', '--templates', 'fancy'],
          ['--templates must be one of single, imagenet'],
        ],
        [['random-model', '--preset', 'tiny', '--out', join(tmp, 'x'), '--seed', 'abc'], ['--seed must be an integer']],
        [['random-model', '--preset', 'ViT-H/14', '--out', join(tmp, 'x')], ['--preset must be one of']],
        [['random-model', '--preset', 'tiny'], ['--out DIR']],
        [['download'], ['REPO_ID']],
        [['help', 'nope'], ['unknown command "nope"']],
      ];
      for (const [args, names] of cases) expectOneLineError(await run(args), names, 2);
      expect(existsSync(join(tmp, 'x'))).toBe(false);
    });

    it('an invalid repo id and an unreachable hub', async () => {
      expectOneLineError(
        await run(['download', 'not a repo', '--out', join(tmp, 'dl-x')]),
        ['Invalid Hugging Face repo id', '"not a repo"'],
        1,
      );
      const r = await run(['download', 'org/missing', '--out', join(tmp, 'dl-y'), '--endpoint', 'http://127.0.0.1:9']);
      expectOneLineError(r, ['org/missing', '127.0.0.1:9'], 1);
    });

    it('--tokenizer DIR without the tokenizer files', async () => {
      expectOneLineError(
        await run(['random-model', '--preset', 'tiny', '--out', join(tmp, 'rt'), '--tokenizer', tmp]),
        ['vocab.json', tmp],
        1,
      );
      expect(existsSync(join(tmp, 'rt'))).toBe(false);
    });
  });

  // ---- in-process: help, text output, info ----

  it('--version and --help for every command', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect((await run(['--version'])).stdout).toBe(`${pkg.version}\n`);
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: clip-webgpu/);
    for (const cmd of ['embed', 'classify', 'tokenize', 'info', 'download', 'random-model']) {
      for (const args of [
        [cmd, '--help'],
        [cmd, '-h'],
        ['help', cmd],
        [cmd, '--model', 'whatever', '--help'],
      ]) {
        const r = await run(args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: clip-webgpu ${cmd}\\b`));
        expect(r.stdout).toContain('--help');
        expect(r.stderr).toBe('');
      }
    }
    const embedHelp = (await run(['embed', '--help'])).stdout;
    for (const flag of [
      '--model PATH',
      '--image FILE',
      '--text TEXT',
      '--truncate',
      '--json',
      '--adapter NAME',
      'Repeatable',
    ])
      expect(embedHelp).toContain(flag);
    expect((await run(['classify', '--help'])).stdout).toContain('--templates NAME');
  });

  it('tokenize prints ids up to the end token without --json', async () => {
    const r = await run([
      'tokenize',
      '--model',
      join(TINY, 'model.safetensors'),
      '--text',
      'a photo of a dog.',
      '--text',
      '',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '"a photo of a dog."  49406 320 1125 539 320 1929 269 49407  (8 tokens)\n""  49406 49407  (2 tokens)\n',
    );
  });

  it('embed without --json prints the embeddings and a probability table; images alone work', async () => {
    const g = golden('f32');
    const r = await run([
      'embed',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[3],
      '--text',
      g.prompts[0],
      '--text',
      g.prompts[2],
      '--verbose',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('image_embeds [1, 32]');
    expect(r.stdout).toContain('text_embeds [2, 32]');
    expect(r.stdout).toMatch(/probs \(softmax over the texts/);
    expect(r.stdout).toContain('"a photo of a dog."');
    expect(r.stderr).toMatch(/^clip-webgpu: adapter .+\nclip-webgpu: loaded tiny-clip \(78 tensors\)/);
    const only = await run(['embed', '--model', TINY, '--image', TINY_IMAGES[3], '--json']);
    const doc = parseJson(only);
    expect(doc.text_embeds).toEqual([]);
    expect(doc.input_ids).toEqual([]);
    expect(doc.logits_per_image).toEqual([[]]);
    expectClose(doc.image_embeds[0], g.image_embeds[3], 1e-4, 'image_embeds');
  });

  it('classify --templates imagenet ensembles 80 templates', async () => {
    const r = await run([
      'classify',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[0],
      '--label',
      'dog',
      '--label',
      'cat',
      '--templates',
      'imagenet',
      '--json',
    ]);
    const doc = parseJson(r);
    expect(doc.templates).toHaveLength(80);
    expect(doc.results[0].probs.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
    const table = await run([
      'classify',
      '--model',
      TINY,
      '--image',
      TINY_IMAGES[0],
      '--label',
      'dog',
      '--label',
      'cat',
      '--template',
      'a {}',
      '--template',
      'the {}',
      '--top',
      '1',
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('2 templates ensembled');
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(4); // title, header, rule, 1 row
  });

  it('info prints the adapter and the config', async () => {
    const a = await run(['info', '--adapter-only']); // without --model, info shows the shipped model (default-model.test.ts)
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^adapter\s+\S/);
    expect(a.stdout).not.toMatch(/\nmodel\s/);
    const m = await run(['info', '--model', TINY, '--json']);
    const doc = parseJson(m);
    expect(doc.adapter.description).toBeTruthy();
    expect(doc.model.name).toBe('tiny-clip');
    expect(doc.model.config.vision).toMatchObject({ imageSize: 64, patchSize: 16, hiddenSize: 64, numLayers: 2 });
    expect(doc.model.config.projectionDim).toBe(32);
    expect(doc.model.tensors).toBe(78);
    const text = await run(['info', '--model', TINY]);
    expect(text.stdout).toMatch(/vision\s+64 px, patch 16 \(16 patches\)/);
  });
});
