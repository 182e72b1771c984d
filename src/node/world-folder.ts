/**
 * A world folder written by `clip-webgpu world` (or writeWorld) read back for evaluation: its
 * truth.json (the world's seed, size, shift and each scene's objects) and its single-object scenes
 * as ImageItems labelled by shape or colour, straight from images/ (no copying into class folders).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClipError } from '../errors.ts';
import { sceneClass, type LabelledScene, type WorldLabel } from '../model/bias/world.ts';
import type { ImageItem } from '../model/bias/images.ts';
import type { Shift } from '../model/world/index.ts';
import { fileImageItem } from './image-folder.ts';
import { WORLD_FORMAT, WORLD_TRUTH } from './world-writer.ts';

export interface WorldFolder {
  dir: string;
  seed: number;
  n: number;
  size: number;
  shift: Shift;
  objects: [number, number];
  scenes: (LabelledScene & { file: string })[];
}

/** Whether `dir` is a world folder (has truth.json) rather than a folder of class folders. */
export function isWorldFolder(dir: string): boolean {
  const truth = join(dir, WORLD_TRUTH);
  return existsSync(truth) && statSync(truth).isFile();
}

export async function readWorldFolder(dir: string): Promise<WorldFolder> {
  const path = join(dir, WORLD_TRUTH);
  let truth: Partial<WorldFolder> & { format?: unknown };
  try {
    truth = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ClipError('not-found', `${path} not found: is ${dir} a folder written by "clip-webgpu world"?`, {
        cause: e,
      });
    throw new ClipError('input', `${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (truth?.format !== WORLD_FORMAT || !Array.isArray(truth.scenes))
    throw new ClipError(
      'input',
      `${path} is not a ${WORLD_FORMAT} truth file (format ${JSON.stringify(truth?.format)}).`,
    );
  for (const [i, s] of truth.scenes.entries())
    if (typeof s?.file !== 'string' || !Array.isArray(s.objects))
      throw new ClipError('input', `${path}: scene ${i} has no file or objects.`);
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

/** The single-object scenes as items whose group is the object's `label` (id: the image's path). */
export function worldFolderItems(world: WorldFolder, label: WorldLabel): ImageItem[] {
  const items: ImageItem[] = [];
  for (const scene of world.scenes) {
    const group = sceneClass(scene, label);
    if (group !== undefined) items.push(fileImageItem(join(world.dir, scene.file), group));
  }
  if (items.length === 0)
    throw new ClipError(
      'input',
      `${world.dir} has no single-object scenes to evaluate by ${label} (write one with --objects 1).`,
    );
  return items;
}
