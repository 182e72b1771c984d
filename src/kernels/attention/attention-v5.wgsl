// attention v5 (for GPUs): as v2 (one query row per invocation, 64 per workgroup, online softmax in chunks of
// 4 keys), but the workgroup stages tiles of 32 keys' k and v in workgroup memory (flash-attention style),
// two barriers per tile, so global k/v traffic is once per 64 query rows. q and the accumulator are 16
// unrolled vec4 registers (hd = 4·HD4 <= 64, else v1). Causal: tiles up to the workgroup's last row.
struct Params { T: u32, H: u32, hd: u32, stride: u32, qOff: u32, kOff: u32, vOff: u32, causal: u32, scale: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<vec4<f32>>; // [B, T, 3D]
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>; // [B, T, D]

override HD4: u32 = 16u; // head size / 4, 1..16
const WG = 64u; // query rows per workgroup, one per invocation
const TK = 32u; // keys per K/V tile
const LOG2E = 1.4426950408889634;
const NEG = -0x1.fffffep+127f;
var<workgroup> ks: array<vec4<f32>, 512>; // [TK][16]
var<workgroup> vs: array<vec4<f32>, 512>; // [TK][16]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let last = p.T - 1u;
  let iRaw = wg.x * WG + li;
  let i = min(iRaw, last); // rows past T compute row T-1 and are not stored
  let h = wg.y;
  let b = wg.z;
  let stride = p.stride / 4u;
  let kBase = b * p.T * stride + p.kOff / 4u + h * HD4;
  let vBase = b * p.T * stride + p.vOff / 4u + h * HD4;
  let qBase = (b * p.T + i) * stride + p.qOff / 4u + h * HD4;
  let qs = p.scale * LOG2E; // scores in log2 units: exp2 instead of exp
  let causal = p.causal == 1u;
  let n = select(p.T, i + 1u, causal); // this row's keys
  let nWg = select(p.T, min(wg.x * WG + WG, p.T), causal); // the workgroup's keys (uniform)
  var q0 = vec4<f32>(0.0);
  var a0 = vec4<f32>(0.0);
  var q1 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var q2 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var q3 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  var q4 = vec4<f32>(0.0);
  var a4 = vec4<f32>(0.0);
  var q5 = vec4<f32>(0.0);
  var a5 = vec4<f32>(0.0);
  var q6 = vec4<f32>(0.0);
  var a6 = vec4<f32>(0.0);
  var q7 = vec4<f32>(0.0);
  var a7 = vec4<f32>(0.0);
  var q8 = vec4<f32>(0.0);
  var a8 = vec4<f32>(0.0);
  var q9 = vec4<f32>(0.0);
  var a9 = vec4<f32>(0.0);
  var q10 = vec4<f32>(0.0);
  var a10 = vec4<f32>(0.0);
  var q11 = vec4<f32>(0.0);
  var a11 = vec4<f32>(0.0);
  var q12 = vec4<f32>(0.0);
  var a12 = vec4<f32>(0.0);
  var q13 = vec4<f32>(0.0);
  var a13 = vec4<f32>(0.0);
  var q14 = vec4<f32>(0.0);
  var a14 = vec4<f32>(0.0);
  var q15 = vec4<f32>(0.0);
  var a15 = vec4<f32>(0.0);
  if (HD4 > 0u) { q0 = qkv[qBase + 0u] * qs; }
  if (HD4 > 1u) { q1 = qkv[qBase + 1u] * qs; }
  if (HD4 > 2u) { q2 = qkv[qBase + 2u] * qs; }
  if (HD4 > 3u) { q3 = qkv[qBase + 3u] * qs; }
  if (HD4 > 4u) { q4 = qkv[qBase + 4u] * qs; }
  if (HD4 > 5u) { q5 = qkv[qBase + 5u] * qs; }
  if (HD4 > 6u) { q6 = qkv[qBase + 6u] * qs; }
  if (HD4 > 7u) { q7 = qkv[qBase + 7u] * qs; }
  if (HD4 > 8u) { q8 = qkv[qBase + 8u] * qs; }
  if (HD4 > 9u) { q9 = qkv[qBase + 9u] * qs; }
  if (HD4 > 10u) { q10 = qkv[qBase + 10u] * qs; }
  if (HD4 > 11u) { q11 = qkv[qBase + 11u] * qs; }
  if (HD4 > 12u) { q12 = qkv[qBase + 12u] * qs; }
  if (HD4 > 13u) { q13 = qkv[qBase + 13u] * qs; }
  if (HD4 > 14u) { q14 = qkv[qBase + 14u] * qs; }
  if (HD4 > 15u) { q15 = qkv[qBase + 15u] * qs; }
  var m = NEG;
  var l = 0.0;
  for (var t0 = 0u; t0 < nWg; t0 += TK) {
    // Stage TK keys and values (rows past the end clamped to T-1, never used).
    for (var e = li; e < TK * HD4; e += WG) {
      let kk = e / HD4;
      let d = e - kk * HD4;
      let r = min(t0 + kk, last) * stride + d;
      ks[kk * 16u + d] = qkv[kBase + r];
      vs[kk * 16u + d] = qkv[vBase + r];
    }
    workgroupBarrier();
    let nt = min(TK, n - min(n, t0)); // this row's keys in the tile
    for (var j = 0u; j < nt; j += 4u) {
      let r0 = (j + 0u) * 16u;
      var t0 = vec4<f32>(0.0);
      let r1 = (j + 1u) * 16u;
      var t1 = vec4<f32>(0.0);
      let r2 = (j + 2u) * 16u;
      var t2 = vec4<f32>(0.0);
      let r3 = (j + 3u) * 16u;
      var t3 = vec4<f32>(0.0);
      if (HD4 > 0u) { t0 = fma(q0, ks[r0 + 0u], t0); t1 = fma(q0, ks[r1 + 0u], t1); t2 = fma(q0, ks[r2 + 0u], t2); t3 = fma(q0, ks[r3 + 0u], t3); }
      if (HD4 > 1u) { t0 = fma(q1, ks[r0 + 1u], t0); t1 = fma(q1, ks[r1 + 1u], t1); t2 = fma(q1, ks[r2 + 1u], t2); t3 = fma(q1, ks[r3 + 1u], t3); }
      if (HD4 > 2u) { t0 = fma(q2, ks[r0 + 2u], t0); t1 = fma(q2, ks[r1 + 2u], t1); t2 = fma(q2, ks[r2 + 2u], t2); t3 = fma(q2, ks[r3 + 2u], t3); }
      if (HD4 > 3u) { t0 = fma(q3, ks[r0 + 3u], t0); t1 = fma(q3, ks[r1 + 3u], t1); t2 = fma(q3, ks[r2 + 3u], t2); t3 = fma(q3, ks[r3 + 3u], t3); }
      if (HD4 > 4u) { t0 = fma(q4, ks[r0 + 4u], t0); t1 = fma(q4, ks[r1 + 4u], t1); t2 = fma(q4, ks[r2 + 4u], t2); t3 = fma(q4, ks[r3 + 4u], t3); }
      if (HD4 > 5u) { t0 = fma(q5, ks[r0 + 5u], t0); t1 = fma(q5, ks[r1 + 5u], t1); t2 = fma(q5, ks[r2 + 5u], t2); t3 = fma(q5, ks[r3 + 5u], t3); }
      if (HD4 > 6u) { t0 = fma(q6, ks[r0 + 6u], t0); t1 = fma(q6, ks[r1 + 6u], t1); t2 = fma(q6, ks[r2 + 6u], t2); t3 = fma(q6, ks[r3 + 6u], t3); }
      if (HD4 > 7u) { t0 = fma(q7, ks[r0 + 7u], t0); t1 = fma(q7, ks[r1 + 7u], t1); t2 = fma(q7, ks[r2 + 7u], t2); t3 = fma(q7, ks[r3 + 7u], t3); }
      if (HD4 > 8u) { t0 = fma(q8, ks[r0 + 8u], t0); t1 = fma(q8, ks[r1 + 8u], t1); t2 = fma(q8, ks[r2 + 8u], t2); t3 = fma(q8, ks[r3 + 8u], t3); }
      if (HD4 > 9u) { t0 = fma(q9, ks[r0 + 9u], t0); t1 = fma(q9, ks[r1 + 9u], t1); t2 = fma(q9, ks[r2 + 9u], t2); t3 = fma(q9, ks[r3 + 9u], t3); }
      if (HD4 > 10u) { t0 = fma(q10, ks[r0 + 10u], t0); t1 = fma(q10, ks[r1 + 10u], t1); t2 = fma(q10, ks[r2 + 10u], t2); t3 = fma(q10, ks[r3 + 10u], t3); }
      if (HD4 > 11u) { t0 = fma(q11, ks[r0 + 11u], t0); t1 = fma(q11, ks[r1 + 11u], t1); t2 = fma(q11, ks[r2 + 11u], t2); t3 = fma(q11, ks[r3 + 11u], t3); }
      if (HD4 > 12u) { t0 = fma(q12, ks[r0 + 12u], t0); t1 = fma(q12, ks[r1 + 12u], t1); t2 = fma(q12, ks[r2 + 12u], t2); t3 = fma(q12, ks[r3 + 12u], t3); }
      if (HD4 > 13u) { t0 = fma(q13, ks[r0 + 13u], t0); t1 = fma(q13, ks[r1 + 13u], t1); t2 = fma(q13, ks[r2 + 13u], t2); t3 = fma(q13, ks[r3 + 13u], t3); }
      if (HD4 > 14u) { t0 = fma(q14, ks[r0 + 14u], t0); t1 = fma(q14, ks[r1 + 14u], t1); t2 = fma(q14, ks[r2 + 14u], t2); t3 = fma(q14, ks[r3 + 14u], t3); }
      if (HD4 > 15u) { t0 = fma(q15, ks[r0 + 15u], t0); t1 = fma(q15, ks[r1 + 15u], t1); t2 = fma(q15, ks[r2 + 15u], t2); t3 = fma(q15, ks[r3 + 15u], t3); }
      let s0 = select(NEG, t0.x + t0.y + t0.z + t0.w, j + 0u < nt);
      let s1 = select(NEG, t1.x + t1.y + t1.z + t1.w, j + 1u < nt);
      let s2 = select(NEG, t2.x + t2.y + t2.z + t2.w, j + 2u < nt);
      let s3 = select(NEG, t3.x + t3.y + t3.z + t3.w, j + 3u < nt);
      let mNew = max(max(m, max(s0, s1)), max(s2, s3));
      let c = exp2(m - mNew);
      m = mNew;
      let p0 = select(0.0, exp2(s0 - mNew), j + 0u < nt);
      let p1 = select(0.0, exp2(s1 - mNew), j + 1u < nt);
      let p2 = select(0.0, exp2(s2 - mNew), j + 2u < nt);
      let p3 = select(0.0, exp2(s3 - mNew), j + 3u < nt);
      l = l * c + ((p0 + p1) + (p2 + p3));
      if (HD4 > 0u) { a0 = a0 * c; a0 = fma(vec4<f32>(p0), vs[r0 + 0u], a0); a0 = fma(vec4<f32>(p1), vs[r1 + 0u], a0); a0 = fma(vec4<f32>(p2), vs[r2 + 0u], a0); a0 = fma(vec4<f32>(p3), vs[r3 + 0u], a0); }
      if (HD4 > 1u) { a1 = a1 * c; a1 = fma(vec4<f32>(p0), vs[r0 + 1u], a1); a1 = fma(vec4<f32>(p1), vs[r1 + 1u], a1); a1 = fma(vec4<f32>(p2), vs[r2 + 1u], a1); a1 = fma(vec4<f32>(p3), vs[r3 + 1u], a1); }
      if (HD4 > 2u) { a2 = a2 * c; a2 = fma(vec4<f32>(p0), vs[r0 + 2u], a2); a2 = fma(vec4<f32>(p1), vs[r1 + 2u], a2); a2 = fma(vec4<f32>(p2), vs[r2 + 2u], a2); a2 = fma(vec4<f32>(p3), vs[r3 + 2u], a2); }
      if (HD4 > 3u) { a3 = a3 * c; a3 = fma(vec4<f32>(p0), vs[r0 + 3u], a3); a3 = fma(vec4<f32>(p1), vs[r1 + 3u], a3); a3 = fma(vec4<f32>(p2), vs[r2 + 3u], a3); a3 = fma(vec4<f32>(p3), vs[r3 + 3u], a3); }
      if (HD4 > 4u) { a4 = a4 * c; a4 = fma(vec4<f32>(p0), vs[r0 + 4u], a4); a4 = fma(vec4<f32>(p1), vs[r1 + 4u], a4); a4 = fma(vec4<f32>(p2), vs[r2 + 4u], a4); a4 = fma(vec4<f32>(p3), vs[r3 + 4u], a4); }
      if (HD4 > 5u) { a5 = a5 * c; a5 = fma(vec4<f32>(p0), vs[r0 + 5u], a5); a5 = fma(vec4<f32>(p1), vs[r1 + 5u], a5); a5 = fma(vec4<f32>(p2), vs[r2 + 5u], a5); a5 = fma(vec4<f32>(p3), vs[r3 + 5u], a5); }
      if (HD4 > 6u) { a6 = a6 * c; a6 = fma(vec4<f32>(p0), vs[r0 + 6u], a6); a6 = fma(vec4<f32>(p1), vs[r1 + 6u], a6); a6 = fma(vec4<f32>(p2), vs[r2 + 6u], a6); a6 = fma(vec4<f32>(p3), vs[r3 + 6u], a6); }
      if (HD4 > 7u) { a7 = a7 * c; a7 = fma(vec4<f32>(p0), vs[r0 + 7u], a7); a7 = fma(vec4<f32>(p1), vs[r1 + 7u], a7); a7 = fma(vec4<f32>(p2), vs[r2 + 7u], a7); a7 = fma(vec4<f32>(p3), vs[r3 + 7u], a7); }
      if (HD4 > 8u) { a8 = a8 * c; a8 = fma(vec4<f32>(p0), vs[r0 + 8u], a8); a8 = fma(vec4<f32>(p1), vs[r1 + 8u], a8); a8 = fma(vec4<f32>(p2), vs[r2 + 8u], a8); a8 = fma(vec4<f32>(p3), vs[r3 + 8u], a8); }
      if (HD4 > 9u) { a9 = a9 * c; a9 = fma(vec4<f32>(p0), vs[r0 + 9u], a9); a9 = fma(vec4<f32>(p1), vs[r1 + 9u], a9); a9 = fma(vec4<f32>(p2), vs[r2 + 9u], a9); a9 = fma(vec4<f32>(p3), vs[r3 + 9u], a9); }
      if (HD4 > 10u) { a10 = a10 * c; a10 = fma(vec4<f32>(p0), vs[r0 + 10u], a10); a10 = fma(vec4<f32>(p1), vs[r1 + 10u], a10); a10 = fma(vec4<f32>(p2), vs[r2 + 10u], a10); a10 = fma(vec4<f32>(p3), vs[r3 + 10u], a10); }
      if (HD4 > 11u) { a11 = a11 * c; a11 = fma(vec4<f32>(p0), vs[r0 + 11u], a11); a11 = fma(vec4<f32>(p1), vs[r1 + 11u], a11); a11 = fma(vec4<f32>(p2), vs[r2 + 11u], a11); a11 = fma(vec4<f32>(p3), vs[r3 + 11u], a11); }
      if (HD4 > 12u) { a12 = a12 * c; a12 = fma(vec4<f32>(p0), vs[r0 + 12u], a12); a12 = fma(vec4<f32>(p1), vs[r1 + 12u], a12); a12 = fma(vec4<f32>(p2), vs[r2 + 12u], a12); a12 = fma(vec4<f32>(p3), vs[r3 + 12u], a12); }
      if (HD4 > 13u) { a13 = a13 * c; a13 = fma(vec4<f32>(p0), vs[r0 + 13u], a13); a13 = fma(vec4<f32>(p1), vs[r1 + 13u], a13); a13 = fma(vec4<f32>(p2), vs[r2 + 13u], a13); a13 = fma(vec4<f32>(p3), vs[r3 + 13u], a13); }
      if (HD4 > 14u) { a14 = a14 * c; a14 = fma(vec4<f32>(p0), vs[r0 + 14u], a14); a14 = fma(vec4<f32>(p1), vs[r1 + 14u], a14); a14 = fma(vec4<f32>(p2), vs[r2 + 14u], a14); a14 = fma(vec4<f32>(p3), vs[r3 + 14u], a14); }
      if (HD4 > 15u) { a15 = a15 * c; a15 = fma(vec4<f32>(p0), vs[r0 + 15u], a15); a15 = fma(vec4<f32>(p1), vs[r1 + 15u], a15); a15 = fma(vec4<f32>(p2), vs[r2 + 15u], a15); a15 = fma(vec4<f32>(p3), vs[r3 + 15u], a15); }
    }
    workgroupBarrier();
  }
  if (iRaw < p.T) {
    let inv = 1.0 / l;
    let yBase = (b * p.T + i) * p.H * HD4 + h * HD4;
    if (HD4 > 0u) { y[yBase + 0u] = a0 * inv; }
    if (HD4 > 1u) { y[yBase + 1u] = a1 * inv; }
    if (HD4 > 2u) { y[yBase + 2u] = a2 * inv; }
    if (HD4 > 3u) { y[yBase + 3u] = a3 * inv; }
    if (HD4 > 4u) { y[yBase + 4u] = a4 * inv; }
    if (HD4 > 5u) { y[yBase + 5u] = a5 * inv; }
    if (HD4 > 6u) { y[yBase + 6u] = a6 * inv; }
    if (HD4 > 7u) { y[yBase + 7u] = a7 * inv; }
    if (HD4 > 8u) { y[yBase + 8u] = a8 * inv; }
    if (HD4 > 9u) { y[yBase + 9u] = a9 * inv; }
    if (HD4 > 10u) { y[yBase + 10u] = a10 * inv; }
    if (HD4 > 11u) { y[yBase + 11u] = a11 * inv; }
    if (HD4 > 12u) { y[yBase + 12u] = a12 * inv; }
    if (HD4 > 13u) { y[yBase + 13u] = a13 * inv; }
    if (HD4 > 14u) { y[yBase + 14u] = a14 * inv; }
    if (HD4 > 15u) { y[yBase + 15u] = a15 * inv; }
  }
}
