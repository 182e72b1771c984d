/**
 * The one reader of a world folder's truth.json (eval's zero-shot, segment, explain and detect tasks,
 * train --val-data): what it gives back from a written world, and one specific error for each way a
 * truth file can be wrong. No GPU.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipError } from '../../src/errors.ts';
import { generateWorld, namedPairs } from '../../src/model/world/index.ts';
import { readWorldFolder, singleObjectItems, worldPairImages } from '../../src/node/world-folder.ts';
import { writeWorld } from '../../src/node/world-writer.ts';

let tmp: string;
let world: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'clip-webgpu-world-folder-'));
  world = join(tmp, 'world');
  await writeWorld(world, { n: 24, seed: 5 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the written truth.json with `edit` applied, in its own folder. */
function brokenWorld(name: string, edit: (truth: Record<string, unknown>) => unknown, replace = false): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const truth = JSON.parse(readFileSync(join(world, 'truth.json'), 'utf8'));
  const edited = edit(truth);
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(replace ? edited : truth));
  return dir;
}

async function errorOf(dir: string, use?: string): Promise<ClipError> {
  const e = await readWorldFolder(dir, use).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(ClipError);
  return e as ClipError;
}

describe('readWorldFolder', () => {
  it('reads back what writeWorld wrote: scenes, single-object items by label, the named pairs decoded', async () => {
    const scenes = generateWorld({ n: 24, seed: 5 });
    const w = await readWorldFolder(world);
    expect(w.seed).toBe(5);
    expect(w.scenes.map((s) => s.objects.map((o) => `${o.colour} ${o.shape}`))).toEqual(
      scenes.map((s) => s.objects.map((o) => `${o.colour} ${o.shape}`)),
    );
    const singles = scenes.filter((s) => s.objects.length === 1);
    expect(singleObjectItems(w, 'shape').map((i) => i.group)).toEqual(singles.map((s) => s.objects[0].shape));
    expect(singleObjectItems(w, 'colour').map((i) => i.group)).toEqual(singles.map((s) => s.objects[0].colour));
    const pairs = await worldPairImages(w);
    expect(pairs.length).toBe(namedPairs(scenes).length);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs[0].image.width).toBe(64);
    expect(pairs[0].objects.map((o) => o.box)).toEqual(namedPairs(scenes)[0].objects.map((o) => o.box));
    expect((await worldPairImages(w, 1)).length).toBeLessThanOrEqual(1);
  });

  it('one specific error for each broken truth file, naming the file, the scene and who needs it', async () => {
    const missing = await errorOf(join(tmp, 'nowhere'), '--val-data');
    expect(missing.message).toMatch(/truth\.json not found: --val-data needs a world folder/);

    const notJson = join(tmp, 'not-json');
    mkdirSync(notJson);
    writeFileSync(join(notJson, 'truth.json'), '{"format": ');
    expect((await errorOf(notJson)).message).toMatch(/truth\.json is not valid JSON/);

    const other = brokenWorld('other-format', () => ({ format: 'something else', scenes: [] }), true);
    expect((await errorOf(other)).message).toMatch(
      /not a world's truth file \(format "something else", expected clip-webgpu-world\/1/,
    );

    const cases: [string, (t: { scenes: { objects: Record<string, unknown>[] }[] }) => void, RegExp][] = [
      ['no-file', (t) => delete (t.scenes[3] as Record<string, unknown>).file, /scene 3 has no "file"/],
      ['no-objects', (t) => delete (t.scenes[2] as Record<string, unknown>).objects, /scene 2 has no "objects"/],
      [
        'bad-shape',
        (t) => (t.scenes[1].objects[0].shape = 'hexagon'),
        /scene 1 object 0: shape "hexagon" is not one of the world's/,
      ],
      [
        'bad-colour',
        (t) => (t.scenes[0].objects[0].colour = 7),
        /scene 0 object 0: colour 7 is not one of the world's/,
      ],
      ['bad-box', (t) => (t.scenes[4].objects[0].box = [1, 2, 3]), /scene 4 object 0: "box" is not \[x0, y0, x1, y1\]/],
      ['no-mask', (t) => delete t.scenes[5].objects[0].mask, /scene 5 object 0 has no "mask"/],
      ['no-scenes', (t) => void (t.scenes.length = 0), /has no scenes/],
    ];
    for (const [name, edit, message] of cases) {
      const e = await errorOf(brokenWorld(name, edit as (t: Record<string, unknown>) => void));
      expect(e.message, name).toMatch(message);
      expect(e.message, name).toContain(join(tmp, name, 'truth.json'));
    }
  });
});
