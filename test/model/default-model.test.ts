/**
 * The shipped model is the default: ClipModel.load() with no source loads weights/shapes-clip, found
 * from the module wherever it runs (src/, dist/node/, dist/cli/, an installed package).
 * No accuracy here: the model's own tests judge what it learned.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClipError, ClipModel, requestNodeContext, shippedModelPath } from '../../src/node/index.ts';
import { parseClipConfig } from '../../src/model/config.ts';
import { packageRoot } from '../../src/node/shipped-model.ts';
import { createRng, generateScene } from '../../src/model/world/index.ts';

const ROOT = resolve(__dirname, '../..');
const SHIPPED = join(ROOT, 'weights/shapes-clip');

describe('the shipped model is the default', () => {
  it('ClipModel.load() and load(undefined, opts) read weights/shapes-clip: the same model as naming the folder', async () => {
    const gpu = await requestNodeContext({ announce: false });
    const byDefault = await ClipModel.load(undefined, { gpu });
    const named = await ClipModel.load(SHIPPED, { gpu });
    expect(byDefault.name).toBe('shapes-clip');
    const config = parseClipConfig(JSON.parse(readFileSync(join(SHIPPED, 'config.json'), 'utf8')));
    expect(byDefault.config).toEqual(config);
    const scene = generateScene(createRng(3), { size: config.vision.imageSize, objects: 1 });
    const image = { width: scene.size, height: scene.size, channels: 4 as const, data: scene.pixels };
    const [a] = await byDefault.encodeImage([image]);
    const [b] = await named.encodeImage([image]);
    expect([...a]).toEqual([...b]);
    const [ta] = await byDefault.encodeText(['a circle']);
    const [tb] = await named.encodeText(['a circle']);
    expect([...ta]).toEqual([...tb]);
    byDefault.dispose();
    named.dispose();
    const own = await ClipModel.load(); // its own context, released by dispose
    expect(own.name).toBe('shapes-clip');
    own.dispose();
    gpu.destroy();
  });

  it('is found from src/, from the bundles in dist/ and from an installed package', () => {
    expect(shippedModelPath()).toBe(SHIPPED);
    for (const file of ['dist/node/clip-webgpu.mjs', 'dist/cli/clip-webgpu.mjs', 'src/node/shipped-model.ts'])
      expect(packageRoot(pathToFileURL(join(ROOT, file)).href)).toBe(ROOT);
    const installed = mkdtempSync(join(tmpdir(), 'clip-shipped-'));
    try {
      const pkg = join(installed, 'node_modules/clip-webgpu');
      writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'someone-elses-app' }));
      mkdirSync(join(pkg, 'dist/node'), { recursive: true });
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'clip-webgpu' }));
      const from = pathToFileURL(join(pkg, 'dist/node/clip-webgpu.mjs')).href;
      expect(packageRoot(from)).toBe(pkg);
      // Without the folder: a ClipError that says what is missing and what to do.
      let error: unknown;
      try {
        shippedModelPath(from);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ClipError);
      expect((error as ClipError).code).toBe('not-found');
      expect((error as ClipError).message).toMatch(/shipped model is missing: .*shapes-clip has no model\.safetensors/);
    } finally {
      rmSync(installed, { recursive: true, force: true });
    }
  });
});
