// grad-norm partial v1: sums[slot] = Σ g² over one gradient tensor, one workgroup, strided loads and
// a fixed-order tree (deterministic). One dispatch per tensor: they cannot all be bound at once.
struct Params { n: u32, slot: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> sums: array<f32>;

const WG = 256u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  for (var i = li; i < p.n; i += WG) { s = fma(g[i], g[i], s); }
  red[li] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h >>= 1u) {
    if (li < h) { red[li] += red[li + h]; }
    workgroupBarrier();
  }
  if (li == 0u) { sums[p.slot] = red[0]; }
}
