// attention v3: as v2, but each invocation computes 4 query rows (i, i+WG, i+2WG, i+3WG) in chunks of 2 keys,
// so each k/v vec4 loaded feeds 4 rows (the CPU adapters' loads, not their FMAs, bound v2); WG = the CPU's SIMD width.
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
override WG: u32 = 64u; // invocations per workgroup (4 query rows each)
const LOG2E = 1.4426950408889634;
const NEG = -0x1.fffffep+127f;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i0 = wg.x * WG * 4u + li;
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
  let i1 = min(i0 + 1u * WG, last); // rows past T repeat row T-1 and are not stored
  let n1 = select(p.T, i1 + 1u, causal); // causal: key j > query i is masked out
  let qBase1 = (b * p.T + i1) * stride + p.qOff / 4u + h * HD4;
  var m1 = NEG;
  var l1 = 0.0;
  var q1_0 = vec4<f32>(0.0);
  var a1_0 = vec4<f32>(0.0);
  var q1_1 = vec4<f32>(0.0);
  var a1_1 = vec4<f32>(0.0);
  var q1_2 = vec4<f32>(0.0);
  var a1_2 = vec4<f32>(0.0);
  var q1_3 = vec4<f32>(0.0);
  var a1_3 = vec4<f32>(0.0);
  var q1_4 = vec4<f32>(0.0);
  var a1_4 = vec4<f32>(0.0);
  var q1_5 = vec4<f32>(0.0);
  var a1_5 = vec4<f32>(0.0);
  var q1_6 = vec4<f32>(0.0);
  var a1_6 = vec4<f32>(0.0);
  var q1_7 = vec4<f32>(0.0);
  var a1_7 = vec4<f32>(0.0);
  var q1_8 = vec4<f32>(0.0);
  var a1_8 = vec4<f32>(0.0);
  var q1_9 = vec4<f32>(0.0);
  var a1_9 = vec4<f32>(0.0);
  var q1_10 = vec4<f32>(0.0);
  var a1_10 = vec4<f32>(0.0);
  var q1_11 = vec4<f32>(0.0);
  var a1_11 = vec4<f32>(0.0);
  var q1_12 = vec4<f32>(0.0);
  var a1_12 = vec4<f32>(0.0);
  var q1_13 = vec4<f32>(0.0);
  var a1_13 = vec4<f32>(0.0);
  var q1_14 = vec4<f32>(0.0);
  var a1_14 = vec4<f32>(0.0);
  var q1_15 = vec4<f32>(0.0);
  var a1_15 = vec4<f32>(0.0);
  if (HD4 > 0u) { q1_0 = qkv[qBase1 + 0u] * qs; }
  if (HD4 > 1u) { q1_1 = qkv[qBase1 + 1u] * qs; }
  if (HD4 > 2u) { q1_2 = qkv[qBase1 + 2u] * qs; }
  if (HD4 > 3u) { q1_3 = qkv[qBase1 + 3u] * qs; }
  if (HD4 > 4u) { q1_4 = qkv[qBase1 + 4u] * qs; }
  if (HD4 > 5u) { q1_5 = qkv[qBase1 + 5u] * qs; }
  if (HD4 > 6u) { q1_6 = qkv[qBase1 + 6u] * qs; }
  if (HD4 > 7u) { q1_7 = qkv[qBase1 + 7u] * qs; }
  if (HD4 > 8u) { q1_8 = qkv[qBase1 + 8u] * qs; }
  if (HD4 > 9u) { q1_9 = qkv[qBase1 + 9u] * qs; }
  if (HD4 > 10u) { q1_10 = qkv[qBase1 + 10u] * qs; }
  if (HD4 > 11u) { q1_11 = qkv[qBase1 + 11u] * qs; }
  if (HD4 > 12u) { q1_12 = qkv[qBase1 + 12u] * qs; }
  if (HD4 > 13u) { q1_13 = qkv[qBase1 + 13u] * qs; }
  if (HD4 > 14u) { q1_14 = qkv[qBase1 + 14u] * qs; }
  if (HD4 > 15u) { q1_15 = qkv[qBase1 + 15u] * qs; }
  let i2 = min(i0 + 2u * WG, last); // rows past T repeat row T-1 and are not stored
  let n2 = select(p.T, i2 + 1u, causal); // causal: key j > query i is masked out
  let qBase2 = (b * p.T + i2) * stride + p.qOff / 4u + h * HD4;
  var m2 = NEG;
  var l2 = 0.0;
  var q2_0 = vec4<f32>(0.0);
  var a2_0 = vec4<f32>(0.0);
  var q2_1 = vec4<f32>(0.0);
  var a2_1 = vec4<f32>(0.0);
  var q2_2 = vec4<f32>(0.0);
  var a2_2 = vec4<f32>(0.0);
  var q2_3 = vec4<f32>(0.0);
  var a2_3 = vec4<f32>(0.0);
  var q2_4 = vec4<f32>(0.0);
  var a2_4 = vec4<f32>(0.0);
  var q2_5 = vec4<f32>(0.0);
  var a2_5 = vec4<f32>(0.0);
  var q2_6 = vec4<f32>(0.0);
  var a2_6 = vec4<f32>(0.0);
  var q2_7 = vec4<f32>(0.0);
  var a2_7 = vec4<f32>(0.0);
  var q2_8 = vec4<f32>(0.0);
  var a2_8 = vec4<f32>(0.0);
  var q2_9 = vec4<f32>(0.0);
  var a2_9 = vec4<f32>(0.0);
  var q2_10 = vec4<f32>(0.0);
  var a2_10 = vec4<f32>(0.0);
  var q2_11 = vec4<f32>(0.0);
  var a2_11 = vec4<f32>(0.0);
  var q2_12 = vec4<f32>(0.0);
  var a2_12 = vec4<f32>(0.0);
  var q2_13 = vec4<f32>(0.0);
  var a2_13 = vec4<f32>(0.0);
  var q2_14 = vec4<f32>(0.0);
  var a2_14 = vec4<f32>(0.0);
  var q2_15 = vec4<f32>(0.0);
  var a2_15 = vec4<f32>(0.0);
  if (HD4 > 0u) { q2_0 = qkv[qBase2 + 0u] * qs; }
  if (HD4 > 1u) { q2_1 = qkv[qBase2 + 1u] * qs; }
  if (HD4 > 2u) { q2_2 = qkv[qBase2 + 2u] * qs; }
  if (HD4 > 3u) { q2_3 = qkv[qBase2 + 3u] * qs; }
  if (HD4 > 4u) { q2_4 = qkv[qBase2 + 4u] * qs; }
  if (HD4 > 5u) { q2_5 = qkv[qBase2 + 5u] * qs; }
  if (HD4 > 6u) { q2_6 = qkv[qBase2 + 6u] * qs; }
  if (HD4 > 7u) { q2_7 = qkv[qBase2 + 7u] * qs; }
  if (HD4 > 8u) { q2_8 = qkv[qBase2 + 8u] * qs; }
  if (HD4 > 9u) { q2_9 = qkv[qBase2 + 9u] * qs; }
  if (HD4 > 10u) { q2_10 = qkv[qBase2 + 10u] * qs; }
  if (HD4 > 11u) { q2_11 = qkv[qBase2 + 11u] * qs; }
  if (HD4 > 12u) { q2_12 = qkv[qBase2 + 12u] * qs; }
  if (HD4 > 13u) { q2_13 = qkv[qBase2 + 13u] * qs; }
  if (HD4 > 14u) { q2_14 = qkv[qBase2 + 14u] * qs; }
  if (HD4 > 15u) { q2_15 = qkv[qBase2 + 15u] * qs; }
  let i3 = min(i0 + 3u * WG, last); // rows past T repeat row T-1 and are not stored
  let n3 = select(p.T, i3 + 1u, causal); // causal: key j > query i is masked out
  let qBase3 = (b * p.T + i3) * stride + p.qOff / 4u + h * HD4;
  var m3 = NEG;
  var l3 = 0.0;
  var q3_0 = vec4<f32>(0.0);
  var a3_0 = vec4<f32>(0.0);
  var q3_1 = vec4<f32>(0.0);
  var a3_1 = vec4<f32>(0.0);
  var q3_2 = vec4<f32>(0.0);
  var a3_2 = vec4<f32>(0.0);
  var q3_3 = vec4<f32>(0.0);
  var a3_3 = vec4<f32>(0.0);
  var q3_4 = vec4<f32>(0.0);
  var a3_4 = vec4<f32>(0.0);
  var q3_5 = vec4<f32>(0.0);
  var a3_5 = vec4<f32>(0.0);
  var q3_6 = vec4<f32>(0.0);
  var a3_6 = vec4<f32>(0.0);
  var q3_7 = vec4<f32>(0.0);
  var a3_7 = vec4<f32>(0.0);
  var q3_8 = vec4<f32>(0.0);
  var a3_8 = vec4<f32>(0.0);
  var q3_9 = vec4<f32>(0.0);
  var a3_9 = vec4<f32>(0.0);
  var q3_10 = vec4<f32>(0.0);
  var a3_10 = vec4<f32>(0.0);
  var q3_11 = vec4<f32>(0.0);
  var a3_11 = vec4<f32>(0.0);
  var q3_12 = vec4<f32>(0.0);
  var a3_12 = vec4<f32>(0.0);
  var q3_13 = vec4<f32>(0.0);
  var a3_13 = vec4<f32>(0.0);
  var q3_14 = vec4<f32>(0.0);
  var a3_14 = vec4<f32>(0.0);
  var q3_15 = vec4<f32>(0.0);
  var a3_15 = vec4<f32>(0.0);
  if (HD4 > 0u) { q3_0 = qkv[qBase3 + 0u] * qs; }
  if (HD4 > 1u) { q3_1 = qkv[qBase3 + 1u] * qs; }
  if (HD4 > 2u) { q3_2 = qkv[qBase3 + 2u] * qs; }
  if (HD4 > 3u) { q3_3 = qkv[qBase3 + 3u] * qs; }
  if (HD4 > 4u) { q3_4 = qkv[qBase3 + 4u] * qs; }
  if (HD4 > 5u) { q3_5 = qkv[qBase3 + 5u] * qs; }
  if (HD4 > 6u) { q3_6 = qkv[qBase3 + 6u] * qs; }
  if (HD4 > 7u) { q3_7 = qkv[qBase3 + 7u] * qs; }
  if (HD4 > 8u) { q3_8 = qkv[qBase3 + 8u] * qs; }
  if (HD4 > 9u) { q3_9 = qkv[qBase3 + 9u] * qs; }
  if (HD4 > 10u) { q3_10 = qkv[qBase3 + 10u] * qs; }
  if (HD4 > 11u) { q3_11 = qkv[qBase3 + 11u] * qs; }
  if (HD4 > 12u) { q3_12 = qkv[qBase3 + 12u] * qs; }
  if (HD4 > 13u) { q3_13 = qkv[qBase3 + 13u] * qs; }
  if (HD4 > 14u) { q3_14 = qkv[qBase3 + 14u] * qs; }
  if (HD4 > 15u) { q3_15 = qkv[qBase3 + 15u] * qs; }
  let nKeys = n3;
  for (var j0 = 0u; j0 < nKeys; j0 += 2u) {
    // Rows past the end are clamped to T-1 (the same for every lane) and masked below.
    let r0 = min(j0 + 0u, last) * stride;
    let r1 = min(j0 + 1u, last) * stride;
    var t0_0 = vec4<f32>(0.0);
    var t0_1 = vec4<f32>(0.0);
    var t1_0 = vec4<f32>(0.0);
    var t1_1 = vec4<f32>(0.0);
    var t2_0 = vec4<f32>(0.0);
    var t2_1 = vec4<f32>(0.0);
    var t3_0 = vec4<f32>(0.0);
    var t3_1 = vec4<f32>(0.0);
    if (HD4 > 0u) { let k0 = qkv[kBase + r0 + 0u]; let k1 = qkv[kBase + r1 + 0u]; t0_0 = fma(q0_0, k0, t0_0); t0_1 = fma(q0_0, k1, t0_1); t1_0 = fma(q1_0, k0, t1_0); t1_1 = fma(q1_0, k1, t1_1); t2_0 = fma(q2_0, k0, t2_0); t2_1 = fma(q2_0, k1, t2_1); t3_0 = fma(q3_0, k0, t3_0); t3_1 = fma(q3_0, k1, t3_1); }
    if (HD4 > 1u) { let k0 = qkv[kBase + r0 + 1u]; let k1 = qkv[kBase + r1 + 1u]; t0_0 = fma(q0_1, k0, t0_0); t0_1 = fma(q0_1, k1, t0_1); t1_0 = fma(q1_1, k0, t1_0); t1_1 = fma(q1_1, k1, t1_1); t2_0 = fma(q2_1, k0, t2_0); t2_1 = fma(q2_1, k1, t2_1); t3_0 = fma(q3_1, k0, t3_0); t3_1 = fma(q3_1, k1, t3_1); }
    if (HD4 > 2u) { let k0 = qkv[kBase + r0 + 2u]; let k1 = qkv[kBase + r1 + 2u]; t0_0 = fma(q0_2, k0, t0_0); t0_1 = fma(q0_2, k1, t0_1); t1_0 = fma(q1_2, k0, t1_0); t1_1 = fma(q1_2, k1, t1_1); t2_0 = fma(q2_2, k0, t2_0); t2_1 = fma(q2_2, k1, t2_1); t3_0 = fma(q3_2, k0, t3_0); t3_1 = fma(q3_2, k1, t3_1); }
    if (HD4 > 3u) { let k0 = qkv[kBase + r0 + 3u]; let k1 = qkv[kBase + r1 + 3u]; t0_0 = fma(q0_3, k0, t0_0); t0_1 = fma(q0_3, k1, t0_1); t1_0 = fma(q1_3, k0, t1_0); t1_1 = fma(q1_3, k1, t1_1); t2_0 = fma(q2_3, k0, t2_0); t2_1 = fma(q2_3, k1, t2_1); t3_0 = fma(q3_3, k0, t3_0); t3_1 = fma(q3_3, k1, t3_1); }
    if (HD4 > 4u) { let k0 = qkv[kBase + r0 + 4u]; let k1 = qkv[kBase + r1 + 4u]; t0_0 = fma(q0_4, k0, t0_0); t0_1 = fma(q0_4, k1, t0_1); t1_0 = fma(q1_4, k0, t1_0); t1_1 = fma(q1_4, k1, t1_1); t2_0 = fma(q2_4, k0, t2_0); t2_1 = fma(q2_4, k1, t2_1); t3_0 = fma(q3_4, k0, t3_0); t3_1 = fma(q3_4, k1, t3_1); }
    if (HD4 > 5u) { let k0 = qkv[kBase + r0 + 5u]; let k1 = qkv[kBase + r1 + 5u]; t0_0 = fma(q0_5, k0, t0_0); t0_1 = fma(q0_5, k1, t0_1); t1_0 = fma(q1_5, k0, t1_0); t1_1 = fma(q1_5, k1, t1_1); t2_0 = fma(q2_5, k0, t2_0); t2_1 = fma(q2_5, k1, t2_1); t3_0 = fma(q3_5, k0, t3_0); t3_1 = fma(q3_5, k1, t3_1); }
    if (HD4 > 6u) { let k0 = qkv[kBase + r0 + 6u]; let k1 = qkv[kBase + r1 + 6u]; t0_0 = fma(q0_6, k0, t0_0); t0_1 = fma(q0_6, k1, t0_1); t1_0 = fma(q1_6, k0, t1_0); t1_1 = fma(q1_6, k1, t1_1); t2_0 = fma(q2_6, k0, t2_0); t2_1 = fma(q2_6, k1, t2_1); t3_0 = fma(q3_6, k0, t3_0); t3_1 = fma(q3_6, k1, t3_1); }
    if (HD4 > 7u) { let k0 = qkv[kBase + r0 + 7u]; let k1 = qkv[kBase + r1 + 7u]; t0_0 = fma(q0_7, k0, t0_0); t0_1 = fma(q0_7, k1, t0_1); t1_0 = fma(q1_7, k0, t1_0); t1_1 = fma(q1_7, k1, t1_1); t2_0 = fma(q2_7, k0, t2_0); t2_1 = fma(q2_7, k1, t2_1); t3_0 = fma(q3_7, k0, t3_0); t3_1 = fma(q3_7, k1, t3_1); }
    if (HD4 > 8u) { let k0 = qkv[kBase + r0 + 8u]; let k1 = qkv[kBase + r1 + 8u]; t0_0 = fma(q0_8, k0, t0_0); t0_1 = fma(q0_8, k1, t0_1); t1_0 = fma(q1_8, k0, t1_0); t1_1 = fma(q1_8, k1, t1_1); t2_0 = fma(q2_8, k0, t2_0); t2_1 = fma(q2_8, k1, t2_1); t3_0 = fma(q3_8, k0, t3_0); t3_1 = fma(q3_8, k1, t3_1); }
    if (HD4 > 9u) { let k0 = qkv[kBase + r0 + 9u]; let k1 = qkv[kBase + r1 + 9u]; t0_0 = fma(q0_9, k0, t0_0); t0_1 = fma(q0_9, k1, t0_1); t1_0 = fma(q1_9, k0, t1_0); t1_1 = fma(q1_9, k1, t1_1); t2_0 = fma(q2_9, k0, t2_0); t2_1 = fma(q2_9, k1, t2_1); t3_0 = fma(q3_9, k0, t3_0); t3_1 = fma(q3_9, k1, t3_1); }
    if (HD4 > 10u) { let k0 = qkv[kBase + r0 + 10u]; let k1 = qkv[kBase + r1 + 10u]; t0_0 = fma(q0_10, k0, t0_0); t0_1 = fma(q0_10, k1, t0_1); t1_0 = fma(q1_10, k0, t1_0); t1_1 = fma(q1_10, k1, t1_1); t2_0 = fma(q2_10, k0, t2_0); t2_1 = fma(q2_10, k1, t2_1); t3_0 = fma(q3_10, k0, t3_0); t3_1 = fma(q3_10, k1, t3_1); }
    if (HD4 > 11u) { let k0 = qkv[kBase + r0 + 11u]; let k1 = qkv[kBase + r1 + 11u]; t0_0 = fma(q0_11, k0, t0_0); t0_1 = fma(q0_11, k1, t0_1); t1_0 = fma(q1_11, k0, t1_0); t1_1 = fma(q1_11, k1, t1_1); t2_0 = fma(q2_11, k0, t2_0); t2_1 = fma(q2_11, k1, t2_1); t3_0 = fma(q3_11, k0, t3_0); t3_1 = fma(q3_11, k1, t3_1); }
    if (HD4 > 12u) { let k0 = qkv[kBase + r0 + 12u]; let k1 = qkv[kBase + r1 + 12u]; t0_0 = fma(q0_12, k0, t0_0); t0_1 = fma(q0_12, k1, t0_1); t1_0 = fma(q1_12, k0, t1_0); t1_1 = fma(q1_12, k1, t1_1); t2_0 = fma(q2_12, k0, t2_0); t2_1 = fma(q2_12, k1, t2_1); t3_0 = fma(q3_12, k0, t3_0); t3_1 = fma(q3_12, k1, t3_1); }
    if (HD4 > 13u) { let k0 = qkv[kBase + r0 + 13u]; let k1 = qkv[kBase + r1 + 13u]; t0_0 = fma(q0_13, k0, t0_0); t0_1 = fma(q0_13, k1, t0_1); t1_0 = fma(q1_13, k0, t1_0); t1_1 = fma(q1_13, k1, t1_1); t2_0 = fma(q2_13, k0, t2_0); t2_1 = fma(q2_13, k1, t2_1); t3_0 = fma(q3_13, k0, t3_0); t3_1 = fma(q3_13, k1, t3_1); }
    if (HD4 > 14u) { let k0 = qkv[kBase + r0 + 14u]; let k1 = qkv[kBase + r1 + 14u]; t0_0 = fma(q0_14, k0, t0_0); t0_1 = fma(q0_14, k1, t0_1); t1_0 = fma(q1_14, k0, t1_0); t1_1 = fma(q1_14, k1, t1_1); t2_0 = fma(q2_14, k0, t2_0); t2_1 = fma(q2_14, k1, t2_1); t3_0 = fma(q3_14, k0, t3_0); t3_1 = fma(q3_14, k1, t3_1); }
    if (HD4 > 15u) { let k0 = qkv[kBase + r0 + 15u]; let k1 = qkv[kBase + r1 + 15u]; t0_0 = fma(q0_15, k0, t0_0); t0_1 = fma(q0_15, k1, t0_1); t1_0 = fma(q1_15, k0, t1_0); t1_1 = fma(q1_15, k1, t1_1); t2_0 = fma(q2_15, k0, t2_0); t2_1 = fma(q2_15, k1, t2_1); t3_0 = fma(q3_15, k0, t3_0); t3_1 = fma(q3_15, k1, t3_1); }
    let s0_0 = select(NEG, t0_0.x + t0_0.y + t0_0.z + t0_0.w, j0 + 0u < n0);
    let s0_1 = select(NEG, t0_1.x + t0_1.y + t0_1.z + t0_1.w, j0 + 1u < n0);
    let mNew0 = max(m0, max(s0_0, s0_1));
    let c0 = exp2(m0 - mNew0);
    m0 = mNew0;
    let p0_0 = select(0.0, exp2(s0_0 - mNew0), j0 + 0u < n0);
    let p0_1 = select(0.0, exp2(s0_1 - mNew0), j0 + 1u < n0);
    l0 = l0 * c0 + p0_0 + p0_1;
    let s1_0 = select(NEG, t1_0.x + t1_0.y + t1_0.z + t1_0.w, j0 + 0u < n1);
    let s1_1 = select(NEG, t1_1.x + t1_1.y + t1_1.z + t1_1.w, j0 + 1u < n1);
    let mNew1 = max(m1, max(s1_0, s1_1));
    let c1 = exp2(m1 - mNew1);
    m1 = mNew1;
    let p1_0 = select(0.0, exp2(s1_0 - mNew1), j0 + 0u < n1);
    let p1_1 = select(0.0, exp2(s1_1 - mNew1), j0 + 1u < n1);
    l1 = l1 * c1 + p1_0 + p1_1;
    let s2_0 = select(NEG, t2_0.x + t2_0.y + t2_0.z + t2_0.w, j0 + 0u < n2);
    let s2_1 = select(NEG, t2_1.x + t2_1.y + t2_1.z + t2_1.w, j0 + 1u < n2);
    let mNew2 = max(m2, max(s2_0, s2_1));
    let c2 = exp2(m2 - mNew2);
    m2 = mNew2;
    let p2_0 = select(0.0, exp2(s2_0 - mNew2), j0 + 0u < n2);
    let p2_1 = select(0.0, exp2(s2_1 - mNew2), j0 + 1u < n2);
    l2 = l2 * c2 + p2_0 + p2_1;
    let s3_0 = select(NEG, t3_0.x + t3_0.y + t3_0.z + t3_0.w, j0 + 0u < n3);
    let s3_1 = select(NEG, t3_1.x + t3_1.y + t3_1.z + t3_1.w, j0 + 1u < n3);
    let mNew3 = max(m3, max(s3_0, s3_1));
    let c3 = exp2(m3 - mNew3);
    m3 = mNew3;
    let p3_0 = select(0.0, exp2(s3_0 - mNew3), j0 + 0u < n3);
    let p3_1 = select(0.0, exp2(s3_1 - mNew3), j0 + 1u < n3);
    l3 = l3 * c3 + p3_0 + p3_1;
    if (HD4 > 0u) { let v0 = qkv[vBase + r0 + 0u]; let v1 = qkv[vBase + r1 + 0u]; a0_0 = a0_0 * c0; a0_0 = fma(vec4<f32>(p0_0), v0, a0_0); a0_0 = fma(vec4<f32>(p0_1), v1, a0_0); a1_0 = a1_0 * c1; a1_0 = fma(vec4<f32>(p1_0), v0, a1_0); a1_0 = fma(vec4<f32>(p1_1), v1, a1_0); a2_0 = a2_0 * c2; a2_0 = fma(vec4<f32>(p2_0), v0, a2_0); a2_0 = fma(vec4<f32>(p2_1), v1, a2_0); a3_0 = a3_0 * c3; a3_0 = fma(vec4<f32>(p3_0), v0, a3_0); a3_0 = fma(vec4<f32>(p3_1), v1, a3_0); }
    if (HD4 > 1u) { let v0 = qkv[vBase + r0 + 1u]; let v1 = qkv[vBase + r1 + 1u]; a0_1 = a0_1 * c0; a0_1 = fma(vec4<f32>(p0_0), v0, a0_1); a0_1 = fma(vec4<f32>(p0_1), v1, a0_1); a1_1 = a1_1 * c1; a1_1 = fma(vec4<f32>(p1_0), v0, a1_1); a1_1 = fma(vec4<f32>(p1_1), v1, a1_1); a2_1 = a2_1 * c2; a2_1 = fma(vec4<f32>(p2_0), v0, a2_1); a2_1 = fma(vec4<f32>(p2_1), v1, a2_1); a3_1 = a3_1 * c3; a3_1 = fma(vec4<f32>(p3_0), v0, a3_1); a3_1 = fma(vec4<f32>(p3_1), v1, a3_1); }
    if (HD4 > 2u) { let v0 = qkv[vBase + r0 + 2u]; let v1 = qkv[vBase + r1 + 2u]; a0_2 = a0_2 * c0; a0_2 = fma(vec4<f32>(p0_0), v0, a0_2); a0_2 = fma(vec4<f32>(p0_1), v1, a0_2); a1_2 = a1_2 * c1; a1_2 = fma(vec4<f32>(p1_0), v0, a1_2); a1_2 = fma(vec4<f32>(p1_1), v1, a1_2); a2_2 = a2_2 * c2; a2_2 = fma(vec4<f32>(p2_0), v0, a2_2); a2_2 = fma(vec4<f32>(p2_1), v1, a2_2); a3_2 = a3_2 * c3; a3_2 = fma(vec4<f32>(p3_0), v0, a3_2); a3_2 = fma(vec4<f32>(p3_1), v1, a3_2); }
    if (HD4 > 3u) { let v0 = qkv[vBase + r0 + 3u]; let v1 = qkv[vBase + r1 + 3u]; a0_3 = a0_3 * c0; a0_3 = fma(vec4<f32>(p0_0), v0, a0_3); a0_3 = fma(vec4<f32>(p0_1), v1, a0_3); a1_3 = a1_3 * c1; a1_3 = fma(vec4<f32>(p1_0), v0, a1_3); a1_3 = fma(vec4<f32>(p1_1), v1, a1_3); a2_3 = a2_3 * c2; a2_3 = fma(vec4<f32>(p2_0), v0, a2_3); a2_3 = fma(vec4<f32>(p2_1), v1, a2_3); a3_3 = a3_3 * c3; a3_3 = fma(vec4<f32>(p3_0), v0, a3_3); a3_3 = fma(vec4<f32>(p3_1), v1, a3_3); }
    if (HD4 > 4u) { let v0 = qkv[vBase + r0 + 4u]; let v1 = qkv[vBase + r1 + 4u]; a0_4 = a0_4 * c0; a0_4 = fma(vec4<f32>(p0_0), v0, a0_4); a0_4 = fma(vec4<f32>(p0_1), v1, a0_4); a1_4 = a1_4 * c1; a1_4 = fma(vec4<f32>(p1_0), v0, a1_4); a1_4 = fma(vec4<f32>(p1_1), v1, a1_4); a2_4 = a2_4 * c2; a2_4 = fma(vec4<f32>(p2_0), v0, a2_4); a2_4 = fma(vec4<f32>(p2_1), v1, a2_4); a3_4 = a3_4 * c3; a3_4 = fma(vec4<f32>(p3_0), v0, a3_4); a3_4 = fma(vec4<f32>(p3_1), v1, a3_4); }
    if (HD4 > 5u) { let v0 = qkv[vBase + r0 + 5u]; let v1 = qkv[vBase + r1 + 5u]; a0_5 = a0_5 * c0; a0_5 = fma(vec4<f32>(p0_0), v0, a0_5); a0_5 = fma(vec4<f32>(p0_1), v1, a0_5); a1_5 = a1_5 * c1; a1_5 = fma(vec4<f32>(p1_0), v0, a1_5); a1_5 = fma(vec4<f32>(p1_1), v1, a1_5); a2_5 = a2_5 * c2; a2_5 = fma(vec4<f32>(p2_0), v0, a2_5); a2_5 = fma(vec4<f32>(p2_1), v1, a2_5); a3_5 = a3_5 * c3; a3_5 = fma(vec4<f32>(p3_0), v0, a3_5); a3_5 = fma(vec4<f32>(p3_1), v1, a3_5); }
    if (HD4 > 6u) { let v0 = qkv[vBase + r0 + 6u]; let v1 = qkv[vBase + r1 + 6u]; a0_6 = a0_6 * c0; a0_6 = fma(vec4<f32>(p0_0), v0, a0_6); a0_6 = fma(vec4<f32>(p0_1), v1, a0_6); a1_6 = a1_6 * c1; a1_6 = fma(vec4<f32>(p1_0), v0, a1_6); a1_6 = fma(vec4<f32>(p1_1), v1, a1_6); a2_6 = a2_6 * c2; a2_6 = fma(vec4<f32>(p2_0), v0, a2_6); a2_6 = fma(vec4<f32>(p2_1), v1, a2_6); a3_6 = a3_6 * c3; a3_6 = fma(vec4<f32>(p3_0), v0, a3_6); a3_6 = fma(vec4<f32>(p3_1), v1, a3_6); }
    if (HD4 > 7u) { let v0 = qkv[vBase + r0 + 7u]; let v1 = qkv[vBase + r1 + 7u]; a0_7 = a0_7 * c0; a0_7 = fma(vec4<f32>(p0_0), v0, a0_7); a0_7 = fma(vec4<f32>(p0_1), v1, a0_7); a1_7 = a1_7 * c1; a1_7 = fma(vec4<f32>(p1_0), v0, a1_7); a1_7 = fma(vec4<f32>(p1_1), v1, a1_7); a2_7 = a2_7 * c2; a2_7 = fma(vec4<f32>(p2_0), v0, a2_7); a2_7 = fma(vec4<f32>(p2_1), v1, a2_7); a3_7 = a3_7 * c3; a3_7 = fma(vec4<f32>(p3_0), v0, a3_7); a3_7 = fma(vec4<f32>(p3_1), v1, a3_7); }
    if (HD4 > 8u) { let v0 = qkv[vBase + r0 + 8u]; let v1 = qkv[vBase + r1 + 8u]; a0_8 = a0_8 * c0; a0_8 = fma(vec4<f32>(p0_0), v0, a0_8); a0_8 = fma(vec4<f32>(p0_1), v1, a0_8); a1_8 = a1_8 * c1; a1_8 = fma(vec4<f32>(p1_0), v0, a1_8); a1_8 = fma(vec4<f32>(p1_1), v1, a1_8); a2_8 = a2_8 * c2; a2_8 = fma(vec4<f32>(p2_0), v0, a2_8); a2_8 = fma(vec4<f32>(p2_1), v1, a2_8); a3_8 = a3_8 * c3; a3_8 = fma(vec4<f32>(p3_0), v0, a3_8); a3_8 = fma(vec4<f32>(p3_1), v1, a3_8); }
    if (HD4 > 9u) { let v0 = qkv[vBase + r0 + 9u]; let v1 = qkv[vBase + r1 + 9u]; a0_9 = a0_9 * c0; a0_9 = fma(vec4<f32>(p0_0), v0, a0_9); a0_9 = fma(vec4<f32>(p0_1), v1, a0_9); a1_9 = a1_9 * c1; a1_9 = fma(vec4<f32>(p1_0), v0, a1_9); a1_9 = fma(vec4<f32>(p1_1), v1, a1_9); a2_9 = a2_9 * c2; a2_9 = fma(vec4<f32>(p2_0), v0, a2_9); a2_9 = fma(vec4<f32>(p2_1), v1, a2_9); a3_9 = a3_9 * c3; a3_9 = fma(vec4<f32>(p3_0), v0, a3_9); a3_9 = fma(vec4<f32>(p3_1), v1, a3_9); }
    if (HD4 > 10u) { let v0 = qkv[vBase + r0 + 10u]; let v1 = qkv[vBase + r1 + 10u]; a0_10 = a0_10 * c0; a0_10 = fma(vec4<f32>(p0_0), v0, a0_10); a0_10 = fma(vec4<f32>(p0_1), v1, a0_10); a1_10 = a1_10 * c1; a1_10 = fma(vec4<f32>(p1_0), v0, a1_10); a1_10 = fma(vec4<f32>(p1_1), v1, a1_10); a2_10 = a2_10 * c2; a2_10 = fma(vec4<f32>(p2_0), v0, a2_10); a2_10 = fma(vec4<f32>(p2_1), v1, a2_10); a3_10 = a3_10 * c3; a3_10 = fma(vec4<f32>(p3_0), v0, a3_10); a3_10 = fma(vec4<f32>(p3_1), v1, a3_10); }
    if (HD4 > 11u) { let v0 = qkv[vBase + r0 + 11u]; let v1 = qkv[vBase + r1 + 11u]; a0_11 = a0_11 * c0; a0_11 = fma(vec4<f32>(p0_0), v0, a0_11); a0_11 = fma(vec4<f32>(p0_1), v1, a0_11); a1_11 = a1_11 * c1; a1_11 = fma(vec4<f32>(p1_0), v0, a1_11); a1_11 = fma(vec4<f32>(p1_1), v1, a1_11); a2_11 = a2_11 * c2; a2_11 = fma(vec4<f32>(p2_0), v0, a2_11); a2_11 = fma(vec4<f32>(p2_1), v1, a2_11); a3_11 = a3_11 * c3; a3_11 = fma(vec4<f32>(p3_0), v0, a3_11); a3_11 = fma(vec4<f32>(p3_1), v1, a3_11); }
    if (HD4 > 12u) { let v0 = qkv[vBase + r0 + 12u]; let v1 = qkv[vBase + r1 + 12u]; a0_12 = a0_12 * c0; a0_12 = fma(vec4<f32>(p0_0), v0, a0_12); a0_12 = fma(vec4<f32>(p0_1), v1, a0_12); a1_12 = a1_12 * c1; a1_12 = fma(vec4<f32>(p1_0), v0, a1_12); a1_12 = fma(vec4<f32>(p1_1), v1, a1_12); a2_12 = a2_12 * c2; a2_12 = fma(vec4<f32>(p2_0), v0, a2_12); a2_12 = fma(vec4<f32>(p2_1), v1, a2_12); a3_12 = a3_12 * c3; a3_12 = fma(vec4<f32>(p3_0), v0, a3_12); a3_12 = fma(vec4<f32>(p3_1), v1, a3_12); }
    if (HD4 > 13u) { let v0 = qkv[vBase + r0 + 13u]; let v1 = qkv[vBase + r1 + 13u]; a0_13 = a0_13 * c0; a0_13 = fma(vec4<f32>(p0_0), v0, a0_13); a0_13 = fma(vec4<f32>(p0_1), v1, a0_13); a1_13 = a1_13 * c1; a1_13 = fma(vec4<f32>(p1_0), v0, a1_13); a1_13 = fma(vec4<f32>(p1_1), v1, a1_13); a2_13 = a2_13 * c2; a2_13 = fma(vec4<f32>(p2_0), v0, a2_13); a2_13 = fma(vec4<f32>(p2_1), v1, a2_13); a3_13 = a3_13 * c3; a3_13 = fma(vec4<f32>(p3_0), v0, a3_13); a3_13 = fma(vec4<f32>(p3_1), v1, a3_13); }
    if (HD4 > 14u) { let v0 = qkv[vBase + r0 + 14u]; let v1 = qkv[vBase + r1 + 14u]; a0_14 = a0_14 * c0; a0_14 = fma(vec4<f32>(p0_0), v0, a0_14); a0_14 = fma(vec4<f32>(p0_1), v1, a0_14); a1_14 = a1_14 * c1; a1_14 = fma(vec4<f32>(p1_0), v0, a1_14); a1_14 = fma(vec4<f32>(p1_1), v1, a1_14); a2_14 = a2_14 * c2; a2_14 = fma(vec4<f32>(p2_0), v0, a2_14); a2_14 = fma(vec4<f32>(p2_1), v1, a2_14); a3_14 = a3_14 * c3; a3_14 = fma(vec4<f32>(p3_0), v0, a3_14); a3_14 = fma(vec4<f32>(p3_1), v1, a3_14); }
    if (HD4 > 15u) { let v0 = qkv[vBase + r0 + 15u]; let v1 = qkv[vBase + r1 + 15u]; a0_15 = a0_15 * c0; a0_15 = fma(vec4<f32>(p0_0), v0, a0_15); a0_15 = fma(vec4<f32>(p0_1), v1, a0_15); a1_15 = a1_15 * c1; a1_15 = fma(vec4<f32>(p1_0), v0, a1_15); a1_15 = fma(vec4<f32>(p1_1), v1, a1_15); a2_15 = a2_15 * c2; a2_15 = fma(vec4<f32>(p2_0), v0, a2_15); a2_15 = fma(vec4<f32>(p2_1), v1, a2_15); a3_15 = a3_15 * c3; a3_15 = fma(vec4<f32>(p3_0), v0, a3_15); a3_15 = fma(vec4<f32>(p3_1), v1, a3_15); }
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
  if (i0 + 1u * WG < p.T) {
    let inv = 1.0 / l1;
    let yBase = (b * p.T + i0 + 1u * WG) * D4 + h * HD4;
    if (HD4 > 0u) { y[yBase + 0u] = a1_0 * inv; }
    if (HD4 > 1u) { y[yBase + 1u] = a1_1 * inv; }
    if (HD4 > 2u) { y[yBase + 2u] = a1_2 * inv; }
    if (HD4 > 3u) { y[yBase + 3u] = a1_3 * inv; }
    if (HD4 > 4u) { y[yBase + 4u] = a1_4 * inv; }
    if (HD4 > 5u) { y[yBase + 5u] = a1_5 * inv; }
    if (HD4 > 6u) { y[yBase + 6u] = a1_6 * inv; }
    if (HD4 > 7u) { y[yBase + 7u] = a1_7 * inv; }
    if (HD4 > 8u) { y[yBase + 8u] = a1_8 * inv; }
    if (HD4 > 9u) { y[yBase + 9u] = a1_9 * inv; }
    if (HD4 > 10u) { y[yBase + 10u] = a1_10 * inv; }
    if (HD4 > 11u) { y[yBase + 11u] = a1_11 * inv; }
    if (HD4 > 12u) { y[yBase + 12u] = a1_12 * inv; }
    if (HD4 > 13u) { y[yBase + 13u] = a1_13 * inv; }
    if (HD4 > 14u) { y[yBase + 14u] = a1_14 * inv; }
    if (HD4 > 15u) { y[yBase + 15u] = a1_15 * inv; }
  }
  if (i0 + 2u * WG < p.T) {
    let inv = 1.0 / l2;
    let yBase = (b * p.T + i0 + 2u * WG) * D4 + h * HD4;
    if (HD4 > 0u) { y[yBase + 0u] = a2_0 * inv; }
    if (HD4 > 1u) { y[yBase + 1u] = a2_1 * inv; }
    if (HD4 > 2u) { y[yBase + 2u] = a2_2 * inv; }
    if (HD4 > 3u) { y[yBase + 3u] = a2_3 * inv; }
    if (HD4 > 4u) { y[yBase + 4u] = a2_4 * inv; }
    if (HD4 > 5u) { y[yBase + 5u] = a2_5 * inv; }
    if (HD4 > 6u) { y[yBase + 6u] = a2_6 * inv; }
    if (HD4 > 7u) { y[yBase + 7u] = a2_7 * inv; }
    if (HD4 > 8u) { y[yBase + 8u] = a2_8 * inv; }
    if (HD4 > 9u) { y[yBase + 9u] = a2_9 * inv; }
    if (HD4 > 10u) { y[yBase + 10u] = a2_10 * inv; }
    if (HD4 > 11u) { y[yBase + 11u] = a2_11 * inv; }
    if (HD4 > 12u) { y[yBase + 12u] = a2_12 * inv; }
    if (HD4 > 13u) { y[yBase + 13u] = a2_13 * inv; }
    if (HD4 > 14u) { y[yBase + 14u] = a2_14 * inv; }
    if (HD4 > 15u) { y[yBase + 15u] = a2_15 * inv; }
  }
  if (i0 + 3u * WG < p.T) {
    let inv = 1.0 / l3;
    let yBase = (b * p.T + i0 + 3u * WG) * D4 + h * HD4;
    if (HD4 > 0u) { y[yBase + 0u] = a3_0 * inv; }
    if (HD4 > 1u) { y[yBase + 1u] = a3_1 * inv; }
    if (HD4 > 2u) { y[yBase + 2u] = a3_2 * inv; }
    if (HD4 > 3u) { y[yBase + 3u] = a3_3 * inv; }
    if (HD4 > 4u) { y[yBase + 4u] = a3_4 * inv; }
    if (HD4 > 5u) { y[yBase + 5u] = a3_5 * inv; }
    if (HD4 > 6u) { y[yBase + 6u] = a3_6 * inv; }
    if (HD4 > 7u) { y[yBase + 7u] = a3_7 * inv; }
    if (HD4 > 8u) { y[yBase + 8u] = a3_8 * inv; }
    if (HD4 > 9u) { y[yBase + 9u] = a3_9 * inv; }
    if (HD4 > 10u) { y[yBase + 10u] = a3_10 * inv; }
    if (HD4 > 11u) { y[yBase + 11u] = a3_11 * inv; }
    if (HD4 > 12u) { y[yBase + 12u] = a3_12 * inv; }
    if (HD4 > 13u) { y[yBase + 13u] = a3_13 * inv; }
    if (HD4 > 14u) { y[yBase + 14u] = a3_14 * inv; }
    if (HD4 > 15u) { y[yBase + 15u] = a3_15 * inv; }
  }
}
