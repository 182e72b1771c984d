/**
 * The shapes CLIP really runs (issue 7): one encoder geometry per tower and model size, and the
 * batches we time them at. Token counts: 1 + (224/patch)² for the vision towers, 77 for text.
 */
export interface TowerShape {
  /** Short id used on the command line (--shapes) and in the tables, e.g. "b32-vision-b8". */
  id: string;
  /** Human label, e.g. "ViT-B/32 vision, batch 8". */
  label: string;
  tower: 'vision' | 'text';
  batch: number;
  tokens: number;
  hidden: number;
  mlp: number;
  heads: number;
  /** Causal attention (text). */
  causal: boolean;
  /** Vision stem: patch size and image size; text stem: vocabulary size. */
  patch?: number;
  image?: number;
  vocab?: number;
  /** Output projection width (CLIP's joint embedding). */
  projection: number;
}

interface Geometry {
  name: string;
  tower: 'vision' | 'text';
  tokens: number;
  hidden: number;
  mlp: number;
  heads: number;
  patch?: number;
  image?: number;
  vocab?: number;
  projection: number;
}

export const B32_VISION: Geometry = {
  name: 'ViT-B/32 vision',
  tower: 'vision',
  tokens: 50,
  hidden: 768,
  mlp: 3072,
  heads: 12,
  patch: 32,
  image: 224,
  projection: 512,
};
export const B32_TEXT: Geometry = {
  name: 'ViT-B/32 text',
  tower: 'text',
  tokens: 77,
  hidden: 512,
  mlp: 2048,
  heads: 8,
  vocab: 49408,
  projection: 512,
};
export const B16_VISION: Geometry = {
  name: 'ViT-B/16 vision',
  tower: 'vision',
  tokens: 197,
  hidden: 768,
  mlp: 3072,
  heads: 12,
  patch: 16,
  image: 224,
  projection: 512,
};
export const L14_VISION: Geometry = {
  name: 'ViT-L/14 vision',
  tower: 'vision',
  tokens: 257,
  hidden: 1024,
  mlp: 4096,
  heads: 16,
  patch: 14,
  image: 224,
  projection: 768,
};

function at(g: Geometry, id: string, batch: number): TowerShape {
  return {
    id: `${id}-b${batch}`,
    label: `${g.name}, batch ${batch}`,
    tower: g.tower,
    batch,
    tokens: g.tokens,
    hidden: g.hidden,
    mlp: g.mlp,
    heads: g.heads,
    causal: g.tower === 'text',
    patch: g.patch,
    image: g.image,
    vocab: g.vocab,
    projection: g.projection,
  };
}

/** Every shape of the issue: B/32 vision at batch 1/8/32, text at 1/8/80 prompts (8: M=616, the e2e text batch), B/16 and L/14 vision at batch 1. */
export const SHAPES: readonly TowerShape[] = [
  at(B32_VISION, 'b32-vision', 1),
  at(B32_VISION, 'b32-vision', 8),
  at(B32_VISION, 'b32-vision', 32),
  at(B32_TEXT, 'b32-text', 1),
  at(B32_TEXT, 'b32-text', 8),
  at(B32_TEXT, 'b32-text', 80),
  at(B16_VISION, 'b16-vision', 1),
  at(L14_VISION, 'l14-vision', 1),
];

/** `--quick`: one image and one prompt on B/32. */
export const QUICK_SHAPE_IDS = ['b32-vision-b1', 'b32-text-b1'];

/** Tiny shapes with the same structure (tests, smoke runs): not multiples of any tile size. */
export const TINY_SHAPES: readonly TowerShape[] = [
  {
    id: 'tiny-vision-b2',
    label: 'tiny vision, batch 2',
    tower: 'vision',
    batch: 2,
    tokens: 5,
    hidden: 24,
    mlp: 40,
    heads: 3,
    causal: false,
    patch: 4,
    image: 8,
    projection: 16,
  },
  {
    id: 'tiny-text-b3',
    label: 'tiny text, batch 3',
    tower: 'text',
    batch: 3,
    tokens: 7,
    hidden: 16,
    mlp: 36,
    heads: 2,
    causal: true,
    vocab: 50,
    projection: 12,
  },
];

/** Shapes by id; unknown ids are an error naming the known ones. */
export function selectShapes(
  ids: readonly string[],
  from: readonly TowerShape[] = [...SHAPES, ...TINY_SHAPES],
): TowerShape[] {
  return ids.map((id) => {
    const s = from.find((x) => x.id === id);
    if (!s) throw new Error(`unknown shape "${id}"; shapes: ${from.map((x) => x.id).join(', ')}`);
    return s;
  });
}
