// attention v2: vs v1, no workgroup memory and no barriers: one invocation per (query row, head, batch)
// (64 per workgroup) loops over the keys in chunks of 4 with an online softmax.
// Barrier-free: invocations are independent. Online softmax (running max m and sum l; the accumulator is
// rescaled by exp2(m_old - m_new) once per chunk of keys), scores in log2 units (q pre-scaled by scale·log2 e).
// q and the output accumulator are 16 unrolled vec4 registers per row (hd = 4·HD4 <= 64; the dispatcher
// runs v1 for other head sizes). k/v rows are loaded as vec4, at the same address in every invocation of a
// workgroup (consecutive invocations take consecutive query rows of one head). Causal: keys j <= i only
// (per row; an invocation's loop runs to its last row's keys, earlier rows mask the extra keys).
// Generated (unrolled) by scripts/attention-wgsl/make.py: edit the generator, then run it.
struct Params { T: u32, H: u32, hd: u32, stride: u32, qOff: u32, kOff: u32, vOff: u32, causal: u32, scale: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<vec4<f32>>; // [B, T, 3D]
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>; // [B, T, D]

override HD4: u32 = 16u; // head size / 4, 1..16
override WG: u32 = 64u; // invocations per workgroup (1 query row each)
const LOG2E = 1.4426950408889634;
const NEG = -0x1.fffffep+127f;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i0 = wg.x * WG * 1u + li;
  if (i0 >= p.T) { return; }
  let h = wg.y;
  let b = wg.z;
  let stride = p.stride / 4u;
  let kBase = b * p.T * stride + p.kOff / 4u + h * HD4;
  let vBase = b * p.T * stride + p.vOff / 4u + h * HD4;
  let qs = p.scale * LOG2E; // scores in log2 units: exp2 instead of exp
  let causal = p.causal == 1u;
  let last = p.T - 1u;
  let n0 = select(p.T, i0 + 1u, causal); // causal: key j > query i is masked out
  let qBase0 = (b * p.T + i0) * stride + p.qOff / 4u + h * HD4;
  var m0 = NEG;
  var l0 = 0.0;
  var q0_0 = vec4<f32>(0.0);
  var a0_0 = vec4<f32>(0.0);
  var q0_1 = vec4<f32>(0.0);
  var a0_1 = vec4<f32>(0.0);
  var q0_2 = vec4<f32>(0.0);
  var a0_2 = vec4<f32>(0.0);
  var q0_3 = vec4<f32>(0.0);
  var a0_3 = vec4<f32>(0.0);
  var q0_4 = vec4<f32>(0.0);
  var a0_4 = vec4<f32>(0.0);
  var q0_5 = vec4<f32>(0.0);
  var a0_5 = vec4<f32>(0.0);
  var q0_6 = vec4<f32>(0.0);
  var a0_6 = vec4<f32>(0.0);
  var q0_7 = vec4<f32>(0.0);
  var a0_7 = vec4<f32>(0.0);
  var q0_8 = vec4<f32>(0.0);
  var a0_8 = vec4<f32>(0.0);
  var q0_9 = vec4<f32>(0.0);
  var a0_9 = vec4<f32>(0.0);
  var q0_10 = vec4<f32>(0.0);
  var a0_10 = vec4<f32>(0.0);
  var q0_11 = vec4<f32>(0.0);
  var a0_11 = vec4<f32>(0.0);
  var q0_12 = vec4<f32>(0.0);
  var a0_12 = vec4<f32>(0.0);
  var q0_13 = vec4<f32>(0.0);
  var a0_13 = vec4<f32>(0.0);
  var q0_14 = vec4<f32>(0.0);
  var a0_14 = vec4<f32>(0.0);
  var q0_15 = vec4<f32>(0.0);
  var a0_15 = vec4<f32>(0.0);
  if (HD4 > 0u) { q0_0 = qkv[qBase0 + 0u] * qs; }
  if (HD4 > 1u) { q0_1 = qkv[qBase0 + 1u] * qs; }
  if (HD4 > 2u) { q0_2 = qkv[qBase0 + 2u] * qs; }
  if (HD4 > 3u) { q0_3 = qkv[qBase0 + 3u] * qs; }
  if (HD4 > 4u) { q0_4 = qkv[qBase0 + 4u] * qs; }
  if (HD4 > 5u) { q0_5 = qkv[qBase0 + 5u] * qs; }
  if (HD4 > 6u) { q0_6 = qkv[qBase0 + 6u] * qs; }
  if (HD4 > 7u) { q0_7 = qkv[qBase0 + 7u] * qs; }
  if (HD4 > 8u) { q0_8 = qkv[qBase0 + 8u] * qs; }
  if (HD4 > 9u) { q0_9 = qkv[qBase0 + 9u] * qs; }
  if (HD4 > 10u) { q0_10 = qkv[qBase0 + 10u] * qs; }
  if (HD4 > 11u) { q0_11 = qkv[qBase0 + 11u] * qs; }
  if (HD4 > 12u) { q0_12 = qkv[qBase0 + 12u] * qs; }
  if (HD4 > 13u) { q0_13 = qkv[qBase0 + 13u] * qs; }
  if (HD4 > 14u) { q0_14 = qkv[qBase0 + 14u] * qs; }
  if (HD4 > 15u) { q0_15 = qkv[qBase0 + 15u] * qs; }
  let nKeys = n0;
  for (var j0 = 0u; j0 < nKeys; j0 += 4u) {
    // Rows past the end are clamped to T-1 (the same for every lane) and masked below.
    let r0 = min(j0 + 0u, last) * stride;
    let r1 = min(j0 + 1u, last) * stride;
    let r2 = min(j0 + 2u, last) * stride;
    let r3 = min(j0 + 3u, last) * stride;
    var t0_0 = vec4<f32>(0.0);
    var t0_1 = vec4<f32>(0.0);
    var t0_2 = vec4<f32>(0.0);
    var t0_3 = vec4<f32>(0.0);
    if (HD4 > 0u) { let k0 = qkv[kBase + r0 + 0u]; let k1 = qkv[kBase + r1 + 0u]; let k2 = qkv[kBase + r2 + 0u]; let k3 = qkv[kBase + r3 + 0u]; t0_0 = fma(q0_0, k0, t0_0); t0_1 = fma(q0_0, k1, t0_1); t0_2 = fma(q0_0, k2, t0_2); t0_3 = fma(q0_0, k3, t0_3); }
    if (HD4 > 1u) { let k0 = qkv[kBase + r0 + 1u]; let k1 = qkv[kBase + r1 + 1u]; let k2 = qkv[kBase + r2 + 1u]; let k3 = qkv[kBase + r3 + 1u]; t0_0 = fma(q0_1, k0, t0_0); t0_1 = fma(q0_1, k1, t0_1); t0_2 = fma(q0_1, k2, t0_2); t0_3 = fma(q0_1, k3, t0_3); }
    if (HD4 > 2u) { let k0 = qkv[kBase + r0 + 2u]; let k1 = qkv[kBase + r1 + 2u]; let k2 = qkv[kBase + r2 + 2u]; let k3 = qkv[kBase + r3 + 2u]; t0_0 = fma(q0_2, k0, t0_0); t0_1 = fma(q0_2, k1, t0_1); t0_2 = fma(q0_2, k2, t0_2); t0_3 = fma(q0_2, k3, t0_3); }
    if (HD4 > 3u) { let k0 = qkv[kBase + r0 + 3u]; let k1 = qkv[kBase + r1 + 3u]; let k2 = qkv[kBase + r2 + 3u]; let k3 = qkv[kBase + r3 + 3u]; t0_0 = fma(q0_3, k0, t0_0); t0_1 = fma(q0_3, k1, t0_1); t0_2 = fma(q0_3, k2, t0_2); t0_3 = fma(q0_3, k3, t0_3); }
    if (HD4 > 4u) { let k0 = qkv[kBase + r0 + 4u]; let k1 = qkv[kBase + r1 + 4u]; let k2 = qkv[kBase + r2 + 4u]; let k3 = qkv[kBase + r3 + 4u]; t0_0 = fma(q0_4, k0, t0_0); t0_1 = fma(q0_4, k1, t0_1); t0_2 = fma(q0_4, k2, t0_2); t0_3 = fma(q0_4, k3, t0_3); }
    if (HD4 > 5u) { let k0 = qkv[kBase + r0 + 5u]; let k1 = qkv[kBase + r1 + 5u]; let k2 = qkv[kBase + r2 + 5u]; let k3 = qkv[kBase + r3 + 5u]; t0_0 = fma(q0_5, k0, t0_0); t0_1 = fma(q0_5, k1, t0_1); t0_2 = fma(q0_5, k2, t0_2); t0_3 = fma(q0_5, k3, t0_3); }
    if (HD4 > 6u) { let k0 = qkv[kBase + r0 + 6u]; let k1 = qkv[kBase + r1 + 6u]; let k2 = qkv[kBase + r2 + 6u]; let k3 = qkv[kBase + r3 + 6u]; t0_0 = fma(q0_6, k0, t0_0); t0_1 = fma(q0_6, k1, t0_1); t0_2 = fma(q0_6, k2, t0_2); t0_3 = fma(q0_6, k3, t0_3); }
    if (HD4 > 7u) { let k0 = qkv[kBase + r0 + 7u]; let k1 = qkv[kBase + r1 + 7u]; let k2 = qkv[kBase + r2 + 7u]; let k3 = qkv[kBase + r3 + 7u]; t0_0 = fma(q0_7, k0, t0_0); t0_1 = fma(q0_7, k1, t0_1); t0_2 = fma(q0_7, k2, t0_2); t0_3 = fma(q0_7, k3, t0_3); }
    if (HD4 > 8u) { let k0 = qkv[kBase + r0 + 8u]; let k1 = qkv[kBase + r1 + 8u]; let k2 = qkv[kBase + r2 + 8u]; let k3 = qkv[kBase + r3 + 8u]; t0_0 = fma(q0_8, k0, t0_0); t0_1 = fma(q0_8, k1, t0_1); t0_2 = fma(q0_8, k2, t0_2); t0_3 = fma(q0_8, k3, t0_3); }
    if (HD4 > 9u) { let k0 = qkv[kBase + r0 + 9u]; let k1 = qkv[kBase + r1 + 9u]; let k2 = qkv[kBase + r2 + 9u]; let k3 = qkv[kBase + r3 + 9u]; t0_0 = fma(q0_9, k0, t0_0); t0_1 = fma(q0_9, k1, t0_1); t0_2 = fma(q0_9, k2, t0_2); t0_3 = fma(q0_9, k3, t0_3); }
    if (HD4 > 10u) { let k0 = qkv[kBase + r0 + 10u]; let k1 = qkv[kBase + r1 + 10u]; let k2 = qkv[kBase + r2 + 10u]; let k3 = qkv[kBase + r3 + 10u]; t0_0 = fma(q0_10, k0, t0_0); t0_1 = fma(q0_10, k1, t0_1); t0_2 = fma(q0_10, k2, t0_2); t0_3 = fma(q0_10, k3, t0_3); }
    if (HD4 > 11u) { let k0 = qkv[kBase + r0 + 11u]; let k1 = qkv[kBase + r1 + 11u]; let k2 = qkv[kBase + r2 + 11u]; let k3 = qkv[kBase + r3 + 11u]; t0_0 = fma(q0_11, k0, t0_0); t0_1 = fma(q0_11, k1, t0_1); t0_2 = fma(q0_11, k2, t0_2); t0_3 = fma(q0_11, k3, t0_3); }
    if (HD4 > 12u) { let k0 = qkv[kBase + r0 + 12u]; let k1 = qkv[kBase + r1 + 12u]; let k2 = qkv[kBase + r2 + 12u]; let k3 = qkv[kBase + r3 + 12u]; t0_0 = fma(q0_12, k0, t0_0); t0_1 = fma(q0_12, k1, t0_1); t0_2 = fma(q0_12, k2, t0_2); t0_3 = fma(q0_12, k3, t0_3); }
    if (HD4 > 13u) { let k0 = qkv[kBase + r0 + 13u]; let k1 = qkv[kBase + r1 + 13u]; let k2 = qkv[kBase + r2 + 13u]; let k3 = qkv[kBase + r3 + 13u]; t0_0 = fma(q0_13, k0, t0_0); t0_1 = fma(q0_13, k1, t0_1); t0_2 = fma(q0_13, k2, t0_2); t0_3 = fma(q0_13, k3, t0_3); }
    if (HD4 > 14u) { let k0 = qkv[kBase + r0 + 14u]; let k1 = qkv[kBase + r1 + 14u]; let k2 = qkv[kBase + r2 + 14u]; let k3 = qkv[kBase + r3 + 14u]; t0_0 = fma(q0_14, k0, t0_0); t0_1 = fma(q0_14, k1, t0_1); t0_2 = fma(q0_14, k2, t0_2); t0_3 = fma(q0_14, k3, t0_3); }
    if (HD4 > 15u) { let k0 = qkv[kBase + r0 + 15u]; let k1 = qkv[kBase + r1 + 15u]; let k2 = qkv[kBase + r2 + 15u]; let k3 = qkv[kBase + r3 + 15u]; t0_0 = fma(q0_15, k0, t0_0); t0_1 = fma(q0_15, k1, t0_1); t0_2 = fma(q0_15, k2, t0_2); t0_3 = fma(q0_15, k3, t0_3); }
    let s0_0 = select(NEG, t0_0.x + t0_0.y + t0_0.z + t0_0.w, j0 + 0u < n0);
    let s0_1 = select(NEG, t0_1.x + t0_1.y + t0_1.z + t0_1.w, j0 + 1u < n0);
    let s0_2 = select(NEG, t0_2.x + t0_2.y + t0_2.z + t0_2.w, j0 + 2u < n0);
    let s0_3 = select(NEG, t0_3.x + t0_3.y + t0_3.z + t0_3.w, j0 + 3u < n0);
    let mNew0 = max(m0, max(max(max(s0_0, s0_1), s0_2), s0_3));
    let c0 = exp2(m0 - mNew0);
    m0 = mNew0;
    let p0_0 = select(0.0, exp2(s0_0 - mNew0), j0 + 0u < n0);
    let p0_1 = select(0.0, exp2(s0_1 - mNew0), j0 + 1u < n0);
    let p0_2 = select(0.0, exp2(s0_2 - mNew0), j0 + 2u < n0);
    let p0_3 = select(0.0, exp2(s0_3 - mNew0), j0 + 3u < n0);
    l0 = l0 * c0 + p0_0 + p0_1 + p0_2 + p0_3;
    if (HD4 > 0u) { let v0 = qkv[vBase + r0 + 0u]; let v1 = qkv[vBase + r1 + 0u]; let v2 = qkv[vBase + r2 + 0u]; let v3 = qkv[vBase + r3 + 0u]; a0_0 = a0_0 * c0; a0_0 = fma(vec4<f32>(p0_0), v0, a0_0); a0_0 = fma(vec4<f32>(p0_1), v1, a0_0); a0_0 = fma(vec4<f32>(p0_2), v2, a0_0); a0_0 = fma(vec4<f32>(p0_3), v3, a0_0); }
    if (HD4 > 1u) { let v0 = qkv[vBase + r0 + 1u]; let v1 = qkv[vBase + r1 + 1u]; let v2 = qkv[vBase + r2 + 1u]; let v3 = qkv[vBase + r3 + 1u]; a0_1 = a0_1 * c0; a0_1 = fma(vec4<f32>(p0_0), v0, a0_1); a0_1 = fma(vec4<f32>(p0_1), v1, a0_1); a0_1 = fma(vec4<f32>(p0_2), v2, a0_1); a0_1 = fma(vec4<f32>(p0_3), v3, a0_1); }
    if (HD4 > 2u) { let v0 = qkv[vBase + r0 + 2u]; let v1 = qkv[vBase + r1 + 2u]; let v2 = qkv[vBase + r2 + 2u]; let v3 = qkv[vBase + r3 + 2u]; a0_2 = a0_2 * c0; a0_2 = fma(vec4<f32>(p0_0), v0, a0_2); a0_2 = fma(vec4<f32>(p0_1), v1, a0_2); a0_2 = fma(vec4<f32>(p0_2), v2, a0_2); a0_2 = fma(vec4<f32>(p0_3), v3, a0_2); }
    if (HD4 > 3u) { let v0 = qkv[vBase + r0 + 3u]; let v1 = qkv[vBase + r1 + 3u]; let v2 = qkv[vBase + r2 + 3u]; let v3 = qkv[vBase + r3 + 3u]; a0_3 = a0_3 * c0; a0_3 = fma(vec4<f32>(p0_0), v0, a0_3); a0_3 = fma(vec4<f32>(p0_1), v1, a0_3); a0_3 = fma(vec4<f32>(p0_2), v2, a0_3); a0_3 = fma(vec4<f32>(p0_3), v3, a0_3); }
    if (HD4 > 4u) { let v0 = qkv[vBase + r0 + 4u]; let v1 = qkv[vBase + r1 + 4u]; let v2 = qkv[vBase + r2 + 4u]; let v3 = qkv[vBase + r3 + 4u]; a0_4 = a0_4 * c0; a0_4 = fma(vec4<f32>(p0_0), v0, a0_4); a0_4 = fma(vec4<f32>(p0_1), v1, a0_4); a0_4 = fma(vec4<f32>(p0_2), v2, a0_4); a0_4 = fma(vec4<f32>(p0_3), v3, a0_4); }
    if (HD4 > 5u) { let v0 = qkv[vBase + r0 + 5u]; let v1 = qkv[vBase + r1 + 5u]; let v2 = qkv[vBase + r2 + 5u]; let v3 = qkv[vBase + r3 + 5u]; a0_5 = a0_5 * c0; a0_5 = fma(vec4<f32>(p0_0), v0, a0_5); a0_5 = fma(vec4<f32>(p0_1), v1, a0_5); a0_5 = fma(vec4<f32>(p0_2), v2, a0_5); a0_5 = fma(vec4<f32>(p0_3), v3, a0_5); }
    if (HD4 > 6u) { let v0 = qkv[vBase + r0 + 6u]; let v1 = qkv[vBase + r1 + 6u]; let v2 = qkv[vBase + r2 + 6u]; let v3 = qkv[vBase + r3 + 6u]; a0_6 = a0_6 * c0; a0_6 = fma(vec4<f32>(p0_0), v0, a0_6); a0_6 = fma(vec4<f32>(p0_1), v1, a0_6); a0_6 = fma(vec4<f32>(p0_2), v2, a0_6); a0_6 = fma(vec4<f32>(p0_3), v3, a0_6); }
    if (HD4 > 7u) { let v0 = qkv[vBase + r0 + 7u]; let v1 = qkv[vBase + r1 + 7u]; let v2 = qkv[vBase + r2 + 7u]; let v3 = qkv[vBase + r3 + 7u]; a0_7 = a0_7 * c0; a0_7 = fma(vec4<f32>(p0_0), v0, a0_7); a0_7 = fma(vec4<f32>(p0_1), v1, a0_7); a0_7 = fma(vec4<f32>(p0_2), v2, a0_7); a0_7 = fma(vec4<f32>(p0_3), v3, a0_7); }
    if (HD4 > 8u) { let v0 = qkv[vBase + r0 + 8u]; let v1 = qkv[vBase + r1 + 8u]; let v2 = qkv[vBase + r2 + 8u]; let v3 = qkv[vBase + r3 + 8u]; a0_8 = a0_8 * c0; a0_8 = fma(vec4<f32>(p0_0), v0, a0_8); a0_8 = fma(vec4<f32>(p0_1), v1, a0_8); a0_8 = fma(vec4<f32>(p0_2), v2, a0_8); a0_8 = fma(vec4<f32>(p0_3), v3, a0_8); }
    if (HD4 > 9u) { let v0 = qkv[vBase + r0 + 9u]; let v1 = qkv[vBase + r1 + 9u]; let v2 = qkv[vBase + r2 + 9u]; let v3 = qkv[vBase + r3 + 9u]; a0_9 = a0_9 * c0; a0_9 = fma(vec4<f32>(p0_0), v0, a0_9); a0_9 = fma(vec4<f32>(p0_1), v1, a0_9); a0_9 = fma(vec4<f32>(p0_2), v2, a0_9); a0_9 = fma(vec4<f32>(p0_3), v3, a0_9); }
    if (HD4 > 10u) { let v0 = qkv[vBase + r0 + 10u]; let v1 = qkv[vBase + r1 + 10u]; let v2 = qkv[vBase + r2 + 10u]; let v3 = qkv[vBase + r3 + 10u]; a0_10 = a0_10 * c0; a0_10 = fma(vec4<f32>(p0_0), v0, a0_10); a0_10 = fma(vec4<f32>(p0_1), v1, a0_10); a0_10 = fma(vec4<f32>(p0_2), v2, a0_10); a0_10 = fma(vec4<f32>(p0_3), v3, a0_10); }
    if (HD4 > 11u) { let v0 = qkv[vBase + r0 + 11u]; let v1 = qkv[vBase + r1 + 11u]; let v2 = qkv[vBase + r2 + 11u]; let v3 = qkv[vBase + r3 + 11u]; a0_11 = a0_11 * c0; a0_11 = fma(vec4<f32>(p0_0), v0, a0_11); a0_11 = fma(vec4<f32>(p0_1), v1, a0_11); a0_11 = fma(vec4<f32>(p0_2), v2, a0_11); a0_11 = fma(vec4<f32>(p0_3), v3, a0_11); }
    if (HD4 > 12u) { let v0 = qkv[vBase + r0 + 12u]; let v1 = qkv[vBase + r1 + 12u]; let v2 = qkv[vBase + r2 + 12u]; let v3 = qkv[vBase + r3 + 12u]; a0_12 = a0_12 * c0; a0_12 = fma(vec4<f32>(p0_0), v0, a0_12); a0_12 = fma(vec4<f32>(p0_1), v1, a0_12); a0_12 = fma(vec4<f32>(p0_2), v2, a0_12); a0_12 = fma(vec4<f32>(p0_3), v3, a0_12); }
    if (HD4 > 13u) { let v0 = qkv[vBase + r0 + 13u]; let v1 = qkv[vBase + r1 + 13u]; let v2 = qkv[vBase + r2 + 13u]; let v3 = qkv[vBase + r3 + 13u]; a0_13 = a0_13 * c0; a0_13 = fma(vec4<f32>(p0_0), v0, a0_13); a0_13 = fma(vec4<f32>(p0_1), v1, a0_13); a0_13 = fma(vec4<f32>(p0_2), v2, a0_13); a0_13 = fma(vec4<f32>(p0_3), v3, a0_13); }
    if (HD4 > 14u) { let v0 = qkv[vBase + r0 + 14u]; let v1 = qkv[vBase + r1 + 14u]; let v2 = qkv[vBase + r2 + 14u]; let v3 = qkv[vBase + r3 + 14u]; a0_14 = a0_14 * c0; a0_14 = fma(vec4<f32>(p0_0), v0, a0_14); a0_14 = fma(vec4<f32>(p0_1), v1, a0_14); a0_14 = fma(vec4<f32>(p0_2), v2, a0_14); a0_14 = fma(vec4<f32>(p0_3), v3, a0_14); }
    if (HD4 > 15u) { let v0 = qkv[vBase + r0 + 15u]; let v1 = qkv[vBase + r1 + 15u]; let v2 = qkv[vBase + r2 + 15u]; let v3 = qkv[vBase + r3 + 15u]; a0_15 = a0_15 * c0; a0_15 = fma(vec4<f32>(p0_0), v0, a0_15); a0_15 = fma(vec4<f32>(p0_1), v1, a0_15); a0_15 = fma(vec4<f32>(p0_2), v2, a0_15); a0_15 = fma(vec4<f32>(p0_3), v3, a0_15); }
  }
  let D4 = p.H * HD4;
  if (i0 + 0u * WG < p.T) {
    let inv = 1.0 / l0;
    let yBase = (b * p.T + i0 + 0u * WG) * D4 + h * HD4;
    if (HD4 > 0u) { y[yBase + 0u] = a0_0 * inv; }
    if (HD4 > 1u) { y[yBase + 1u] = a0_1 * inv; }
    if (HD4 > 2u) { y[yBase + 2u] = a0_2 * inv; }
    if (HD4 > 3u) { y[yBase + 3u] = a0_3 * inv; }
    if (HD4 > 4u) { y[yBase + 4u] = a0_4 * inv; }
    if (HD4 > 5u) { y[yBase + 5u] = a0_5 * inv; }
    if (HD4 > 6u) { y[yBase + 6u] = a0_6 * inv; }
    if (HD4 > 7u) { y[yBase + 7u] = a0_7 * inv; }
    if (HD4 > 8u) { y[yBase + 8u] = a0_8 * inv; }
    if (HD4 > 9u) { y[yBase + 9u] = a0_9 * inv; }
    if (HD4 > 10u) { y[yBase + 10u] = a0_10 * inv; }
    if (HD4 > 11u) { y[yBase + 11u] = a0_11 * inv; }
    if (HD4 > 12u) { y[yBase + 12u] = a0_12 * inv; }
    if (HD4 > 13u) { y[yBase + 13u] = a0_13 * inv; }
    if (HD4 > 14u) { y[yBase + 14u] = a0_14 * inv; }
    if (HD4 > 15u) { y[yBase + 15u] = a0_15 * inv; }
  }
}
