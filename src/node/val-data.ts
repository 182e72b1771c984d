/**
 * Validation data for `clip-webgpu train --val-data DIR`: tasks to score every N steps.
 * A world folder (written by `clip-webgpu world`, with truth.json) gives two zero-shot tasks on its
 * single-object scenes, shape and colour, prompted with ZERO_SHOT_TEMPLATES (no ensembling, as the
 * acceptance tests), and two localisation tasks on its two-object scenes whose objects differ in shape
 * and colour, each object named ("a red circle"): relevance's pointing game and LeGrad detection (IoU
 * >= 0.5), as the meaning tests score them. Any other folder is read like `eval --data`: one
 * sub-folder per class.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClipError } from '../errors.ts';
import type { ImageItem } from '../model/bias/images.ts';
import { DEFAULT_TEMPLATE } from '../model/templates.ts';
import {
  COLOUR_NAMES,
  namedPairs,
  namePrompt,
  SHAPES,
  ZERO_SHOT_TEMPLATES,
  type Colour,
  type NamedImage,
  type Shape,
} from '../model/world/index.ts';
import { nodePlatform } from './platform.ts';
import { classFolders, fileImageItem } from './image-folder.ts';
import { WORLD_FORMAT, WORLD_TRUTH } from './world-writer.ts';

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
  /** `pointing` (relevance's peak on the object) or `detection` (LeGrad's top box, IoU >= 0.5). */
  name: 'pointing' | 'detection';
  images: NamedImage[];
}

interface TruthFile {
  format?: unknown;
  scenes?: { file?: unknown; objects?: { shape?: unknown; colour?: unknown; box?: unknown }[] }[];
}

const isName = <T extends string>(v: unknown, names: readonly T[]): v is T =>
  typeof v === 'string' && (names as readonly string[]).includes(v);

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
    colours: ImageItem[] = [],
    named: { file: string; objects: { shape: Shape; colour: Colour; box: number[] }[] }[] = [];
  for (const s of truth.scenes) {
    if (typeof s.file !== 'string' || !Array.isArray(s.objects)) continue;
    if (s.objects.length === 1) {
      const { shape, colour } = s.objects[0];
      if (isName(shape, SHAPES)) shapes.push(fileImageItem(join(dir, s.file), shape));
      if (isName(colour, COLOUR_NAMES)) colours.push(fileImageItem(join(dir, s.file), colour));
    } else if (
      s.objects.every(
        (o) => isName(o.shape, SHAPES) && isName(o.colour, COLOUR_NAMES) && Array.isArray(o.box) && o.box.length === 4,
      )
    ) {
      named.push(s as (typeof named)[number]);
    }
  }
  // The meaning tests' scenes: two objects that differ in shape and colour, each named "a red circle".
  const pairs: NamedImage[] = [];
  for (const s of namedPairs(named)) {
    pairs.push({
      image: await nodePlatform.decodeImage(join(dir, s.file)),
      objects: s.objects.map((o) => ({ prompt: namePrompt(o), box: o.box })),
    });
  }
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
