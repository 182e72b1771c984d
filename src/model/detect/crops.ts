/**
 * Crop mode: the image cut into an N x N grid of cells (optionally also the overlapping 2 x 2-cell
 * windows, stride one cell: a second scale), every window preprocessed as an image of its own and
 * classified against the queries plus a background prompt. All windows go through the vision
 * tower, the normalization, the logits and the softmax in ONE GPU pass.
 *
 * The map is on the cell grid: a cell's score for a query is the mean, over the windows that cover
 * the cell, of the window's probability for that query (softmax over queries + background).
 */
import { l2norm, matmul, softmax } from '../../kernels/index.ts';
import { ClipError } from '../../errors.ts';
import { cropPixels } from '../preprocess/crop.ts';
import { preprocessImage, type RawImage } from '../preprocess/preprocess.ts';
import { visionTower } from '../vision.ts';
import type { ClipInternals } from '../internals.ts';

/** A window in original image pixels, covering cells [col, col + span) x [row, row + span). */
export interface CropWindow {
  row: number;
  col: number;
  span: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Windows of an N x N cell grid over a width x height image: the N² cells (span 1), then, with
 * `overlap`, the (N-1)² windows of 2 x 2 cells at a stride of one cell (span 2). Cell edges are
 * at round(k · size / N).
 */
export function cropWindows(width: number, height: number, n: number, overlap = false): CropWindow[] {
  if (!Number.isInteger(n) || n < 1)
    throw new ClipError('input', `The crop grid must be a positive integer, got ${n}.`);
  if (n > width || n > height) {
    throw new ClipError(
      'input',
      `A ${n} x ${n} crop grid needs an image of at least ${n} x ${n} pixels; this one is ${width} x ${height}.`,
    );
  }
  const xe = Array.from({ length: n + 1 }, (_, k) => Math.round((k * width) / n));
  const ye = Array.from({ length: n + 1 }, (_, k) => Math.round((k * height) / n));
  const out: CropWindow[] = [];
  for (const span of overlap ? [1, 2] : [1]) {
    for (let row = 0; row + span <= n; row++) {
      for (let col = 0; col + span <= n; col++) {
        out.push({ row, col, span, x: xe[col], y: ye[row], w: xe[col + span] - xe[col], h: ye[row + span] - ye[row] });
      }
    }
  }
  return out;
}

/** A window of a decoded image as an image of its own. */
export function cropImage(image: RawImage, win: { x: number; y: number; w: number; h: number }): RawImage {
  const data = cropPixels(image.data, image.width, image.height, image.channels, win.x, win.y, win.w, win.h);
  return { width: win.w, height: win.h, data, channels: image.channels, indexed: image.indexed };
}

/**
 * Encodes every window in one pass and returns, per window, the softmax over
 * [queries..., background] of exp(logit_scale) · cos(window, text): [windows][Q + 1].
 */
export async function classifyCrops(
  access: ClipInternals,
  image: RawImage,
  windows: readonly CropWindow[],
  texts: readonly Float32Array[],
): Promise<Float32Array[]> {
  const { ctx, weights, config } = access;
  const S = config.vision.imageSize;
  const P = config.projectionDim;
  const n = windows.length;
  const pixels = new Float32Array(n * 3 * S * S);
  windows.forEach((win, i) => pixels.set(preprocessImage(cropImage(image, win), S).pixels, i * 3 * S * S));
  const flatTexts = new Float32Array(texts.length * P);
  texts.forEach((t, i) => flatTexts.set(t, i * P));
  const pass = ctx.pass();
  const input = pass.input([n, 3, S, S], pixels);
  const embeds = visionTower(pass, input, weights.vision, config.vision, access.zeros(n)); // [n, P]
  const img = l2norm(pass, embeds);
  const txt = l2norm(pass, pass.input([texts.length, P], flatTexts)); // [Q + 1, P]
  const logits = matmul(pass, img, txt, null, { alpha: access.logitScale }); // [n, Q + 1]
  const probs = softmax(pass, logits);
  const [flat] = await pass.run([probs]);
  return Array.from({ length: n }, (_, i) => flat.slice(i * texts.length, (i + 1) * texts.length));
}

/**
 * Per cell of the N x N grid (row-major), per query (background dropped): the mean probability
 * over the windows covering the cell.
 */
export function cellScores(
  windows: readonly CropWindow[],
  probs: readonly Float32Array[],
  n: number,
  queries: number,
): Float32Array[] {
  const sum = Array.from({ length: n * n }, () => new Float64Array(queries));
  const count = new Int32Array(n * n);
  windows.forEach((win, i) => {
    for (let r = win.row; r < win.row + win.span; r++) {
      for (let c = win.col; c < win.col + win.span; c++) {
        const cell = r * n + c;
        count[cell]++;
        for (let q = 0; q < queries; q++) sum[cell][q] += probs[i][q];
      }
    }
  });
  return sum.map((s, cell) => Float32Array.from(s, (v) => v / count[cell]));
}
