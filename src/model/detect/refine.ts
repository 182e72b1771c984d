/**
 * Maps refined by the image they came from: each coarse map (the patch grid) upsampled bilinearly
 * to the image's pixels, then PAMR (kernels/pamr) spreads each value along regions of similar colour
 * and stops at edges, so a region thresholded out of the map follows the object's outline instead of
 * the grid's cells. SCLIP refines its segmentation logits this way; detection and segmentation both
 * take it (`refine`).
 */
import { pamr, pamrOptions, type PamrOptions } from '../../kernels/pamr/pamr.ts';
import type { GpuContext } from '../../kernels/runtime.ts';
import type { RawImage } from '../preprocess/preprocess.ts';
import { upsampleBilinear } from './boxes.ts';

export type { PamrOptions } from '../../kernels/pamr/pamr.ts';

/** `true` for PAMR's defaults, or its options. */
export type RefineOption = boolean | PamrOptions;

/** The PAMR options a `refine` option asks for, checked, or null for none. */
export function refineOptions(refine: RefineOption | undefined): Required<PamrOptions> | null {
  if (refine === undefined || refine === false) return null;
  return pamrOptions(refine === true ? {} : refine);
}

/** An image's RGB as planes [3, H, W] in 0..1 (alpha dropped). */
export function rgbPlanes(raw: RawImage): Float32Array {
  const n = raw.width * raw.height;
  const out = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) for (let k = 0; k < 3; k++) out[k * n + p] = raw.data[p * raw.channels + k] / 255;
  return out;
}

/** Planes [K, h, w] resized bilinearly to [K, H, W]. */
export function resizePlanes(
  planes: Float32Array,
  K: number,
  h: number,
  w: number,
  H: number,
  W: number,
): Float32Array {
  if (h === H && w === W) return planes;
  const out = new Float32Array(K * H * W);
  for (let k = 0; k < K; k++)
    out.set(upsampleBilinear(planes.subarray(k * h * w, (k + 1) * h * w), h, w, H, W), k * H * W);
  return out;
}

/**
 * PAMR of full-size maps [C, H, W] by an image [K, H, W] (any per-channel scale: PAMR's affinity
 * does not depend on it), on the GPU: the refined maps [C, H, W].
 */
export async function refineMaps(
  ctx: GpuContext,
  image: Float32Array,
  K: number,
  maps: Float32Array,
  C: number,
  H: number,
  W: number,
  options: Required<PamrOptions>,
): Promise<Float32Array> {
  const pass = ctx.pass();
  const out = pamr(pass, pass.input([K, H, W], image), pass.input([C, H, W], maps), options);
  const [refined] = await pass.run([out]);
  return refined;
}

/**
 * Maps on a [gh, gw] grid (one Float32Array each) upsampled bilinearly to `size` x `size` and refined
 * by `view` [3, S, S] (the model's view of the image, resized to `size`). The grid covers the top-left
 * `span` x `span` pixels (default all of them: a patch grid whose input is a multiple of the patch);
 * the rest of a map takes its minimum. One refined map per grid map.
 */
export async function refineGridMaps(
  ctx: GpuContext,
  view: Float32Array,
  S: number,
  maps: readonly Float32Array[],
  [gh, gw]: readonly [number, number],
  size: number,
  options: Required<PamrOptions>,
  span = size,
): Promise<Float32Array[]> {
  const M = size * size;
  const up = new Float32Array(maps.length * M);
  maps.forEach((map, i) => {
    const inner = upsampleBilinear(map, gh, gw, span, span);
    if (span === size) up.set(inner, i * M);
    else {
      up.fill(Math.min(...map), i * M, (i + 1) * M);
      for (let y = 0; y < span; y++) up.set(inner.subarray(y * span, (y + 1) * span), i * M + y * size);
    }
  });
  const out = await refineMaps(ctx, resizePlanes(view, 3, S, S, size, size), 3, up, maps.length, size, size, options);
  return maps.map((_, i) => out.slice(i * M, (i + 1) * M));
}
