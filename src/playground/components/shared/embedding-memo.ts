/**
 * Embeddings an element has already computed (classifier, patch detector, Grad-CAM): per model, text embeddings per (template set,
 * label) and image embeddings per image. Editing one label then costs one label's prompts, not all.
 */
import type { ClipModel } from '../../../model/clip.ts';
import type { ImageInput } from '../../../model/platform.ts';

export interface LabelEmbeddings {
  embeds: Float32Array[];
  /** How many labels had to be encoded now (the rest came from the cache). */
  computed: number;
}

export class EmbeddingMemo {
  private readonly text = new WeakMap<ClipModel, Map<string, Float32Array>>();
  private readonly images = new WeakMap<ClipModel, WeakMap<object, Float32Array>>();

  async labels(
    model: ClipModel,
    labels: readonly string[],
    templates: readonly string[],
    truncate: boolean,
  ): Promise<LabelEmbeddings> {
    let map = this.text.get(model);
    if (!map) this.text.set(model, (map = new Map()));
    const set = `${truncate ? 'cut' : 'full'}\u0001${templates.join('\u0001')}\u0000`;
    const missing = [...new Set(labels.filter((l) => !map.has(set + l)))];
    if (missing.length > 0) {
      const embeds = await model.labelEmbeddings(missing, { templates, truncate });
      missing.forEach((l, i) => map.set(set + l, embeds[i]));
    }
    return { embeds: labels.map((l) => map.get(set + l)!), computed: missing.length };
  }

  /** `key` identifies the image (the same object for as long as the image is shown). */
  async image(model: ClipModel, key: object, input: ImageInput): Promise<Float32Array> {
    let map = this.images.get(model);
    if (!map) this.images.set(model, (map = new WeakMap()));
    let e = map.get(key);
    if (!e) {
      [e] = await model.encodeImage([input]);
      map.set(key, e);
    }
    return e;
  }
}
