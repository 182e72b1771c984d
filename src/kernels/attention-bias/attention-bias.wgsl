// attention-bias v1: softmax(scores·scale + bias) · v for one (query, head, batch) per workgroup, where
// bias [T, T] is added to every head's and image's scores (NACLIP's Gaussian neighbourhood window).
// vs attention v1 (attention/attention.wgsl, its layout and reductions): the bias binding, no causal mask.
// q, k and v are read from the fused qkv [B, T, 3D] at offsets (qOff = kOff for q·q or k·k scores).
struct Params { T: u32, H: u32, hd: u32, stride: u32, qOff: u32, kOff: u32, vOff: u32, scale: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>; // [T, T]
@group(0) @binding(3) var<storage, read_write> y: array<f32>; // [B, T, H*hd]

const WG = 64u;
const MAX_T = 1024u;
const MAX_HD = 256u;
var<workgroup> scores: array<f32, MAX_T>;
var<workgroup> qs: array<f32, MAX_HD>;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = wg.x;
  let h = wg.y;
  let b = wg.z;
  let rowQ = (b * p.T + i) * p.stride + p.qOff + h * p.hd;
  for (var d = li; d < p.hd; d += WG) { qs[d] = qkv[rowQ + d]; }
  workgroupBarrier();
  var m = -0x1.fffffep+127f;
  for (var j = li; j < p.T; j += WG) {
    let rowK = (b * p.T + j) * p.stride + p.kOff + h * p.hd;
    var s = 0.0;
    for (var d = 0u; d < p.hd; d++) { s = fma(qs[d], qkv[rowK + d], s); }
    s = fma(s, p.scale, bias[i * p.T + j]);
    scores[j] = s;
    m = max(m, s);
  }
  partial[li] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) { partial[li] = max(partial[li], partial[li + s]); }
    workgroupBarrier();
  }
  let rowMax = partial[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var j = li; j < p.T; j += WG) {
    let e = exp(scores[j] - rowMax);
    scores[j] = e;
    sum += e;
  }
  partial[li] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) { partial[li] += partial[li + s]; }
    workgroupBarrier();
  }
  let inv = 1.0 / partial[0];
  let D = p.H * p.hd;
  for (var d = li; d < p.hd; d += WG) {
    var acc = 0.0;
    for (var j = 0u; j < p.T; j++) {
      acc = fma(scores[j], qkv[(b * p.T + j) * p.stride + p.vOff + h * p.hd + d], acc);
    }
    y[(b * p.T + i) * D + h * p.hd + d] = acc * inv;
  }
}
