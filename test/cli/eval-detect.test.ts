/**
 * `clip-webgpu eval --task detect` on a small world with the shipped model: the document equals the
 * library's detectionScore on the same scenes generated in memory, the text table, and clear errors.
 * (The shipped model's held-out score: test/meaning/shipped-model.test.ts.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import { detectionScore, generateWorld } from '../../src/model/world/index.ts';
import { expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { gpu } from '../helpers/gpu.ts';

const SHIPPED = resolve(__dirname, '../../weights/shapes-clip');

describe('clip-webgpu eval --task detect', () => {
  let tmp: string;
  let world: string;
  let singles: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-eval-detect-'));
    world = join(tmp, 'world');
    singles = join(tmp, 'singles');
    for (const [out, objects] of [
      [world, '2'],
      [singles, '1'],
    ]) {
      const w = await run(['world', '--out', out, '--n', '8', '--seed', '4', '--objects', objects]);
      expect(w.code, w.stderr).toBe(0);
    }
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const base = () => ['eval', '--task', 'detect', '--data', world, '--adapter', 'gles'];

  it('--json: per mode the share of top boxes with IoU >= 0.5 and the mean IoU, as the library scores them', async () => {
    const doc = parseJson(await run([...base(), '--methods', 'values,legrad', '--refine', '--json']));
    expect(doc).toMatchObject({ task: 'detect', model: 'shapes-clip' });
    expect(doc.methods.map((m: { mode: string; refine: boolean }) => `${m.mode}${m.refine ? '+pamr' : ''}`)).toEqual([
      'values',
      'values+pamr',
      'legrad',
      'legrad+pamr',
    ]);
    const model = await ClipModel.load(SHIPPED, { gpu: await gpu('gles') });
    try {
      const scenes = generateWorld({ n: 8, seed: 4, objects: 2 });
      for (const m of doc.methods) {
        const want = await detectionScore(model, scenes, m.mode, { refine: m.refine });
        expect(m.trials).toBe(2 * doc.images);
        expect({ ...m, ms_per_object: 0 }).toEqual({ ...want, ms_per_object: 0 });
        expect(m.ms_per_object).toBeGreaterThan(0);
      }
    } finally {
      model.dispose();
    }
    const table = await run([...base(), '--methods', 'patches', '--limit', '3']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^patches\s+\S+%\s+0\.\d{3}\s+\d+/m);
    const refined = await run([...base(), '--methods', 'relevance,crops', '--limit', '3', '--refine']);
    expect(refined.code, refined.stderr).toBe(0);
    expect(refined.stdout).toMatch(/^relevance \+ PAMR\s+\S+%\s+0\.\d{3}\s+\d+/m);
    expect(refined.stdout).not.toMatch(/crops \+ PAMR/);
  });

  it('bad input: one line naming the problem', async () => {
    expectOneLineError(await run([...base(), '--methods', 'legrad,boxes']), ['boxes', 'unknown detection mode']);
    expectOneLineError(await run([...base(), '--steps', '4']), ['--task explain']);
    expectOneLineError(await run([...base(), '--classes', 'shape']), ['--task segment']);
    expectOneLineError(await run([...base(), '--limit', '0']), ['--limit']);
    expectOneLineError(await run(['eval', '--data', singles, '--refine']), ['--refine', 'segment, explain or detect']);
    expectOneLineError(await run([...base(), '--refine-steps', '2000']), ['--refine-steps', '1..1000']);
    expectOneLineError(await run(['eval', '--task', 'detect', '--data', singles, '--adapter', 'gles']), [
      'no two-object scenes',
      'to detect',
    ]);
  });
});
