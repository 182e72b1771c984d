/**
 * Validation data for `clip-webgpu train --val-data DIR`: tasks to score every N steps.
 * A world folder (written by `clip-webgpu world`, with truth.json) gives two zero-shot tasks on its
 * single-object scenes, shape and colour, prompted with ZERO_SHOT_TEMPLATES (no ensembling, as the
 * acceptance tests), and two localisation tasks on its two-object scenes whose objects differ in shape
 * and colour, each object named ("a red circle"): relevance's pointing game, and detection (IoU >= 0.5)
 * by relevance's map refined by PAMR, as the meaning tests score them. Any other folder is read like
 * `eval --data`: one sub-folder per class.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClipError } from '../errors.ts';
import type { ImageItem } from '../model/bias/images.ts';
import { DEFAULT_TEMPLATE } from '../model/templates.ts';
import { COLOUR_NAMES, SHAPES, ZERO_SHOT_TEMPLATES, type NamedImage } from '../model/world/index.ts';
import { classFolders } from './image-folder.ts';
import { readWorldFolder, singleObjectItems, worldPairImages } from './world-folder.ts';
import { WORLD_TRUTH } from './world-writer.ts';

export type ValidationTask = ZeroShotTask | LocalisationTask;

export interface ZeroShotTask {
  kind: 'zero-shot';
  /** `shape`, `colour` (a world folder) or `accuracy` (class folders). */
  name: string;
  classes: string[];
  /** One template with {} for the class name. */
  templates: string[];
  items: ImageItem[];
}

/** A world's two-object scenes, decoded, each object with its name and box. */
export interface LocalisationTask {
  kind: 'localisation';
  /** `pointing` (relevance's peak on the object) or `detection` (relevance's map refined by PAMR: top box IoU >= 0.5). */
  name: 'pointing' | 'detection';
  images: NamedImage[];
}

/** The `{shape}` / `{colour}` template written with eval's `{}` placeholder. */
const braces = (template: string, key: string) => template.replace(`{${key}}`, '{}');

async function worldTasks(dir: string): Promise<ValidationTask[]> {
  const world = await readWorldFolder(dir, '--val-data');
  const shapes = singleObjectItems(world, 'shape');
  const colours = singleObjectItems(world, 'colour');
  // The meaning tests' scenes: two objects that differ in shape and colour, each named "a red circle".
  const pairs = await worldPairImages(world);
  if (shapes.length === 0 && pairs.length === 0) {
    throw new ClipError(
      'input',
      `--val-data ${dir} has no single-object scenes and no two-object scenes to score (write it with: clip-webgpu world)`,
    );
  }
  const tasks: ValidationTask[] = [];
  if (shapes.length) {
    tasks.push(
      {
        kind: 'zero-shot',
        name: 'shape',
        classes: [...SHAPES],
        templates: [braces(ZERO_SHOT_TEMPLATES.shape, 'shape')],
        items: shapes,
      },
      {
        kind: 'zero-shot',
        name: 'colour',
        classes: [...COLOUR_NAMES],
        templates: [braces(ZERO_SHOT_TEMPLATES.colour, 'colour')],
        items: colours,
      },
    );
  }
  if (pairs.length) {
    tasks.push({ kind: 'localisation', name: 'pointing', images: pairs });
    tasks.push({ kind: 'localisation', name: 'detection', images: pairs });
  }
  return tasks;
}

/** The tasks of a validation folder (a world, or class sub-folders). */
export async function readValidationData(dir: string): Promise<ValidationTask[]> {
  if (existsSync(join(dir, WORLD_TRUTH))) return worldTasks(dir);
  const data = await classFolders(dir);
  if (data.items.length === 0) {
    throw new ClipError(
      'input',
      `--val-data ${dir} is neither a world folder (truth.json) nor a folder of class sub-folders with images`,
    );
  }
  return [
    { kind: 'zero-shot', name: 'accuracy', classes: data.classes, templates: [DEFAULT_TEMPLATE], items: data.items },
  ];
}
