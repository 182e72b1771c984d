// grad-norm finish v1: norm = sqrt(Σ sums), and the factor torch.nn.utils.clip_grad_norm_ applies,
// min(1, maxNorm / (norm + 1e-6)) (1 without clipping). out = [norm, factor].
struct Params { count: u32, clip: u32, maxNorm: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> sums: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

const WG = 256u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  for (var i = li; i < p.count; i += WG) { s += sums[i]; }
  red[li] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h >>= 1u) {
    if (li < h) { red[li] += red[li + h]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let norm = sqrt(red[0]);
    out[0] = norm;
    out[1] = select(1.0, min(1.0, p.maxNorm / (norm + 1e-6)), p.clip != 0u);
  }
}
