// attention backward v2, part 1: vs v1, one invocation per (query i, head h, batch b), 8 consecutive
// queries a workgroup, no workgroup memory and no barriers (CPU adapters, where v1's reductions wait at
// ~25 barriers a row): q_i and dy_i are held in 16 vec4 registers (hd % 4 == 0, hd <= 64), k/v rows are
// read as vec4 at the same address in every invocation of a workgroup. The row's scores and dP go
// through the P and scale·dS outputs as scratch (T may reach 1,024). Same math as v1:
//   P_i· = softmax(scale·q_i·kᵀ [+ causal mask]), dP_ij = dy_i·v_j,
//   dS_ij = P_ij (dP_ij − Σ_k P_ik dP_ik), dq_i = scale · Σ_j dS_ij k_j,
// writing P and scale·dS [B, H, T, T] for part 2 (dk, dv), and dP when WRITE_DP (relevance).
struct Params { T: u32, H: u32, hd: u32, stride: u32, qOff: u32, kOff: u32, vOff: u32, causal: u32, scale: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<vec4f>;        // [B, T, stride]
@group(0) @binding(2) var<storage, read> dy: array<vec4f>;         // [B, T, H*hd]
@group(0) @binding(3) var<storage, read_write> probs: array<f32>;  // [B, H, T, T]
@group(0) @binding(4) var<storage, read_write> dscores: array<f32>; // [B, H, T, T] = scale·dS
@group(0) @binding(5) var<storage, read_write> dqkv: array<vec4f>; // [B, T, stride]
@group(0) @binding(6) var<storage, read_write> dprobs: array<f32>; // [B, H, T, T] when WRITE_DP

override WRITE_DP: bool = false;
override WG: u32 = 8u;

fn total(v: vec4f) -> f32 { return v.x + v.y + v.z + v.w; }

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = wg.x * WG + li;
  let h = wg.y;
  let b = wg.z;
  if (i >= p.T) { return; }
  let hd4 = p.hd / 4u;
  let stride4 = p.stride / 4u;
  let head4 = h * hd4;
  let rowQ = (b * p.T + i) * stride4 + p.qOff / 4u + head4;
  let rowDy = (b * p.T + i) * p.H * hd4 + head4;
  var q: array<vec4f, 16>;
  var g: array<vec4f, 16>;
  for (var d = 0u; d < hd4; d++) {
    q[d] = qkv[rowQ + d];
    g[d] = dy[rowDy + d];
  }
  let nKeys = select(p.T, i + 1u, p.causal == 1u);
  let out = ((b * p.H + h) * p.T + i) * p.T;
  let kBase = b * p.T * stride4 + p.kOff / 4u + head4;
  let vBase = b * p.T * stride4 + p.vOff / 4u + head4;
  // Scores (into probs) and dP (into dscores) of every key; the row max of the unmasked scores.
  var m = -0x1.fffffep+127f;
  for (var j = 0u; j < p.T; j++) {
    var s = vec4f(0.0);
    var dp = vec4f(0.0);
    for (var d = 0u; d < hd4; d++) {
      s = fma(q[d], qkv[kBase + j * stride4 + d], s);
      dp = fma(g[d], qkv[vBase + j * stride4 + d], dp);
    }
    let score = total(s) * p.scale;
    dscores[out + j] = total(dp);
    probs[out + j] = score;
    if (j < nKeys) { m = max(m, score); }
  }
  var sum = 0.0;
  for (var j = 0u; j < nKeys; j++) {
    let e = exp(probs[out + j] - m);
    probs[out + j] = e;
    sum += e;
  }
  let inv = 1.0 / sum;
  var dot = 0.0;
  for (var j = 0u; j < nKeys; j++) {
    let pr = probs[out + j] * inv;
    probs[out + j] = pr;
    dot = fma(pr, dscores[out + j], dot);
  }
  // scale·dS, and dq = Σ_j scale·dS_ij k_j (reusing q's registers as the accumulator).
  for (var d = 0u; d < hd4; d++) { q[d] = vec4f(0.0); }
  for (var j = 0u; j < p.T; j++) {
    let dp = dscores[out + j];
    if (WRITE_DP) { dprobs[out + j] = dp; }
    var ds = 0.0;
    if (j < nKeys) {
      ds = probs[out + j] * (dp - dot) * p.scale;
      for (var d = 0u; d < hd4; d++) { q[d] = fma(vec4f(ds), qkv[kBase + j * stride4 + d], q[d]); }
    } else {
      probs[out + j] = 0.0;
    }
    dscores[out + j] = ds;
  }
  for (var d = 0u; d < hd4; d++) { dqkv[rowQ + d] = q[d]; }
}
