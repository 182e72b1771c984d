/**
 * `clip-webgpu eval --task explain` on a small world with the tiny model: the document's structure,
 * the text table, and clear errors. (The shipped model's scores:
 * test/meaning/explanations.test.ts and the README's table.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, parseJson, run } from '../helpers/cli.ts';
import { TINY } from '../helpers/fixtures.ts';

describe('clip-webgpu eval --task explain', () => {
  let tmp: string;
  let world: string;
  let singles: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-eval-explain-'));
    world = join(tmp, 'world');
    singles = join(tmp, 'singles');
    for (const [out, objects] of [
      [world, '2'],
      [singles, '1'],
    ]) {
      const w = await run(['world', '--out', out, '--n', '6', '--seed', '3', '--objects', objects]);
      expect(w.code, w.stderr).toBe(0);
    }
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const base = () => ['eval', '--task', 'explain', '--model', TINY, '--data', world, '--adapter', 'gles'];

  it('--json: pointing game, deletion and insertion per method, on every named object of the pairs', async () => {
    const doc = parseJson(await run([...base(), '--methods', 'relevance,random', '--steps', '2', '--json']));
    expect(doc.task).toBe('explain');
    expect(doc.labels).toBe(40);
    expect(doc.steps).toBe(2);
    expect(doc.images).toBeGreaterThan(0);
    expect(doc.methods.map((m: { method: string }) => m.method)).toEqual(['relevance', 'random']);
    for (const m of doc.methods) {
      expect(m.trials).toBe(2 * doc.images);
      for (const k of ['pointing', 'deletion', 'insertion']) expect(m[k]).toBeGreaterThanOrEqual(0);
      for (const k of ['pointing', 'deletion', 'insertion']) expect(m[k]).toBeLessThanOrEqual(1);
      expect(m.ms_per_object).toBeGreaterThan(0);
    }
    const table = await run([...base(), '--methods', 'gradcam', '--steps', '2', '--limit', '3']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^gradcam\s+\S+%\s+0\.\d{3}\s+0\.\d{3}/m);
    // --refine-steps: each method also ordered by its map refined by PAMR; the random baseline once.
    const refined = parseJson(
      await run([
        ...base(),
        '--methods',
        'relevance,random',
        '--steps',
        '2',
        '--limit',
        '3',
        '--refine-steps',
        '3',
        '--json',
      ]),
    );
    expect(refined.methods.map((m: { method: string; refine: boolean }) => [m.method, m.refine])).toEqual([
      ['relevance', false],
      ['relevance', true],
      ['random', false],
    ]);
  });

  it('bad input: one line naming the problem', async () => {
    expectOneLineError(await run([...base(), '--methods', 'relevance,lime']), ['lime']);
    expectOneLineError(await run([...base(), '--steps', '0']), ['--steps']);
    expectOneLineError(await run([...base(), '--refine-steps', '0']), ['--refine-steps', '1..1000']);
    expectOneLineError(await run([...base(), '--classes', 'shape']), ['--task segment']);
    expectOneLineError(await run(['eval', '--task', 'segment', '--model', TINY, '--data', world, '--steps', '4']), [
      '--task explain',
    ]);
    expectOneLineError(
      await run(['eval', '--task', 'explain', '--model', TINY, '--data', singles, '--adapter', 'gles']),
      ['no two-object scenes'],
    );
  });
});
