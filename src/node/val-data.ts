/**
 * Validation data for `clip-webgpu train --val-data DIR`: zero-shot tasks to score every N steps.
 * A world folder (written by `clip-webgpu world`, with truth.json) gives two tasks on its
 * single-object scenes, shape and colour, prompted with ZERO_SHOT_TEMPLATES (no ensembling, as the
 * acceptance tests); any other folder is read like `eval --data`: one sub-folder per class.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClipError } from '../errors.ts';
import type { ImageItem } from '../model/bias/images.ts';
import { DEFAULT_TEMPLATE } from '../model/templates.ts';
import { COLOUR_NAMES, SHAPES, ZERO_SHOT_TEMPLATES } from '../model/world/index.ts';
import { classFolders, fileImageItem } from './image-folder.ts';
import { WORLD_FORMAT, WORLD_TRUTH } from './world-writer.ts';

export interface ValidationTask {
  /** `shape`, `colour` (a world folder) or `accuracy` (class folders). */
  name: string;
  classes: string[];
  /** One template with {} for the class name. */
  templates: string[];
  items: ImageItem[];
}

interface TruthFile {
  format?: unknown;
  scenes?: { file?: unknown; objects?: { shape?: unknown; colour?: unknown }[] }[];
}

/** The `{shape}` / `{colour}` template written with eval's `{}` placeholder. */
const braces = (template: string, key: string) => template.replace(`{${key}}`, '{}');

async function worldTasks(dir: string): Promise<ValidationTask[]> {
  const path = join(dir, WORLD_TRUTH);
  let truth: TruthFile;
  try {
    truth = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new ClipError('input', `--val-data ${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (truth.format !== WORLD_FORMAT || !Array.isArray(truth.scenes)) {
    throw new ClipError('input', `--val-data ${path} is not a world's truth.json (format ${WORLD_FORMAT})`);
  }
  const shapes: ImageItem[] = [],
    colours: ImageItem[] = [];
  for (const s of truth.scenes) {
    if (typeof s.file !== 'string' || !Array.isArray(s.objects) || s.objects.length !== 1) continue;
    const { shape, colour } = s.objects[0];
    if (typeof shape === 'string' && (SHAPES as readonly string[]).includes(shape))
      shapes.push(fileImageItem(join(dir, s.file), shape));
    if (typeof colour === 'string' && (COLOUR_NAMES as readonly string[]).includes(colour))
      colours.push(fileImageItem(join(dir, s.file), colour));
  }
  if (shapes.length === 0) {
    throw new ClipError(
      'input',
      `--val-data ${dir} has no single-object scenes to score (write it with: clip-webgpu world --objects 1)`,
    );
  }
  return [
    { name: 'shape', classes: [...SHAPES], templates: [braces(ZERO_SHOT_TEMPLATES.shape, 'shape')], items: shapes },
    {
      name: 'colour',
      classes: [...COLOUR_NAMES],
      templates: [braces(ZERO_SHOT_TEMPLATES.colour, 'colour')],
      items: colours,
    },
  ];
}

/** The zero-shot tasks of a validation folder (a world, or class sub-folders). */
export async function readValidationData(dir: string): Promise<ValidationTask[]> {
  if (existsSync(join(dir, WORLD_TRUTH))) return worldTasks(dir);
  const data = await classFolders(dir);
  if (data.items.length === 0) {
    throw new ClipError(
      'input',
      `--val-data ${dir} is neither a world folder (truth.json) nor a folder of class sub-folders with images`,
    );
  }
  return [{ name: 'accuracy', classes: data.classes, templates: [DEFAULT_TEMPLATE], items: data.items }];
}
