/**
 * The pieces of the explanation scores (src/model/world/explanation-scores.ts), on the CPU: cell orders,
 * the blurred image a deleted cell shows, pasting cells, the curve's points and area, the pointing rule.
 * The scores on the shipped model: test/meaning/explanations.test.ts.
 */
import { describe, it, expect } from 'vitest';
import {
  boxBlur,
  cellOrder,
  cellRect,
  curveArea,
  pasteCells,
  pointsAt,
  randomOrder,
  stepCounts,
} from '../../src/model/world/explanation-scores.ts';
import type { RawImage } from '../../src/model/preprocess/preprocess.ts';

const image = (W: number, H: number, f: (x: number, y: number, c: number) => number): RawImage => {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) for (let c = 0; c < 4; c++) data[(y * W + x) * 4 + c] = f(x, y, c);
  return { width: W, height: H, channels: 4, data };
};

describe('explanation scores, the pieces', () => {
  it('orders cells by relevance, ties by index; a seeded random order is a permutation', () => {
    expect(cellOrder([0.1, 0.9, 0.5, 0.9])).toEqual([1, 3, 2, 0]);
    const r = randomOrder(64, 3);
    expect([...r].sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    expect(randomOrder(64, 3)).toEqual(r);
    expect(randomOrder(64, 4)).not.toEqual(r);
  });

  it('lays the grid over the image: cells tile it exactly', () => {
    expect(cellRect(9, [8, 8], 64, 64)).toEqual([8, 8, 16, 16]);
    expect(cellRect(48, [7, 7], 224, 224)).toEqual([192, 192, 224, 224]);
    let area = 0;
    for (let k = 0; k < 49; k++) {
      const [x0, y0, x1, y1] = cellRect(k, [7, 7], 50, 50);
      area += (x1 - x0) * (y1 - y0);
    }
    expect(area).toBe(2500);
  });

  it('blurs with a box filter: a flat image stays, a bright pixel spreads evenly', () => {
    const flat = image(9, 9, () => 100);
    expect([...boxBlur(flat, 2).data]).toEqual([...flat.data]);
    const dot = image(9, 9, (x, y, c) => (x === 4 && y === 4 && c === 0 ? 225 : 0));
    const b = boxBlur(dot, 1);
    for (let y = 0; y < 9; y++)
      for (let x = 0; x < 9; x++)
        expect(b.data[(y * 9 + x) * 4]).toBe(Math.abs(x - 4) <= 1 && Math.abs(y - 4) <= 1 ? 25 : 0);
  });

  it('deletes and inserts cells: none is the start, all is the other image', () => {
    const a = image(16, 16, (x, y) => x + 16 * y),
      z = image(16, 16, () => 7);
    const order = [3, 0, 2, 1];
    expect([...pasteCells(a, z, [], [2, 2]).data]).toEqual([...a.data]);
    expect([...pasteCells(a, z, order, [2, 2]).data]).toEqual([...z.data]);
    const one = pasteCells(a, z, [3], [2, 2]); // the bottom-right 8x8 quarter
    expect(one.data[(12 * 16 + 12) * 4]).toBe(7);
    expect(one.data[(4 * 16 + 4) * 4]).toBe(a.data[(4 * 16 + 4) * 4]);
  });

  it('samples each curve from 0 to every cell, and integrates it over 0..1', () => {
    expect(stepCounts(64, 16)).toEqual(Array.from({ length: 17 }, (_, i) => 4 * i));
    expect(stepCounts(5, 16)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(curveArea([1, 1, 1])).toBe(1);
    expect(curveArea([1, 0.5, 0])).toBe(0.5);
    expect(curveArea([0, 1])).toBe(0.5);
  });

  it("points at the object when the peak cell's centre is in its box, or the box is inside the cell", () => {
    expect(pointsAt([8, 8, 16, 16], [10, 10, 30, 30])).toBe(true); // centre (12, 12) in the box
    expect(pointsAt([8, 8, 16, 16], [13, 13, 30, 30])).toBe(false);
    expect(pointsAt([0, 0, 32, 32], [20, 2, 30, 10])).toBe(true); // a small object inside a big cell
  });
});
