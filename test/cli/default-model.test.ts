/**
 * The CLI without --model uses the shipped model (weights/shapes-clip): classify through the real bin
 * (the CLI bundle finds the folder from dist/cli/), embed, info and tokenize in-process, and the help
 * texts say so. No accuracy here: the shipped model's own tests judge what it learned.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, generateScene, SHAPES } from '../../src/model/world/index.ts';
import { ROOT, cli, parseJson, run } from '../helpers/cli.ts';

const SHIPPED = join(ROOT, 'weights/shapes-clip');
const config = JSON.parse(readFileSync(join(SHIPPED, 'config.json'), 'utf8'));

describe('the CLI without --model', () => {
  let tmp: string;
  let scene: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'clip-cli-default-'));
    const s = generateScene(createRng(11), { size: 64, objects: 1 });
    const png = new PNG({ width: s.size, height: s.size });
    png.data.set(s.pixels);
    scene = join(tmp, 'scene.png');
    writeFileSync(scene, PNG.sync.write(png));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('classify (the real bin) scores a world scene with the shipped model', async () => {
    const r = await cli([
      'classify',
      '--image',
      scene,
      ...SHAPES.flatMap((s) => ['--label', s]),
      '--template',
      'a {}',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = parseJson(r);
    expect(doc.model).toBe('shapes-clip');
    expect(doc.labels).toEqual([...SHAPES]);
    expect(doc.templates).toEqual(['a {}']);
    const probs: number[] = doc.results[0].probs;
    expect(probs).toHaveLength(SHAPES.length);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('embed, info and tokenize read the same folder', async () => {
    const e = await run(['embed', '--text', 'a red circle', '--json']);
    expect(e.code, e.stderr).toBe(0);
    expect(parseJson(e).text_embeds[0]).toHaveLength(config.projection_dim);
    const i = await run(['info', '--json']);
    expect(i.code, i.stderr).toBe(0);
    const info = parseJson(i);
    expect(info.model.name).toBe('shapes-clip');
    expect(info.model.config.vision.imageSize).toBe(config.vision_config.image_size);
    const t = await run(['tokenize', '--text', 'a red circle', '--json']);
    expect(t.code, t.stderr).toBe(0);
    expect(parseJson(t).input_ids[0][0]).toBe(49406);
  });

  it('help says which commands default to the shipped model, and train does not', async () => {
    for (const command of ['classify', 'embed', 'detect', 'gradcam', 'bias', 'eval', 'info', 'tokenize']) {
      const h = await run([command, '--help']);
      expect(h.stdout, command).toContain('[--model PATH]');
      expect(h.stdout.replace(/\s+/g, ' '), command).toContain('Default: the shipped model');
    }
    const train = await run(['train', '--help']);
    expect(train.stdout).not.toContain('Default: the shipped model');
  });
});
