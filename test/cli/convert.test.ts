/**
 * `clip-webgpu convert` in-process: an int8 folder whose probe passes, `info --json` naming the weight
 * dtype of it and of the F32 fixture, and the command line's errors.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, run } from '../helpers/cli.ts';
import { TINY } from '../helpers/fixtures.ts';

describe('clip-webgpu convert', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clip-convert-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an int8 folder that loads, passes its probe, and info names its dtype', async () => {
    const out = join(dir, 'int8');
    const r = await run(['convert', '--model', TINY, '--dtype', 'int8', '--out', out, '--adapter', 'gles', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ out, dtype: 'int8' });
    expect(doc.probe_cosine.image).toBeGreaterThanOrEqual(0.999);
    expect(doc.probe_cosine.text).toBeGreaterThanOrEqual(0.999);
    for (const f of ['model.safetensors', 'config.json', 'vocab.json', 'merges.txt'])
      expect(existsSync(join(out, f))).toBe(true);
    const info = JSON.parse((await run(['info', '--model', out, '--adapter', 'gles', '--json'])).stdout);
    expect(info.model.weight_dtype).toBe('int8');
    expect(info.model.probe_cosine.image).toBeGreaterThanOrEqual(0.999);
    const plain = JSON.parse((await run(['info', '--model', TINY, '--adapter', 'gles', '--json'])).stdout);
    expect(plain.model).toMatchObject({ weight_dtype: 'f32', probe_cosine: null });
  });

  it('usage errors: a missing --dtype, an unknown one, the source folder as --out', async () => {
    expect((await run(['convert', '--model', TINY, '--out', join(dir, 'x')])).code).toBe(2);
    expect((await run(['convert', '--model', TINY, '--dtype', 'int4', '--out', join(dir, 'x')])).code).toBe(2);
    expectOneLineError(
      await run(['convert', '--model', TINY, '--dtype', 'f16', '--out', TINY, '--adapter', 'gles']),
      ['is the source folder'],
      1,
    );
  });
});
