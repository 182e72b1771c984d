// attention backward v1, part 1: one (query i, head h, batch b) per workgroup, as the forward.
// Recomputes the row of probabilities P_i· = softmax(scale·q_i·kᵀ [+ causal mask]) instead of
// keeping it from the forward, then with dP_ij = dy_i·v_j (every j, masked ones included):
//   dS_ij = P_ij (dP_ij − Σ_k P_ik dP_ik)        (softmax backward)
//   dq_i  = scale · Σ_j dS_ij k_j                 (written into the q slice of dqkv)
// and writes P and scale·dS [B, H, T, T] for part 2 (dk, dv), and dP when WRITE_DP (relevance).
struct Params { T: u32, H: u32, hd: u32, stride: u32, qOff: u32, kOff: u32, vOff: u32, causal: u32, scale: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;          // [B, T, stride]
@group(0) @binding(2) var<storage, read> dy: array<f32>;           // [B, T, H*hd]
@group(0) @binding(3) var<storage, read_write> probs: array<f32>;  // [B, H, T, T]
@group(0) @binding(4) var<storage, read_write> dscores: array<f32>; // [B, H, T, T] = scale·dS
@group(0) @binding(5) var<storage, read_write> dqkv: array<f32>;   // [B, T, stride]
@group(0) @binding(6) var<storage, read_write> dprobs: array<f32>; // [B, H, T, T] when WRITE_DP

override WRITE_DP: bool = false;

const WG = 64u;
const MAX_T = 1024u;
const MAX_HD = 256u;
var<workgroup> scores: array<f32, MAX_T>;
var<workgroup> dps: array<f32, MAX_T>;
var<workgroup> qs: array<f32, MAX_HD>;
var<workgroup> dys: array<f32, MAX_HD>;
var<workgroup> partial: array<f32, WG>;

fn reduce_max(li: u32) {
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) { partial[li] = max(partial[li], partial[li + s]); }
    workgroupBarrier();
  }
}

fn reduce_sum(li: u32) {
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) { partial[li] += partial[li + s]; }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = wg.x;
  let h = wg.y;
  let b = wg.z;
  let D = p.H * p.hd;
  let rowQ = (b * p.T + i) * p.stride + p.qOff + h * p.hd;
  let rowDy = (b * p.T + i) * D + h * p.hd;
  for (var d = li; d < p.hd; d += WG) {
    qs[d] = qkv[rowQ + d];
    dys[d] = dy[rowDy + d];
  }
  workgroupBarrier();
  let nKeys = select(p.T, i + 1u, p.causal == 1u);
  var m = -0x1.fffffep+127f;
  for (var j = li; j < p.T; j += WG) {
    let rowK = (b * p.T + j) * p.stride + p.kOff + h * p.hd;
    let rowV = (b * p.T + j) * p.stride + p.vOff + h * p.hd;
    var s = 0.0;
    var dp = 0.0;
    for (var d = 0u; d < p.hd; d++) {
      s = fma(qs[d], qkv[rowK + d], s);
      dp = fma(dys[d], qkv[rowV + d], dp);
    }
    dps[j] = dp;
    if (j < nKeys) {
      s *= p.scale;
      scores[j] = s;
      m = max(m, s);
    }
  }
  partial[li] = m;
  reduce_max(li);
  let rowMax = partial[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var j = li; j < nKeys; j += WG) {
    let e = exp(scores[j] - rowMax);
    scores[j] = e;
    sum += e;
  }
  partial[li] = sum;
  reduce_sum(li);
  let inv = 1.0 / partial[0];
  workgroupBarrier();
  var dot = 0.0;
  for (var j = li; j < nKeys; j += WG) {
    let pr = scores[j] * inv;
    scores[j] = pr;
    dot = fma(pr, dps[j], dot);
  }
  partial[li] = dot;
  reduce_sum(li);
  let rowDot = partial[0];
  let out = ((b * p.H + h) * p.T + i) * p.T;
  for (var j = li; j < p.T; j += WG) {
    var pr = 0.0;
    var ds = 0.0;
    if (j < nKeys) {
      pr = scores[j];
      ds = pr * (dps[j] - rowDot) * p.scale;
      scores[j] = ds;
    }
    probs[out + j] = pr;
    dscores[out + j] = ds;
    if (WRITE_DP) { dprobs[out + j] = dps[j]; }
  }
  workgroupBarrier();
  for (var d = li; d < p.hd; d += WG) {
    var acc = 0.0;
    for (var j = 0u; j < nKeys; j++) {
      acc = fma(scores[j], qkv[(b * p.T + j) * p.stride + p.kOff + h * p.hd + d], acc);
    }
    dqkv[rowQ + d] = acc;
  }
}
