// softmax v1: one workgroup per row of length N; max-subtracted for stability.
struct Params { rows: u32, N: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const WG = 128u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.rows) { return; }
  let base = row * p.N;
  var m = -0x1.fffffep+127f;
  for (var i = li; i < p.N; i += WG) { m = max(m, x[base + i]); }
  partial[li] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) { partial[li] = max(partial[li], partial[li + s]); }
    workgroupBarrier();
  }
  let rowMax = partial[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var i = li; i < p.N; i += WG) { sum += exp(x[base + i] - rowMax); }
  partial[li] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (li < s) { partial[li] += partial[li + s]; }
    workgroupBarrier();
  }
  let inv = 1.0 / partial[0];
  for (var i = li; i < p.N; i += WG) { y[base + i] = exp(x[base + i] - rowMax) * inv; }
}
