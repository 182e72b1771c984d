/**
 * Dataset evaluation on the procedural world, with no copying into class folders: its single-object
 * scenes labelled by shape or by colour, prompted with the world's zero-shot templates (`a {shape}`,
 * `a {colour} shape`, articles fixed as in the captions), and the accuracy on the clean world and on
 * each shift of it (the CLIP paper's robustness figure): the same seed gives the same objects and
 * places under every shift, so the bars compare like with like.
 */
import type { ClipModel } from '../clip.ts';
import { ClipError, throwIfAborted } from '../../errors.ts';
import {
  COLOUR_NAMES,
  ENSEMBLE_TEMPLATES,
  SHAPES,
  SHIFTS,
  ZERO_SHOT_TEMPLATES,
  fixArticles,
  worldScenes,
  type Scene,
  type Shift,
  type WorldOptions,
} from '../world/index.ts';
import { evaluateDataset, type Evaluation, type EvaluateOptions } from './evaluate.ts';
import type { ImageItem } from './images.ts';

export type WorldLabel = 'shape' | 'colour';
export const WORLD_LABELS: readonly WorldLabel[] = ['shape', 'colour'];

/** Every class of the label, in the vocabulary's order (a class without scenes stays: accuracy null). */
export function worldClasses(label: WorldLabel): string[] {
  return label === 'shape' ? [...SHAPES] : [...COLOUR_NAMES];
}

/** The world's zero-shot template for the label with "{}" for the class (`ensemble`: its phrasings). */
export function worldTemplates(label: WorldLabel, ensemble = false): string[] {
  const list: readonly string[] = ensemble ? ENSEMBLE_TEMPLATES[label] : [ZERO_SHOT_TEMPLATES[label]];
  return list.map((t) => t.replace(`{${label}}`, '{}'));
}

/** Fills a template as the world's captions do: "a {} shape" + orange = "an orange shape". */
export function worldFill(template: string, label: string): string {
  return fixArticles(template.replaceAll('{}', label));
}

/** What evaluation needs of a scene: its objects' shape and colour. */
export interface LabelledScene {
  objects: readonly { shape: string; colour: string }[];
}

/** The class of a single-object scene, undefined for scenes with several objects. */
export function sceneClass(scene: LabelledScene, label: WorldLabel): string | undefined {
  return scene.objects.length === 1 ? scene.objects[0][label] : undefined;
}

/** Items for the single-object scenes of generated pixels (id: `name`/index). */
export function sceneItems(scenes: Iterable<Scene>, label: WorldLabel, name: string): ImageItem[] {
  const out: ImageItem[] = [];
  let i = 0;
  for (const scene of scenes) {
    const group = sceneClass(scene, label);
    const id = `${name}/${String(i++).padStart(5, '0')}`;
    if (group === undefined) continue;
    const data = new Uint8Array(scene.pixels.buffer, scene.pixels.byteOffset, scene.pixels.byteLength);
    out.push({
      id,
      group,
      bytes: async () => data,
      load: async () => ({ width: scene.size, height: scene.size, data, channels: 4 }),
    });
  }
  return out;
}

export interface ShiftResult {
  shift: Shift;
  evaluation: Evaluation;
}

export interface ShiftsOptions extends Omit<EvaluateOptions, 'classes' | 'fill'> {
  label: WorldLabel;
  /** The shifts besides the clean world (default: every shift). */
  shifts?: readonly Shift[];
  /**
   * Evaluations already made (e.g. of the world folder on disk) by shift: not generated again.
   */
  known?: ReadonlyMap<Shift, Evaluation>;
  onShift?: (shift: Shift, index: number, total: number) => void;
}

export function checkShifts(names: readonly string[]): Shift[] {
  for (const s of names)
    if (s !== 'none' && !(SHIFTS as readonly string[]).includes(s))
      throw new ClipError('input', `Unknown shift "${s}" (have none, ${SHIFTS.join(', ')}).`);
  return [...new Set(names as Shift[])];
}

/**
 * Zero-shot accuracy on the world `world` (n, seed, size, objects) clean and under each shift,
 * generated in memory scene by scene: one evaluation per shift, clean first.
 */
export async function evaluateShifts(
  model: ClipModel,
  world: Omit<WorldOptions, 'shift'>,
  o: ShiftsOptions,
): Promise<ShiftResult[]> {
  const shifts = checkShifts(['none', ...(o.shifts ?? SHIFTS)]);
  const classes = worldClasses(o.label);
  const templates = o.templates ?? worldTemplates(o.label);
  const out: ShiftResult[] = [];
  for (const [i, shift] of shifts.entries()) {
    throwIfAborted(o.signal, 'shift evaluation');
    o.onShift?.(shift, i, shifts.length);
    const known = o.known?.get(shift);
    if (known) {
      out.push({ shift, evaluation: known });
      continue;
    }
    const items = sceneItems(worldScenes({ ...world, shift }), o.label, shift);
    if (items.length === 0)
      throw new ClipError(
        'input',
        `The world (seed ${world.seed}, n ${world.n}) has no single-object scenes to evaluate.`,
      );
    const evaluation = await evaluateDataset(model, items, { ...o, classes, templates, fill: worldFill });
    out.push({ shift, evaluation });
  }
  return out;
}
