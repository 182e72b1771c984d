// contrastive loss v1: CLIP's symmetric cross-entropy on the cosine matrix S [B, B] with
// logits = e^s · S, and its gradients dS and ds (s = raw logit scale, read from the GPU because it is
// trained). One workgroup: the B×B matrix is tiny next to the towers. Row and column log-sum-exps
// first, then the elementwise gradient, then fixed-order tree reductions (deterministic). Each
// log-sum-exp is kept as (max m, log Σ e^(l − m)) and every use subtracts m from l first: logits near
// 100 would otherwise round away the small log term (loss = (m − l_ii) + log Σ, exact when l_ii = m).
struct Params { B: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> S: array<f32>;             // [B, B]
@group(0) @binding(2) var<storage, read> scale: array<f32>;         // [1] s
@group(0) @binding(3) var<storage, read_write> logits: array<f32>;  // [B, B]
@group(0) @binding(4) var<storage, read_write> dS: array<f32>;      // [B, B]
@group(0) @binding(5) var<storage, read_write> lse: array<vec2<f32>>; // [2B] (max, log Σ): rows | columns
@group(0) @binding(6) var<storage, read_write> out: array<f32>;     // [2] loss, ds

const WG = 256u;
var<workgroup> red: array<vec2<f32>, WG>;

fn at(i: u32, j: u32, column: bool) -> u32 {
  return select(i * p.B + j, j * p.B + i, column);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  let B = p.B;
  let e = exp(scale[0]);
  for (var k = li; k < 2u * B; k += WG) {
    let i = k % B;
    let column = k >= B;
    var m = -3.4e38;
    for (var j = 0u; j < B; j++) { m = max(m, e * S[at(i, j, column)]); }
    var s = 0.0;
    for (var j = 0u; j < B; j++) { s += exp(e * S[at(i, j, column)] - m); }
    lse[k] = vec2<f32>(m, log(s));
  }
  storageBarrier();
  workgroupBarrier();
  let inv2B = 1.0 / f32(2u * B);
  var acc = vec2<f32>(0.0);
  for (var k = li; k < B * B; k += WG) {
    let i = k / B;
    let j = k % B;
    let l = e * S[k];
    logits[k] = l;
    let eye = select(0.0, 2.0, i == j);
    let r = lse[i];
    let c = lse[B + j];
    let dl = (exp((l - r.x) - r.y) + exp((l - c.x) - c.y) - eye) * inv2B;
    dS[k] = e * dl;
    acc.y += dl * l;
    if (i == j) { acc.x += (((r.x - l) + r.y) + ((c.x - l) + c.y)) * inv2B; }
  }
  red[li] = acc;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h >>= 1u) {
    if (li < h) { red[li] += red[li + h]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    out[0] = red[0].x;
    out[1] = red[0].y;
  }
}
