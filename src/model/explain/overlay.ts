/**
 * Drawing a Grad-CAM over its image, in pure TypeScript (no DOM, no GPU), for the CLI's --out PNG
 * and the <clip-gradcam> element: the normalized map is upsampled bilinearly (PyTorch's
 * align_corners=False) onto the part of the image the model saw (the centre crop, through the
 * result's `transform`), colour-mapped and blended as (1 − opacity)·image + opacity·heat, as
 * pytorch-grad-cam's show_cam_on_image does (jet, image weight 0.5 by default).
 */
import { mat3 } from 'wgpu-matrix';
import { upsampleBilinear } from '../detect/boxes.ts';
import { modelToImage } from '../preprocess/preprocess.ts';
import { normalizeCam } from './gradcam.ts';
import type { GradCam } from './index.ts';

export type ColourMap = 'jet' | 'turbo' | 'viridis' | 'gray';
export const COLOUR_MAPS: readonly ColourMap[] = ['jet', 'turbo', 'viridis', 'gray'];

type Rgb = [number, number, number];
const byte = (x: number) => Math.round(255 * Math.min(1, Math.max(0, x)));
const unit = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
const poly = (c: readonly number[], t: number) => c.reduceRight((acc, k) => acc * t + k, 0);

/** OpenCV's COLORMAP_JET (piecewise linear), v in [0, 1] -> RGB 0..255. */
export function jet(v: number): Rgb {
  const t = unit(v);
  return [byte(1.5 - Math.abs(4 * t - 3)), byte(1.5 - Math.abs(4 * t - 2)), byte(1.5 - Math.abs(4 * t - 1))];
}

// Turbo: A. Mikhailov's degree-5 polynomial fit (Google AI blog, 2019). Viridis: degree-6 fit of
// matplotlib's map (M. Zucker's shadertoy "viridis approximation").
const TURBO = [
  [0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943],
  [0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604],
  [0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973],
];
const VIRIDIS = [
  [
    0.2777273272234177, 0.1050930431085774, -0.3308618287255563, -4.634230498983486, 6.228269936347081,
    4.776384997670288, -5.435455855934631,
  ],
  [
    0.005407344544966578, 1.404613529898575, 0.214847559468213, -5.799100973351585, 14.17993336680509,
    -13.74514537774601, 4.645852612178535,
  ],
  [
    0.3340998053353061, 1.384590162594685, 0.09509516302823659, -19.33244095627987, 56.69055260068105,
    -65.35303263337234, 26.3124352495832,
  ],
];

/** A colour map's RGB (0..255) for v in [0, 1] (clamped). */
export function colourOf(map: ColourMap, v: number): Rgb {
  const t = unit(v);
  switch (map) {
    case 'turbo':
      return TURBO.map((c) => byte(poly(c, t))) as Rgb;
    case 'viridis':
      return VIRIDIS.map((c) => byte(poly(c, t))) as Rgb;
    case 'gray':
      return [byte(t), byte(t), byte(t)];
    default:
      return jet(t);
  }
}

type Placed = Pick<GradCam, 'grid' | 'transform'>;

/**
 * What to draw for a map: the refined map (`refine`: one value per input pixel, placed over the same
 * centre crop) when there is one, else the grid. Normalized to 0..1 like `camNorm`.
 */
export function overlayMap(cam: Placed & Pick<GradCam, 'camNorm' | 'refined'>): Placed & Pick<GradCam, 'camNorm'> {
  const r = cam.refined;
  if (!r) return cam;
  const [rows, cols] = cam.grid;
  return {
    grid: [r.size, r.size],
    transform: mat3.multiply(cam.transform, mat3.scaling([cols / r.size, rows / r.size])),
    camNorm: normalizeCam(r.map),
  };
}

/** Where the grid lies in the image, in whole pixels: the centre crop the model saw. */
export function camExtent(cam: Placed): { left: number; top: number; width: number; height: number } {
  const [rows, cols] = cam.grid;
  const [x0, y0] = modelToImage(cam.transform, 0, 0);
  const [x1, y1] = modelToImage(cam.transform, cols, rows);
  const left = Math.round(x0),
    top = Math.round(y0);
  return { left, top, width: Math.max(1, Math.round(x1) - left), height: Math.max(1, Math.round(y1) - top) };
}

/** The patch under image pixel (x, y) (row-major index, row, column), or null outside the grid. */
export function cellAt(cam: Placed, x: number, y: number): { cell: number; row: number; col: number } | null {
  const [rows, cols] = cam.grid;
  const [x0, y0] = modelToImage(cam.transform, 0, 0);
  const [x1, y1] = modelToImage(cam.transform, cols, rows);
  const col = Math.floor(((x - x0) / (x1 - x0)) * cols);
  const row = Math.floor(((y - y0) / (y1 - y0)) * rows);
  if (!(row >= 0 && row < rows && col >= 0 && col < cols)) return null;
  return { cell: row * cols + col, row, col };
}

export interface BlendOptions {
  /** Weight of the heat in the mix, 0..1 (default 0.5). */
  opacity?: number;
  colourMap?: ColourMap;
}

/** Blends the map into an RGBA image of `width` x `height` in place; pixels outside the crop are kept. */
export function blendHeatmap(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  cam: Placed & Pick<GradCam, 'camNorm'>,
  options: BlendOptions = {},
): void {
  const opacity = unit(options.opacity ?? 0.5);
  const map = options.colourMap ?? 'jet';
  const [rows, cols] = cam.grid;
  const { left, top, width: w, height: h } = camExtent(cam);
  const up = upsampleBilinear(cam.camNorm, rows, cols, h, w);
  for (let y = Math.max(0, top); y < Math.min(height, top + h); y++) {
    for (let x = Math.max(0, left); x < Math.min(width, left + w); x++) {
      const heat = colourOf(map, up[(y - top) * w + (x - left)]);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round((1 - opacity) * rgba[o + c] + opacity * heat[c]);
    }
  }
}
