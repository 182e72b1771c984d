/**
 * Resampling that reproduces Pillow bit for bit (libImaging/Resample.c, Geometry.c, Convert.c),
 * because CLIP's reference preprocessing is PIL's `Image.resize(size, BICUBIC)`.
 * Images are interleaved u8, row-major, `channels` values per pixel.
 */

/** Pillow keeps 8 bits for the result and 2 for the overshoot of negative-lobed filters. */
const PRECISION_BITS = 32 - 8 - 2;
const HALF = 1 << (PRECISION_BITS - 1);

export type U8Pixels = Uint8Array | Uint8ClampedArray;

/** Keys's cubic with a = -0.5, support 2, written exactly as Pillow evaluates it. */
function bicubicFilter(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Coefficients {
  ksize: number;
  /** Per output pixel: first input index and tap count. */
  first: Int32Array;
  count: Int32Array;
  /** ksize fixed-point weights per output pixel. */
  weights: Int32Array;
}

/**
 * Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the box [0, inSize]: when downscaling
 * the filter is stretched by the scale factor (antialiasing), weights are normalized in float64,
 * then rounded half away from zero to 22-bit fixed point.
 */
function precomputeCoefficients(inSize: number, outSize: number): Coefficients {
  const support0 = 2.0;
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1.0);
  const support = support0 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const w = new Float64Array(ksize);
  const ss = 1.0 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = 0 + (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero.
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let ww = 0.0;
    for (let x = 0; x < xmax; x++) {
      const v = bicubicFilter((x + xmin - center + 0.5) * ss);
      w[x] = v;
      ww += v;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0.0 ? w[x] / ww : w[x];
      weights[xx * ksize + x] =
        v < 0 ? Math.trunc(-0.5 + v * (1 << PRECISION_BITS)) : Math.trunc(0.5 + v * (1 << PRECISION_BITS));
    }
    first[xx] = xmin;
    count[xx] = xmax;
  }
  return { ksize, first, count, weights };
}

/** Pillow's clip8: drop the fraction bits (arithmetic shift), clamp to 0..255. */
function clip8(ss: number): number {
  const v = ss >> PRECISION_BITS;
  return Math.min(Math.max(v, 0), 255);
}

function resampleHorizontal(src: U8Pixels, width: number, height: number, channels: number, outW: number): Uint8Array {
  const { ksize, first, count, weights } = precomputeCoefficients(width, outW);
  const out = new Uint8Array(outW * height * channels);
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    for (let xx = 0; xx < outW; xx++) {
      const k0 = xx * ksize;
      const base = row + first[xx] * channels;
      const n = count[xx];
      const o = (y * outW + xx) * channels;
      for (let c = 0; c < channels; c++) {
        let ss = HALF;
        for (let x = 0; x < n; x++) ss += src[base + x * channels + c] * weights[k0 + x];
        out[o + c] = clip8(ss);
      }
    }
  }
  return out;
}

function resampleVertical(src: U8Pixels, width: number, height: number, channels: number, outH: number): Uint8Array {
  const { ksize, first, count, weights } = precomputeCoefficients(height, outH);
  const stride = width * channels;
  const out = new Uint8Array(width * outH * channels);
  for (let yy = 0; yy < outH; yy++) {
    const k0 = yy * ksize;
    const base = first[yy] * stride;
    const n = count[yy];
    for (let i = 0; i < stride; i++) {
      let ss = HALF;
      for (let y = 0; y < n; y++) ss += src[base + y * stride + i] * weights[k0 + y];
      out[yy * stride + i] = clip8(ss);
    }
  }
  return out;
}

/**
 * `ImagingResample` with BICUBIC on 8-bit bands: horizontal pass first, then vertical, each rounded
 * and clipped to u8; a pass whose size is unchanged is skipped. Per-channel, so it is PIL's result
 * for modes L, RGB, RGBX and (already premultiplied) RGBa / La.
 */
export function resizeBicubic(
  src: U8Pixels,
  width: number,
  height: number,
  channels: number,
  outW: number,
  outH: number,
): Uint8Array {
  let data: U8Pixels = src;
  if (outW !== width) data = resampleHorizontal(data, width, height, channels, outW);
  if (outH !== height) data = resampleVertical(data, outW, height, channels, outH);
  return data === src ? Uint8Array.from(src) : (data as Uint8Array);
}

/**
 * PIL's NEAREST resize (`ImagingScaleAffine`), which `Image.resize` uses for palette ('P') and
 * bilevel ('1') images whatever filter was asked for. Source positions accumulate in float64 like PIL.
 */
export function resizeNearest(
  src: U8Pixels,
  width: number,
  height: number,
  channels: number,
  outW: number,
  outH: number,
): Uint8Array {
  const out = new Uint8Array(outW * outH * channels);
  const ax = width / outW;
  const ay = height / outH;
  const coord = (v: number) => (v < 0 ? -1 : Math.trunc(v));
  const xin = new Int32Array(outW);
  let xo = ax * 0.5;
  for (let x = 0; x < outW; x++, xo += ax) xin[x] = Math.min(coord(xo), width - 1);
  let yo = ay * 0.5;
  for (let y = 0; y < outH; y++, yo += ay) {
    const row = Math.min(coord(yo), height - 1) * width;
    for (let x = 0; x < outW; x++) {
      const s = (row + xin[x]) * channels;
      const o = (y * outW + x) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = src[s + c];
    }
  }
  return out;
}

/** PIL's RGBA -> RGBa: c * a / 255 with MULDIV255's rounding. */
export function premultiplyAlpha(rgba: U8Pixels): Uint8Array {
  const out = new Uint8Array(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3];
    for (let c = 0; c < 3; c++) {
      const t = rgba[i + c] * a + 128;
      out[i + c] = ((t >> 8) + t) >> 8;
    }
    out[i + 3] = a;
  }
  return out;
}

/** PIL's RGBa -> RGBA, in place: truncating division, clipped; alpha 0 and 255 keep the colour. */
export function unpremultiplyAlpha(rgba: Uint8Array): Uint8Array {
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3];
    if (a === 0 || a === 255) continue;
    for (let c = 0; c < 3; c++) rgba[i + c] = Math.min(255, Math.trunc((255 * rgba[i + c]) / a));
  }
  return rgba;
}
