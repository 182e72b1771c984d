/**
 * Compact weights for every matmul version without a copy of its body: a version's WGSL (with the
 * shared epilogue appended) is rewritten so that its W binding holds packed u32 words and each
 * `w[i]` becomes `load_w(i)`, which unpacks the same f32 (or vec4) the F32 code reads; INT8 also
 * binds its per-row scales and multiplies the accumulator by them in the epilogue. F32 keeps the
 * version's code untouched (the same pipelines as before compact weights existed).
 * Each rewrite checks that it matched, so a version edited out of the pattern fails at import.
 */
import type { WeightFormat } from './weight-formats.ts';

const W_DECL = /@group\(0\) @binding\(2\) var<storage, read> w: array<(vec4<f32>|f32)>;/;
const W_INDEX = /(?<![\w.])w\[([^[\]]+)\]/g;
const EPILOGUE_SCALE = 'var v = p.alpha * acc;';

/** `load_w(i)` per format, for versions that read W as f32 (i: element) or as vec4 along K (i: vec4). */
const LOADS: Record<Exclude<WeightFormat, 'f32'>, { scalar: string; vec4: string }> = {
  f16: {
    scalar: `@group(0) @binding(2) var<storage, read> w: array<u32>;
fn load_w(i: u32) -> f32 { return unpack2x16float(w[i >> 1u])[i & 1u]; }`,
    vec4: `@group(0) @binding(2) var<storage, read> w: array<vec2<u32>>;
fn load_w(i: u32) -> vec4<f32> { let u = w[i]; return vec4<f32>(unpack2x16float(u.x), unpack2x16float(u.y)); }`,
  },
  // bf16 is the top half of an f32: shift it into place.
  bf16: {
    scalar: `@group(0) @binding(2) var<storage, read> w: array<u32>;
fn load_w(i: u32) -> f32 { return bitcast<f32>((w[i >> 1u] >> (16u * (i & 1u))) << 16u); }`,
    vec4: `@group(0) @binding(2) var<storage, read> w: array<vec2<u32>>;
fn load_w(i: u32) -> vec4<f32> {
  let u = w[i];
  return bitcast<vec4<f32>>(vec4<u32>(u.x << 16u, u.x & 0xffff0000u, u.y << 16u, u.y & 0xffff0000u));
}`,
  },
  // Sign-extend each byte: shift it to the top, then arithmetic shift right (portable, no packed_4x8 feature needed).
  int8: {
    scalar: `@group(0) @binding(2) var<storage, read> w: array<u32>;
@group(0) @binding(6) var<storage, read> w_scale: array<f32>;
fn load_w(i: u32) -> f32 { return f32(bitcast<i32>(w[i >> 2u] << (24u - 8u * (i & 3u))) >> 24u); }`,
    vec4: `@group(0) @binding(2) var<storage, read> w: array<u32>;
@group(0) @binding(6) var<storage, read> w_scale: array<f32>;
fn load_w(i: u32) -> vec4<f32> {
  let u = w[i];
  return vec4<f32>(bitcast<vec4<i32>>(vec4<u32>(u << 24u, u << 16u, u << 8u, u)) >> vec4<u32>(24u));
}`,
  },
};

function replaceChecked(code: string, pattern: RegExp | string, by: string, what: string): string {
  const out = code.replace(pattern, by);
  if (out === code) throw new Error(`matmul compact weights: ${what} not found in a version's WGSL`);
  return out;
}

/** A matmul version's assembled WGSL with W in `format`. */
export function compactWeightsCode(code: string, format: WeightFormat): string {
  if (format === 'f32') return code;
  const decl = W_DECL.exec(code);
  if (!decl) throw new Error('matmul compact weights: the W binding (array<f32> or array<vec4<f32>>) not found');
  const loads = LOADS[format][decl[1] === 'f32' ? 'scalar' : 'vec4'];
  let out = replaceChecked(code, W_INDEX, 'load_w($1)', 'w[...]');
  out = out.replace(W_DECL, loads);
  if (format === 'int8')
    out = replaceChecked(out, EPILOGUE_SCALE, 'var v = p.alpha * (acc * w_scale[c]);', EPILOGUE_SCALE);
  return out;
}
