/**
 * World folders dropped on the page (written by `clip-webgpu world`, each with its truth.json): one
 * bar per folder in the accuracy-per-shift chart, the shift read from its truth.json. A folder may
 * be one world or hold several (e.g. clean/ and sketch/ of the same seed).
 */
import { ClipError } from '../../../errors.ts';
import { evaluateDataset, type EvaluateOptions } from '../../../model/bias/evaluate.ts';
import type { ClipModel } from '../../../model/clip.ts';
import {
  sceneClass,
  worldClasses,
  worldFill,
  worldTemplates,
  type LabelledScene,
  type ShiftResult,
  type WorldLabel,
} from '../../../model/bias/world.ts';
import { SHIFTS, type Shift } from '../../../model/world/index.ts';
import type { PickedFile } from '../shared/dropped-files.ts';
import { fileItem } from '../shared/image-folders.ts';

const TRUTH = 'truth.json';
const ORDER: readonly Shift[] = ['none', ...SHIFTS];

/** Whether the files hold at least one world folder. */
export function hasWorlds(files: readonly PickedFile[]): boolean {
  return files.some((f) => f.path === TRUTH || f.path.endsWith(`/${TRUTH}`));
}

/** Each world folder's zero-shot accuracy by `label`, clean first, then in the order of SHIFTS. */
export async function evaluateWorldFolders(
  model: ClipModel,
  files: readonly PickedFile[],
  label: WorldLabel,
  options: Omit<EvaluateOptions, 'classes' | 'templates' | 'fill'> = {},
): Promise<ShiftResult[]> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out: (ShiftResult & { folder: string })[] = [];
  for (const truthFile of files.filter((f) => f.path === TRUTH || f.path.endsWith(`/${TRUTH}`))) {
    const folder = truthFile.path.slice(0, -TRUTH.length);
    let truth: { format?: string; shift?: Shift; scenes?: (LabelledScene & { file: string })[] };
    try {
      truth = JSON.parse(await truthFile.file.text());
    } catch {
      throw new ClipError('input', `${truthFile.path} is not valid JSON.`);
    }
    if (
      typeof truth?.format !== 'string' ||
      !truth.format.startsWith('clip-webgpu-world/') ||
      !Array.isArray(truth.scenes)
    )
      throw new ClipError(
        'input',
        `${truthFile.path} is not the truth.json of a world written by "clip-webgpu world".`,
      );
    const shift = truth.shift ?? 'none';
    if (out.some((r) => r.shift === shift))
      throw new ClipError('input', `Two dropped worlds have the shift "${shift}": drop one world per shift.`);
    const items = truth.scenes.flatMap((scene) => {
      const group = sceneClass(scene, label);
      const image = byPath.get(folder + scene.file);
      return group !== undefined && image ? [fileItem(image, group)] : [];
    });
    if (items.length === 0)
      throw new ClipError('input', `${folder || 'The dropped folder'} has no single-object scenes with their images.`);
    const evaluation = await evaluateDataset(model, items, {
      ...options,
      classes: worldClasses(label),
      templates: worldTemplates(label),
      fill: worldFill,
    });
    out.push({ shift, evaluation, folder });
  }
  return out
    .sort((a, b) => ORDER.indexOf(a.shift) - ORDER.indexOf(b.shift))
    .map(({ shift, evaluation }) => ({ shift, evaluation }));
}
