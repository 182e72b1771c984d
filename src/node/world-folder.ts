/**
 * A world folder written by `clip-webgpu world` (or writeWorld) read back, the one reader of truth.json
 * for eval (zero-shot, segment, explain, detect) and train --val-data: the world's seed, size, shift and
 * each scene's objects, checked; its single-object scenes as ImageItems labelled by shape or colour,
 * straight from images/ (no copying into class folders); its named two-object scenes, decoded.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClipError } from '../errors.ts';
import { sceneClass, type WorldLabel } from '../model/bias/world.ts';
import type { ImageItem } from '../model/bias/images.ts';
import {
  COLOUR_NAMES,
  namedPairs,
  namePrompt,
  SHAPES,
  type NamedImage,
  type SceneTruth,
  type Shift,
} from '../model/world/index.ts';
import { fileImageItem } from './image-folder.ts';
import { nodePlatform } from './platform.ts';
import { WORLD_FORMAT, WORLD_TRUTH } from './world-writer.ts';

export interface WorldFolder {
  dir: string;
  seed: number;
  n: number;
  size: number;
  shift: Shift;
  objects: [number, number];
  scenes: SceneTruth[];
}

/** Whether `dir` is a world folder (has truth.json) rather than a folder of class folders. */
export function isWorldFolder(dir: string): boolean {
  const truth = join(dir, WORLD_TRUTH);
  return existsSync(truth) && statSync(truth).isFile();
}

const isOneOf = (v: unknown, names: readonly string[]) => typeof v === 'string' && names.includes(v);
const isBox = (v: unknown) => Array.isArray(v) && v.length === 4 && v.every((x) => Number.isFinite(x));

/** What is wrong with a scene of truth.json, or null: everything eval and validation read of it. */
function sceneProblem(s: unknown): string | null {
  const scene = s as Partial<SceneTruth> | null;
  if (typeof scene?.file !== 'string') return 'has no "file"';
  if (!Array.isArray(scene.objects)) return 'has no "objects"';
  for (const [k, o] of scene.objects.entries()) {
    if (!isOneOf(o?.shape, SHAPES)) return `object ${k}: shape ${JSON.stringify(o?.shape)} is not one of the world's`;
    if (!isOneOf(o?.colour, COLOUR_NAMES))
      return `object ${k}: colour ${JSON.stringify(o?.colour)} is not one of the world's`;
    if (!isBox(o.box)) return `object ${k}: "box" is not [x0, y0, x1, y1]`;
    if (typeof o.mask !== 'string') return `object ${k} has no "mask"`;
  }
  return null;
}

/**
 * Reads and checks `dir`/truth.json. `use` names what needs it in the errors ("--val-data",
 * "--task segment").
 */
export async function readWorldFolder(dir: string, use = 'this'): Promise<WorldFolder> {
  const path = join(dir, WORLD_TRUTH);
  let truth: Partial<WorldFolder> & { format?: unknown };
  try {
    truth = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ClipError(
        'not-found',
        `${path} not found: ${use} needs a world folder (written by clip-webgpu world --out DIR).`,
        { cause: e },
      );
    throw new ClipError('input', `${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (truth?.format !== WORLD_FORMAT || !Array.isArray(truth.scenes))
    throw new ClipError(
      'input',
      `${path} is not a world's truth file (format ${JSON.stringify(truth?.format)}, expected ${WORLD_FORMAT}; written by clip-webgpu world).`,
    );
  for (const [i, s] of truth.scenes.entries()) {
    const problem = sceneProblem(s);
    if (problem) throw new ClipError('input', `${path}: scene ${i} ${problem}.`);
  }
  if (truth.scenes.length === 0) throw new ClipError('input', `${path} has no scenes.`);
  return {
    dir,
    seed: Number(truth.seed),
    n: Number(truth.n),
    size: Number(truth.size),
    shift: (truth.shift ?? 'none') as Shift,
    objects: truth.objects ?? [1, 3],
    scenes: truth.scenes,
  };
}

/** The single-object scenes as items whose group is their object's shape or colour (may be none). */
export function singleObjectItems(world: WorldFolder, label: WorldLabel): ImageItem[] {
  const items: ImageItem[] = [];
  for (const scene of world.scenes) {
    const group = sceneClass(scene, label);
    if (group !== undefined) items.push(fileImageItem(join(world.dir, scene.file), group));
  }
  return items;
}

/**
 * The two-object scenes whose objects differ in shape and colour (either is named without ambiguity),
 * the first `limit` scenes searched, decoded, each object with its name ("a red circle") and box.
 */
export async function worldPairImages(world: WorldFolder, limit = Number.MAX_SAFE_INTEGER): Promise<NamedImage[]> {
  const items: NamedImage[] = [];
  for (const s of namedPairs(world.scenes.slice(0, limit)))
    items.push({
      image: await nodePlatform.decodeImage(join(world.dir, s.file)),
      objects: s.objects.map((o) => ({ prompt: namePrompt(o), box: o.box })),
    });
  return items;
}

/** The single-object scenes as items whose group is the object's `label` (id: the image's path). */
export function worldFolderItems(world: WorldFolder, label: WorldLabel): ImageItem[] {
  const items = singleObjectItems(world, label);
  if (items.length === 0)
    throw new ClipError(
      'input',
      `${world.dir} has no single-object scenes to evaluate by ${label} (write one with --objects 1).`,
    );
  return items;
}
