/**
 * The Evaluate tab's world figures, computed in the page from the world generator (nothing to
 * download): zero-shot accuracy on the clean single-object world and on each shift of it, and zero-shot
 * vs the linear probe with its k-shot curve, on the same test embeddings (the clean world's), the
 * probe trained on a second world (seed + 1). The same functions as `clip-webgpu eval --shifts --probe`.
 */
import type { ClipModel } from '../../../model/clip.ts';
import {
  embedImages,
  evaluateShifts,
  sceneItems,
  worldClasses,
  worldFill,
  worldTemplates,
  type EmbeddingCache,
  type ShiftResult,
  type WorldLabel,
} from '../../../model/bias/index.ts';
import { evaluateWithProbe, type ProbeCurve } from '../../../model/probe/index.ts';
import { DEFAULT_SIZE, worldScenes } from '../../../model/world/index.ts';

export interface WorldFigureOptions {
  label: WorldLabel;
  /** Test scenes (each a single object) and the probe's training scenes. */
  testScenes: number;
  trainScenes: number;
  seed: number;
  shots?: readonly number[];
  seeds?: number;
  cache: EmbeddingCache;
  signal?: AbortSignal;
  /** What is being computed now, for the progress line. */
  onStep?: (text: string) => void;
}

export interface WorldFigures {
  label: WorldLabel;
  shifts: ShiftResult[];
  /** Null for world folders dropped on the page (their bars only). */
  probe: ProbeCurve | null;
}

export async function worldFigures(model: ClipModel, o: WorldFigureOptions): Promise<WorldFigures> {
  const world = { n: o.testScenes, seed: o.seed, size: DEFAULT_SIZE, objects: 1 };
  const embed = { cache: o.cache, batchSize: 8, signal: o.signal };
  const shifts = await evaluateShifts(model, world, {
    label: o.label,
    ...embed,
    onShift: (shift, i, total) => o.onStep?.(`Shift ${i + 1}/${total}: ${shift === 'none' ? 'clean' : shift}`),
  });
  o.onStep?.('Linear probe: encoding the training world');
  // The clean world's embeddings come from the cache: the probe is tested on the same rows.
  const test = await embedImages(model, sceneItems(worldScenes({ ...world, shift: 'none' }), o.label, 'clean'), embed);
  const trainWorld = { ...world, n: o.trainScenes, seed: (o.seed + 1) >>> 0 };
  const train = await embedImages(model, sceneItems(worldScenes(trainWorld), o.label, 'train'), embed);
  const { curve } = await evaluateWithProbe(model, train, test, {
    classes: worldClasses(o.label),
    templates: worldTemplates(o.label),
    fill: worldFill,
    shots: o.shots,
    seeds: o.seeds,
    signal: o.signal,
    onProgress: (done, total) => o.onStep?.(`Linear probe: fit ${done}/${total}`),
  });
  return { label: o.label, shifts, probe: curve };
}
