// softmax backward v1: from the forward's output y, dx = y ⊙ (dy − Σ y·dy), one workgroup per row.
struct Params { rows: u32, N: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

const WG = 128u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.rows) { return; }
  let base = row * p.N;
  var s = 0.0;
  for (var i = li; i < p.N; i += WG) { s = fma(y[base + i], dy[base + i], s); }
  partial[li] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (li < k) { partial[li] += partial[li + k]; }
    workgroupBarrier();
  }
  let dot = partial[0];
  for (var i = li; i < p.N; i += WG) { dx[base + i] = y[base + i] * (dy[base + i] - dot); }
}
