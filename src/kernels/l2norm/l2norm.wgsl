// l2norm v1: y = x / ||x||₂ per row (as HF CLIP: no epsilon), one workgroup per row.
struct Params { rows: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const WG = 64u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.rows) { return; }
  let base = row * p.D;
  var s = 0.0;
  for (var i = li; i < p.D; i += WG) { s = fma(x[base + i], x[base + i], s); }
  partial[li] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (li < k) { partial[li] += partial[li + k]; }
    workgroupBarrier();
  }
  let inv = 1.0 / sqrt(partial[0]);
  for (var i = li; i < p.D; i += WG) { y[base + i] = x[base + i] * inv; }
}
