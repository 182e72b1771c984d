/**
 * Writes a procedural world to a folder: images/ (RGB PNG), masks/ (one grayscale PNG per object,
 * 255 inside), captions.csv (open_clip's defaults: tab-separated, columns filepath and title, paths
 * relative to the CSV) and truth.json (per image: caption, background, shift, and per object its
 * shape, colour, size class, box and mask path).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ClipError } from '../errors.ts';
import {
  DEFAULT_SIZE,
  MAX_OBJECTS,
  sceneTruth,
  spuriousText,
  worldScenes,
  type SceneTruth,
  type WorldOptions,
} from '../model/world/index.ts';

export const WORLD_FORMAT = 'clip-webgpu-world/1';
export const WORLD_CSV = 'captions.csv';
export const WORLD_TRUTH = 'truth.json';

export interface WorldSummary {
  out: string;
  n: number;
  seed: number;
  size: number;
  shift: string;
  objects: [number, number];
  csv: string;
  truth: string;
  masks: number;
  /** SHA-256 of every scene's RGBA pixels and masks, then truth.json: the same on every machine (PNG bytes may not be). */
  sha256: string;
  /** How often each class occurs, over objects (shapes, colours, sizes) or scenes (the rest). */
  counts: Record<
    'shapes' | 'colours' | 'sizes' | 'objectsPerScene' | 'backgrounds' | 'templates',
    Record<string, number>
  >;
  /**
   * With a spurious correlation: its spec and how many scenes got each tone, with and without the
   * shape, e.g. {"spec": "triangle:dark=0.9", "tones": {"with triangle": {"dark": 90, "light": 10}, "without triangle": {...}}}.
   */
  spurious?: { spec: string; tones: Record<string, Record<string, number>> };
}

function encodePng(width: number, data: Uint8Array, colorType: 0 | 2, inputColorType: 0 | 6): Buffer {
  const png = new PNG({ width, height: width, colorType, inputColorType, inputHasAlpha: inputColorType === 6 });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, { colorType, inputColorType, inputHasAlpha: inputColorType === 6 });
}

const bump = (m: Record<string, number>, k: string | number) => (m[k] = (m[k] ?? 0) + 1);

/** Generates and writes the world; `out` must not exist or be empty. */
export async function writeWorld(
  out: string,
  options: WorldOptions,
  onScene?: (done: number, n: number) => void,
): Promise<WorldSummary> {
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new ClipError('input', `${out} is not empty: give world a new or empty --out folder`);
  }
  const scenes = worldScenes(options);
  const first = scenes.next(); // a generator checks its options on the first scene: before anything is written
  await mkdir(join(out, 'images'), { recursive: true });
  await mkdir(join(out, 'masks'), { recursive: true });
  const digits = Math.max(5, String(options.n - 1).length);
  const hash = createHash('sha256');
  const truths: SceneTruth[] = [];
  const csv = ['filepath\ttitle'];
  const counts: WorldSummary['counts'] = {
    shapes: {},
    colours: {},
    sizes: {},
    objectsPerScene: {},
    backgrounds: {},
    templates: {},
  };
  const spurious = options.spurious;
  const tones: Record<string, Record<string, number>> = {};
  let masks = 0;
  for (let i = 0, it = first; !it.done; i++, it = scenes.next()) {
    const scene = it.value;
    const name = String(i).padStart(digits, '0');
    const file = `images/${name}.png`;
    await writeFile(join(out, file), encodePng(scene.size, new Uint8Array(scene.pixels.buffer), 2, 6));
    hash.update(new Uint8Array(scene.pixels.buffer));
    const maskFiles = scene.objects.map((o, k) => {
      hash.update(o.mask);
      return `masks/${name}-${k}.png`;
    });
    for (const [k, o] of scene.objects.entries()) {
      await writeFile(
        join(out, maskFiles[k]),
        encodePng(
          scene.size,
          o.mask.map((v) => v * 255),
          0,
          0,
        ),
      );
      bump(counts.shapes, o.shape);
      bump(counts.colours, o.colour);
      bump(counts.sizes, o.size);
    }
    masks += scene.objects.length;
    bump(counts.objectsPerScene, scene.objects.length);
    bump(counts.backgrounds, scene.background.kind);
    bump(counts.templates, scene.template);
    if (spurious && scene.background.tone) {
      const has = scene.objects.some((o) => o.shape === spurious.shape);
      bump((tones[`${has ? 'with' : 'without'} ${spurious.shape}`] ??= {}), scene.background.tone);
    }
    truths.push(sceneTruth(scene, file, maskFiles));
    csv.push(`${file}\t${scene.caption}`);
    onScene?.(i + 1, options.n);
  }
  const o = options.objects ?? [1, MAX_OBJECTS];
  const objects: [number, number] = typeof o === 'number' ? [o, o] : [o[0], o[1]];
  const size = options.size ?? DEFAULT_SIZE;
  const shift = options.shift ?? 'none';
  // One scene per line: readable, diffable, and streamable by line-oriented tools.
  const truthText =
    `{"format": ${JSON.stringify(WORLD_FORMAT)}, "seed": ${options.seed}, "n": ${options.n}, "size": ${size}, ` +
    `"shift": ${JSON.stringify(shift)}, "objects": ${JSON.stringify(objects)}, "csv": ${JSON.stringify(WORLD_CSV)}, ` +
    (options.captions && options.captions !== 'world' ? `"captions": ${JSON.stringify(options.captions)}, ` : '') +
    (spurious ? `"spurious": ${JSON.stringify({ ...spurious, spec: spuriousText(spurious) })}, ` : '') +
    `"box": "[x0, y0, x1, y1] in pixels, x1 and y1 exclusive", "scenes": [\n` +
    truths.map((t) => JSON.stringify(t)).join(',\n') +
    '\n]}\n';
  hash.update(truthText);
  await writeFile(join(out, WORLD_CSV), csv.join('\n') + '\n');
  await writeFile(join(out, WORLD_TRUTH), truthText);
  return {
    out,
    n: options.n,
    seed: options.seed,
    size,
    shift,
    objects,
    csv: WORLD_CSV,
    truth: WORLD_TRUTH,
    masks,
    sha256: hash.digest('hex'),
    counts,
    ...(spurious ? { spurious: { spec: spuriousText(spurious), tones } } : {}),
  };
}
