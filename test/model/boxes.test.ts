/** Boxes from similarity maps (src/model/detect/boxes.ts): exact expected boxes on synthetic maps. */
import { describe, it, expect } from 'vitest';
import { mat3 } from 'wgpu-matrix';
import {
  boxToImage,
  boxesFromGrid,
  connectedComponents,
  iou,
  nms,
  regionBoxes,
  upsampleBilinear,
} from '../../src/model/detect/boxes.ts';
import { detectionBoxes } from '../../src/model/detect/index.ts';

/** A map from rows of characters: '.' = 0, digit d = d / 10. */
function map(rows: string[]): { data: Float32Array; h: number; w: number } {
  const h = rows.length,
    w = rows[0].length;
  const data = new Float32Array(h * w);
  rows.forEach((r, y) => [...r].forEach((c, x) => (data[y * w + x] = c === '.' ? 0 : Number(c) / 10)));
  return { data, h, w };
}

const strip = (boxes: { x: number; y: number; w: number; h: number; score: number }[]) =>
  boxes.map(({ x, y, w, h, score }) => ({ x, y, w, h, score: Math.round(score * 1e6) / 1e6 }));

describe('upsampleBilinear (PyTorch bilinear, align_corners=False)', () => {
  it('2x2 -> 4x4 matches F.interpolate', () => {
    const out = upsampleBilinear([1, 2, 3, 4], 2, 2, 4, 4);
    expect(Array.from(out)).toEqual([1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
  });

  it('same size is the identity; 1x1 is constant; 1x3 -> 1x6 interpolates along one axis only', () => {
    const src = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 2);
    expect(Array.from(upsampleBilinear(src, 3, 4, 3, 4))).toEqual(Array.from(src));
    expect(Array.from(upsampleBilinear([7], 1, 1, 2, 3))).toEqual([7, 7, 7, 7, 7, 7]);
    // torch: F.interpolate([[[[0., 3., 6.]]]], size=(1, 6), mode='bilinear') = 0, 0.75, 2.25, 3.75, 5.25, 6
    expect(Array.from(upsampleBilinear([0, 3, 6], 1, 3, 1, 6))).toEqual([0, 0.75, 2.25, 3.75, 5.25, 6]);
  });

  it('rejects mismatched sizes', () => {
    expect(() => upsampleBilinear([1, 2, 3], 2, 2, 4, 4)).toThrow(RangeError);
    expect(() => upsampleBilinear([1], 1, 1, 0, 4)).toThrow(RangeError);
  });
});

describe('connected components', () => {
  const diag = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  it('8-connected joins diagonals, 4-connected does not', () => {
    expect(connectedComponents(diag, 3, 3, 8).count).toBe(1);
    const four = connectedComponents(diag, 3, 3, 4);
    expect(four.count).toBe(3);
    expect(Array.from(four.labels)).toEqual([0, -1, -1, -1, 1, -1, -1, -1, 2]);
  });

  it('labels in raster order; a U shape is one region', () => {
    const { labels, count } = connectedComponents([1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1], 3, 5, 4);
    expect(count).toBe(3);
    expect(Array.from(labels)).toEqual([0, -1, 0, -1, 1, 0, -1, 0, -1, -1, 0, 0, 0, -1, 2]);
  });
});

describe('boxes on synthetic maps', () => {
  it('one blob: its bounding box, score = max inside', () => {
    const m = map(['........', '..36....', '..495...', '...7....', '........']);
    expect(strip(boxesFromGrid(m.data, m.h, m.w, { threshold: 0.3 }))).toEqual([
      { x: 2, y: 1, w: 3, h: 3, score: 0.9 },
    ]);
    // mean instead of max: (3+6+4+9+5+7) / 6 tenths
    expect(strip(boxesFromGrid(m.data, m.h, m.w, { threshold: 0.3, score: 'mean' }))).toEqual([
      { x: 2, y: 1, w: 3, h: 3, score: 0.566667 },
    ]);
    // a higher threshold cuts the blob down to its core
    expect(strip(boxesFromGrid(m.data, m.h, m.w, { threshold: 0.6 }))).toEqual([
      { x: 3, y: 1, w: 1, h: 3, score: 0.9 },
    ]);
  });

  it('two blobs: two boxes, highest score first', () => {
    const m = map(['55......', '55......', '.....8..', '.....99.', '......7.']);
    expect(strip(boxesFromGrid(m.data, m.h, m.w, { threshold: 0.5 }))).toEqual([
      { x: 5, y: 2, w: 2, h: 3, score: 0.9 },
      { x: 0, y: 0, w: 2, h: 2, score: 0.5 },
    ]);
  });

  it('diagonal neighbours: one box with 8-connectivity, two with 4', () => {
    const m = map(['8...', '.6..', '....']);
    expect(strip(boxesFromGrid(m.data, m.h, m.w, { threshold: 0.5 }))).toEqual([
      { x: 0, y: 0, w: 2, h: 2, score: 0.8 },
    ]);
    expect(strip(boxesFromGrid(m.data, m.h, m.w, { threshold: 0.5, connectivity: 4 }))).toEqual([
      { x: 0, y: 0, w: 1, h: 1, score: 0.8 },
      { x: 1, y: 1, w: 1, h: 1, score: 0.6 },
    ]);
  });

  it('none: nothing reaches the threshold', () => {
    const m = map(['123', '456', '321']);
    expect(boxesFromGrid(m.data, m.h, m.w, { threshold: 0.7 })).toEqual([]);
    expect(boxesFromGrid(new Float32Array(12), 3, 4, { threshold: 0.1 })).toEqual([]);
  });

  it('touching the border: boxes reach the map edges', () => {
    const m = map(['9......7', '9......7', '........', '66666666']);
    expect(strip(boxesFromGrid(m.data, m.h, m.w, { threshold: 0.5 }))).toEqual([
      { x: 0, y: 0, w: 1, h: 2, score: 0.9 },
      { x: 7, y: 0, w: 1, h: 2, score: 0.7 },
      { x: 0, y: 3, w: 8, h: 1, score: 0.6 },
    ]);
    // everything above threshold: one box over the whole map
    expect(strip(boxesFromGrid(new Float32Array(6).fill(0.5), 2, 3, { threshold: 0.5 }))).toEqual([
      { x: 0, y: 0, w: 3, h: 2, score: 0.5 },
    ]);
  });

  it('upsampled: a single hot patch of a 4x4 grid, 4x -> the box around the interpolated peak', () => {
    // Grid cell (row 1, col 2) = 1, the rest 0, upsampled 4x (align_corners=False). Along an axis the
    // weight of cell c at pixel p is 1 - |(p + 0.5) / 4 - 0.5 - c|: 0.625, 0.875, 0.875, 0.625 at
    // p = 4c .. 4c + 3, and below 0.4 further out. The value is the product of both axes' weights,
    // so >= 0.5 everywhere in that 4x4 block except its corners (0.625² < 0.5): the bounding box is
    // still the block, and the peak is 0.875².
    const grid = new Float32Array(16);
    grid[1 * 4 + 2] = 1;
    const boxes = boxesFromGrid(grid, 4, 4, { threshold: 0.5, size: [16, 16] });
    expect(strip(boxes)).toEqual([{ x: 8, y: 4, w: 4, h: 4, score: 0.765625 }]);
    expect(boxes[0].area).toBe(12);
  });

  it('minArea drops small regions', () => {
    const m = map(['9.5', '..5']);
    expect(regionBoxes(m.data, m.h, m.w, { threshold: 0.5, minArea: 2 }).map((b) => b.area)).toEqual([2]);
  });
});

describe('NMS', () => {
  const b = (x: number, y: number, w: number, h: number, score: number) => ({ x, y, w, h, score });
  it('IoU', () => {
    expect(iou(b(0, 0, 2, 2, 0), b(1, 1, 2, 2, 0))).toBeCloseTo(1 / 7, 12);
    expect(iou(b(0, 0, 2, 2, 0), b(2, 0, 2, 2, 0))).toBe(0);
    expect(iou(b(0, 0, 2, 2, 0), b(0, 0, 2, 2, 0))).toBe(1);
  });
  it('keeps the best of overlapping boxes, keeps disjoint ones, sorted by score', () => {
    const boxes = [b(0, 0, 10, 10, 0.5), b(1, 1, 10, 10, 0.9), b(20, 20, 5, 5, 0.7), b(0, 0, 10, 9, 0.8)];
    // IoU with the best box (0.9): 81/119 for the 0.5 box, 72/118 for the 0.8 box; the 0.7 box is apart.
    expect(iou(boxes[1], boxes[0])).toBeCloseTo(81 / 119, 12);
    expect(iou(boxes[1], boxes[3])).toBeCloseTo(72 / 118, 12);
    expect(nms(boxes, 0.5)).toEqual([boxes[1], boxes[2]]);
    expect(nms(boxes, 0.65)).toEqual([boxes[1], boxes[3], boxes[2]]);
    expect(nms(boxes, 1)).toEqual([boxes[1], boxes[3], boxes[2], boxes[0]]);
  });
});

describe('boxes into the original image', () => {
  it('through a preprocessing transform (scale 2, crop offset 8 resized pixels)', () => {
    // An image 160 x 128 resized to 80 x 64 and centre-cropped at left = 8: model px -> image px
    // is x' = 2 (x + 8), y' = 2 y.
    const t = mat3.multiply(mat3.scaling([2, 2]), mat3.translation([8, 0]));
    expect(boxToImage({ x: 0, y: 0, w: 64, h: 64 }, t, { width: 160, height: 128 })).toEqual({
      x: 16,
      y: 0,
      w: 128,
      h: 128,
    });
    expect(boxToImage({ x: 10, y: 4, w: 6, h: 2, score: 0.3 }, t, { width: 160, height: 128 })).toEqual({
      x: 36,
      y: 8,
      w: 12,
      h: 4,
      score: 0.3,
    });
  });

  it('detectionBoxes: per query threshold (absolute or relative), boxes mapped and labelled', () => {
    // 2x2 grid, two queries; map 4x4 (2x upsampling), image 8x8 (scale 2).
    const d = {
      queries: ['cat', 'dog'],
      grid: [2, 2] as [number, number],
      patchSimilarity: [
        [0.9, 0.1],
        [0.1, 0.1],
        [0.1, 0.1],
        [0.1, 0.3],
      ].map((r) => Float32Array.from(r)),
      image: { width: 8, height: 8 },
      mapSize: 2,
      mapToImage: mat3.scaling([4, 4]),
    };
    const abs = detectionBoxes(d, { threshold: 0.5 });
    expect(abs.thresholds).toEqual([0.5, 0.5]);
    expect(abs.boxes.map((b) => ({ ...b, score: Math.round(b.score * 1e6) / 1e6 }))).toEqual([
      { query: 'cat', queryIndex: 0, score: 0.9, x: 0, y: 0, w: 4, h: 4 },
    ]);
    const rel = detectionBoxes(d, { relativeThreshold: 0.5 });
    expect(rel.thresholds.map((t) => Math.round(t * 1e6) / 1e6)).toEqual([0.5, 0.2]);
    expect(rel.boxes.map((b) => [b.query, b.x, b.y, b.w, b.h])).toEqual([
      ['cat', 0, 0, 4, 4],
      ['dog', 4, 4, 4, 4],
    ]);
  });
});
