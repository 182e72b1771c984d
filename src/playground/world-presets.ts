/**
 * Label presets that fit the shipped model, trained on the procedural world: its five shapes and
 * eight colours, with the world's own zero-shot prompt (`ZERO_SHOT_TEMPLATES`) and the phrasings to
 * ensemble over (`ENSEMBLE_TEMPLATES`), written with "{}" where the label goes as every element's
 * templates are. One module for the classifier, Grad-CAM, the patch detector, the bias probe and the
 * dataset evaluation.
 */
import { COLOUR_NAMES, ENSEMBLE_TEMPLATES, SHAPES, ZERO_SHOT_TEMPLATES } from '../model/world/index.ts';

export interface WorldPreset {
  /** `shapes` or `colours`. */
  id: WorldPresetId;
  title: string;
  labels: readonly string[];
  /** The one-prompt template ("a {}", "a {} shape"). */
  template: string;
  /** The templates to ensemble over. */
  ensemble: readonly string[];
}

export type WorldPresetId = 'shapes' | 'colours';

/** "a {shape}" -> "a {}". The world's captions say "an orange shape"; "{}" templates keep "a" (as CLIP's do). */
const slot = (template: string, name: string) => template.replaceAll(`{${name}}`, '{}');

export const WORLD_PRESETS: Readonly<Record<WorldPresetId, WorldPreset>> = {
  shapes: {
    id: 'shapes',
    title: 'Shapes',
    labels: SHAPES,
    template: slot(ZERO_SHOT_TEMPLATES.shape, 'shape'),
    ensemble: ENSEMBLE_TEMPLATES.shape.map((t) => slot(t, 'shape')),
  },
  colours: {
    id: 'colours',
    title: 'Colours',
    labels: COLOUR_NAMES,
    template: slot(ZERO_SHOT_TEMPLATES.colour, 'colour'),
    ensemble: ENSEMBLE_TEMPLATES.colour.map((t) => slot(t, 'colour')),
  },
};

/**
 * What an element starts with when the shipped model is loaded. The shipped model names colours and
 * shapes (held out: weights/shapes-clip/README.md); colours stay the first look because the colour-only
 * model (weights/shapes-clip-colour) knows them too, so a page that loads either shows it working. The
 * shape preset is one click away.
 */
export const DEFAULT_WORLD_PRESET: WorldPreset = WORLD_PRESETS.colours;

/** Every prompt of a preset with its one template: "a circle", "a square", ... */
export function presetPrompts(preset: WorldPreset): string[] {
  return preset.labels.map((label) => preset.template.replaceAll('{}', label));
}

/**
 * Follows the shared model for an element: when the shipped model arrives, the element switches to
 * the default world preset; when another model replaces it, back to the element's own defaults. An
 * element whose labels the user changed keeps them (`untouched` says whether they are still a default).
 */
export class PresetFollower {
  private shipped: boolean | null = null;

  /** The preset to apply now (a WorldPreset, or 'defaults'), or null when nothing should change. */
  next(shipped: boolean, untouched: boolean): WorldPreset | 'defaults' | null {
    if (shipped === this.shipped) return null;
    const first = this.shipped === null;
    this.shipped = shipped;
    if (!untouched) return null;
    if (shipped) return DEFAULT_WORLD_PRESET;
    return first ? null : 'defaults';
  }
}

/** True when `labels` are one of the presets' (or `defaults`), in order. */
export function isPresetLabels(labels: readonly string[], defaults: readonly string[]): boolean {
  const same = (a: readonly string[]) => a.length === labels.length && a.every((x, i) => x === labels[i]);
  return same(defaults) || Object.values(WORLD_PRESETS).some((p) => same(p.labels) || same(presetPrompts(p)));
}

/**
 * A setting the shipped model has its own default for: the map that points on it. Taken when the
 * shipped model arrives while the setting is at the element's default; given back when another model
 * replaces it, unless the user chose a setting since (`chosen()`). Keys compare settings.
 */
export class ShippedChoice<T> {
  private auto = false;
  private touched = false;

  constructor(
    private readonly elementDefault: T,
    private readonly shippedDefault: T,
    private readonly key: (setting: T) => string = String,
  ) {}

  /** The setting to apply now, or null when nothing should change. */
  next(shipped: boolean, current: T): T | null {
    if (this.touched) return null;
    const now = this.key(current);
    if (shipped && now === this.key(this.elementDefault)) {
      this.auto = true;
      return this.shippedDefault;
    }
    if (!shipped && this.auto && now === this.key(this.shippedDefault)) {
      this.auto = false;
      return this.elementDefault;
    }
    return null;
  }

  /** The user chose a setting: follow the model no more. */
  chosen(): void {
    this.touched = true;
  }
}

/**
 * Explain's method on the shipped model: relevance's map points at the named object (held out, 71.8%
 * of 124 objects unrefined), Grad-CAM's does not (18.5%: weights/shapes-clip/README.md).
 */
export const SHIPPED_EXPLAIN_METHOD = 'relevance' as const;

/**
 * Detect's mode on the shipped model: relevance's map refined by the image (PAMR), as the meaning tests
 * score it (79.0% of boxes at IoU >= 0.5 held out); the last layer's patch similarity finds none.
 */
export const SHIPPED_DETECT = { mode: 'relevance', refine: true } as const;

/**
 * Segment's setting on the shipped model: each label's relevance map, background below half the image's
 * best map. Held out (colours, 100 scenes of 64 px): mIoU 20.5%, 43.5% fitted to the image (PAMR), where
 * NACLIP never labels background (10.6%). Fit stays off here: PAMR spreads a label over flat
 * backgrounds, and on the seven 224 px samples fitting scores 0-98% (mean 46%) where the plain maps
 * score 23-75% (mean 46%) with no sample lost (weights/shapes-clip/README.md, limits).
 */
export const SHIPPED_SEGMENT = { method: 'relevance', refine: false, backgroundMode: 'threshold' } as const;

/** Its background share: the best for plain maps on the validation world (seed 2026303: 22.6% mIoU; 0.5: 18.3%). */
export const SHIPPED_SEGMENT_SHARE = 0.3;
