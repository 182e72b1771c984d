/**
 * The package as its users install it: `npm pack` (prepack builds everything), the tarball installed
 * into an empty project, then `import { ClipModel } from 'clip-webgpu'` from Node (the `node` export),
 * from TypeScript (the declarations) and from a page (the `browser` export, through an import map),
 * each giving the golden embeddings of the tiny model; and the shipped model (weights/shapes-clip)
 * inside it, which `ClipModel.load()` and the CLI use when no model is named, offline.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golden, TINY } from '../helpers/fixtures.ts';
import { maxAbsDiff, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { launch, type Browser } from '../e2e/helpers/browser.ts';
import { startTestServer, TINY_ID, type TestServer } from '../e2e/helpers/server.ts';
import { installPacked, pack, ROOT } from './consumer.ts';

const run = promisify(execFile);

let work: string;
let project: string;
let files: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'clip-webgpu-pack-'));
  const packed = pack(work);
  files = packed.files;
  project = installPacked(work, packed.tarball);
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** The installed package's entry for an export condition, as Node and bundlers read `exports`. */
function exported(condition: 'browser' | 'node', kind: 'default' | 'types'): string {
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/clip-webgpu/package.json'), 'utf8'));
  return manifest.exports['.'][condition][kind];
}

describe('the packed package', () => {
  it('holds the builds, the declarations, the CLI and the shipped model; no sources, tests or benchmark peers', () => {
    for (const f of [
      'dist/clip-webgpu.js',
      'dist/node/clip-webgpu.mjs',
      'dist/cli/clip-webgpu.mjs',
      'bin/clip-webgpu.mjs',
      'package.json',
    ]) {
      expect(files).toContain(f);
    }
    for (const condition of ['browser', 'node'] as const) {
      expect(files).toContain(exported(condition, 'default').replace(/^\.\//, ''));
      expect(files).toContain(exported(condition, 'types').replace(/^\.\//, ''));
    }
    expect(
      files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f))),
    ).toEqual([]);
    // Of weights/, the shipped model's folder only (its model card too, when there is one).
    for (const f of ['config.json', 'model.safetensors', 'vocab.json', 'merges.txt'])
      expect(files).toContain(`weights/shapes-clip/${f}`);
    expect(files.filter((f) => f.startsWith('weights/') && !/^weights\/shapes-clip\/[^/]+$/.test(f))).toEqual([]);
  });

  it('ClipModel.load() with no source loads the shipped model from the installed package', async () => {
    const script = join(project, 'use-default.mjs');
    writeFileSync(
      script,
      [
        "import { ClipModel } from 'clip-webgpu';",
        'const shipped = await ClipModel.load(undefined, { precompile: false });',
        "const [text] = await shipped.encodeText(['a red circle']);",
        'console.log(JSON.stringify({ name: shipped.name, projection: shipped.config.projectionDim, text: [...text] }));',
        'shipped.dispose();',
      ].join('\n'),
    );
    const env = { ...process.env, CLIP_WEBGPU_ADAPTER: adapter };
    const { stdout } = await run(process.execPath, [script], { cwd: project, env });
    const r = JSON.parse(stdout);
    expect(r.name).toBe('shapes-clip');
    expect(r.text).toHaveLength(r.projection);
    const config = JSON.parse(readFileSync(join(ROOT, 'weights/shapes-clip/config.json'), 'utf8'));
    expect(r.projection).toBe(config.projection_dim);
    // Its CLI too, without --model: the tokenizer files of the installed folder.
    const cli = await run(
      join(project, 'node_modules/.bin/clip-webgpu'),
      ['tokenize', '--text', 'a red circle', '--json'],
      {
        cwd: project,
      },
    );
    expect(JSON.parse(cli.stdout).input_ids[0][0]).toBe(49406);
  });

  // Packaging, not numerics: one adapter is enough (the golden tests run every kernel on each).
  const adapter = TEST_ADAPTERS[0];

  it(`imports and runs in Node (${adapter} adapter): the golden embeddings`, async () => {
    const script = join(project, 'use.mjs');
    writeFileSync(
      script,
      [
        "import { ClipModel } from 'clip-webgpu';",
        'const [dir, prompt] = process.argv.slice(2);',
        'const model = await ClipModel.load(dir, { precompile: false });',
        "const [image] = await model.encodeImage([dir + '/images/img0.png']);",
        'const [text] = await model.encodeText([prompt]);',
        'console.log(JSON.stringify({ isCpu: model.adapter.isCpu, image: [...image], text: [...text] }));',
        'model.dispose();',
      ].join('\n'),
    );
    const g = golden('f32');
    const env = { ...process.env, CLIP_WEBGPU_ADAPTER: adapter };
    const { stdout } = await run(process.execPath, [script, TINY, g.prompts[0]], { cwd: project, env });
    const r = JSON.parse(stdout);
    expect(r.isCpu).toBe(true);
    expect(maxAbsDiff(r.image, g.image_embeds[0])).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(r.text, g.text_embeds[0])).toBeLessThanOrEqual(1e-4);
  });

  it('runs its CLI from node_modules/.bin', async () => {
    const { stdout } = await run(
      join(project, 'node_modules/.bin/clip-webgpu'),
      ['tokenize', '--model', TINY, '--text', 'a photo of a cat', '--json'],
      { cwd: project },
    );
    expect(JSON.parse(stdout).input_ids[0].slice(0, 2)).toEqual([49406, 320]);
  });

  it('typechecks a TypeScript user of the Node export against its declarations', async () => {
    writeFileSync(
      join(project, 'use.ts'),
      [
        "import { ClipModel, ClipError, IMAGENET_TEMPLATES, type Classification } from 'clip-webgpu';",
        'export async function best(dir: string): Promise<string> {',
        '  const model: ClipModel = await ClipModel.load(dir);',
        "  const result: Classification = await model.classify(dir + '/images/img0.png', ['cat', 'dog'], { templates: IMAGENET_TEMPLATES });",
        "  if (!result.ranked.length) throw new ClipError('input', 'no labels');",
        '  return result.ranked[0].label;',
        '}',
      ].join('\n'),
    );
    // Bundler resolution with the `node` condition: what a TypeScript app bundled for Node sees.
    // Our declarations are checked too (skipLibCheck off); @types/node comes from this repository.
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          customConditions: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [resolve(ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = resolve(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', project], { cwd: project }).catch((e) => e);
    expect(result.stdout ?? '').toBe('');
  });
});

describe('the packed package in a page', () => {
  let server: TestServer;
  let browser: Browser;
  let link: string;

  beforeAll(async () => {
    // The test server serves dist/ from the repository: reach the project through a link there.
    link = resolve(ROOT, 'dist', `.${basename(work)}`);
    symlinkSync(project, link);
    server = await startTestServer();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(link, { force: true });
  });

  it('imports the browser export by its bare name and gives the golden embeddings', async () => {
    const bundle = `./node_modules/clip-webgpu/${exported('browser', 'default').replace(/^\.\//, '')}`;
    writeFileSync(
      join(project, 'index.html'),
      `<!doctype html>
<meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify({ imports: { 'clip-webgpu': bundle } })}</script>
<script type="module">
  import { ClipModel } from 'clip-webgpu';
  const folder = new URL(new URLSearchParams(location.search).get('model'), location.href).href;
  try {
    const { prompts } = await (await fetch(folder + 'golden_f32.json')).json();
    const model = await ClipModel.load(folder, { precompile: false }); // compiles on first use: quicker for two encodes
    const [image] = await model.encodeImage([folder + 'images/img0.png']);
    const [text] = await model.encodeText([prompts[0]]);
    // No source: the shipped model, from weights/shapes-clip/ beside the bundle in the installed package
    // (loaded, not run: compiling its kernels in a CPU Chromium costs most of a minute).
    const shipped = await ClipModel.load(undefined, { precompile: false });
    window.clipResults = { ok: true, isCpu: model.adapter.isCpu, image: [...image], text: [...text], element: !!customElements.get('clip-classifier'),
      shipped: { folder: shipped.name, tensors: shipped.weightNames().length } };
  } catch (e) {
    window.clipResults = { ok: false, message: String(e?.message ?? e) };
  }
</script>`,
    );
    const { page } = browser;
    await page.goto(`${server.url}/dist/${basename(link)}/index.html?model=/${TINY_ID}/resolve/main/`);
    await page.waitForFunction(() => (window as any).clipResults, null, { timeout: 120_000 });
    const r = await page.evaluate(() => (window as any).clipResults);
    expect(r.message).toBeUndefined();
    expect(r.isCpu).toBe(true);
    expect(r.element).toBe(true);
    const g = golden('f32');
    expect(maxAbsDiff(r.image, g.image_embeds[0])).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(r.text, g.text_embeds[0])).toBeLessThanOrEqual(1e-4);
    expect(r.shipped.folder).toMatch(/\/node_modules\/clip-webgpu\/weights\/shapes-clip\/$/);
    expect(r.shipped.tensors).toBeGreaterThan(0);
    expect(browser.errors).toEqual([]);
  });
});
