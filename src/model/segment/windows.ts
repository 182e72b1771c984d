/**
 * Sliding-window inference (as mmseg's `slide` mode that SCLIP, ClearCLIP and NACLIP run):
 * windows of `window` pixels every `stride` pixels, the last one flush with the image's edge; each
 * window is resized to the model's input and segmented on its own patch grid, and the windows' maps
 * are averaged where they overlap. Here the average is taken on an output grid of cells about one
 * window patch wide (window / G pixels) that tiles the whole image; each window contributes to the
 * cells whose centres it holds, sampling its own grid bilinearly at the cell centre (exact when the
 * cells line up with the window's patches).
 */
import { ClipError } from '../../errors.ts';

/** A window in image pixels: [x, x + w) x [y, y + h). */
export interface SlideWindow {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SlideOptions {
  /** Side of a window in the image's pixels (the model sees it resized to its input size). */
  window: number;
  /** Step between windows in pixels, 1..window (default window / 2). */
  stride?: number;
}

export function checkSlide(slide: SlideOptions): Required<SlideOptions> {
  const { window } = slide;
  const stride = slide.stride ?? Math.max(1, Math.floor(window / 2));
  if (!Number.isInteger(window) || window < 1) {
    throw new ClipError('input', `The sliding window must be a positive whole number of pixels, got ${window}.`);
  }
  if (!Number.isInteger(stride) || stride < 1 || stride > window) {
    throw new ClipError(
      'input',
      `The stride must be a whole number of pixels in 1..${window} (the window), got ${stride}.`,
    );
  }
  return { window, stride };
}

/** mmseg's window placement along one axis: starts every `stride`, the last clamped to the end. */
function starts(size: number, window: number, stride: number): [number, number][] {
  const n = Math.floor(Math.max(size - window + stride - 1, 0) / stride) + 1;
  return Array.from({ length: n }, (_, i) => {
    const end = Math.min(i * stride + window, size);
    const start = Math.max(end - window, 0);
    return [start, end - start];
  });
}

/** Windows covering a width x height image, row by row. */
export function slideWindows(width: number, height: number, slide: Required<SlideOptions>): SlideWindow[] {
  const out: SlideWindow[] = [];
  for (const [y, h] of starts(height, slide.window, slide.stride)) {
    for (const [x, w] of starts(width, slide.window, slide.stride)) out.push({ x, y, w, h });
  }
  return out;
}

/** The output grid [rows, cols] for windows of `window` pixels seen as a G x G grid. */
export function slideGrid(width: number, height: number, window: number, G: number): [number, number] {
  const cell = Math.min(window, width, height) / G;
  return [Math.max(1, Math.round(height / cell)), Math.max(1, Math.round(width / cell))];
}

/** Bilinear sample (align_corners=False, clamped) of a row-major [h, w] map at grid coordinates (gy, gx). */
function sample(map: ArrayLike<number>, offset: number, h: number, w: number, gy: number, gx: number): number {
  const y = Math.min(Math.max(gy, 0), h - 1);
  const x = Math.min(Math.max(gx, 0), w - 1);
  const y0 = Math.floor(y),
    x0 = Math.floor(x);
  const y1 = Math.min(y0 + 1, h - 1),
    x1 = Math.min(x0 + 1, w - 1);
  const t = y - y0,
    u = x - x0;
  const at = (r: number, c: number) => map[offset + r * w + c];
  return (at(y0, x0) * (1 - u) + at(y0, x1) * u) * (1 - t) + (at(y1, x0) * (1 - u) + at(y1, x1) * u) * t;
}

/**
 * Averages the windows' maps on the output grid: `maps[i]` is window i's [labels][G][G]; returns
 * [labels][rows][cols] over the whole width x height image.
 */
export function stitchWindows(
  windows: readonly SlideWindow[],
  maps: readonly Float32Array[],
  labels: number,
  G: number,
  width: number,
  height: number,
  grid: [number, number],
): Float32Array {
  const [rows, cols] = grid;
  const sum = new Float64Array(labels * rows * cols);
  const count = new Int32Array(rows * cols);
  windows.forEach((win, i) => {
    for (let r = 0; r < rows; r++) {
      const cy = ((r + 0.5) * height) / rows; // cell centre in image pixels
      if (cy < win.y || cy >= win.y + win.h) continue;
      const gy = ((cy - win.y) * G) / win.h - 0.5;
      for (let c = 0; c < cols; c++) {
        const cx = ((c + 0.5) * width) / cols;
        if (cx < win.x || cx >= win.x + win.w) continue;
        const gx = ((cx - win.x) * G) / win.w - 0.5;
        count[r * cols + c]++;
        for (let l = 0; l < labels; l++) sum[(l * rows + r) * cols + c] += sample(maps[i], l * G * G, G, G, gy, gx);
      }
    }
  });
  const out = new Float32Array(sum.length);
  for (let l = 0; l < labels; l++) {
    for (let k = 0; k < rows * cols; k++) {
      if (count[k] === 0) throw new Error(`stitchWindows: cell ${k} is in no window`);
      out[l * rows * cols + k] = sum[l * rows * cols + k] / count[k];
    }
  }
  return out;
}
