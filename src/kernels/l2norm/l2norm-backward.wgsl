// l2norm backward v1: with y = x / |x|, dx = (dy − x·(x·dy)/|x|²) / |x|, one workgroup per row.
struct Params { rows: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

const WG = 64u;
var<workgroup> partial: array<vec2<f32>, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.rows) { return; }
  let base = row * p.D;
  var s = vec2<f32>(0.0);
  for (var i = li; i < p.D; i += WG) {
    let v = x[base + i];
    s += vec2<f32>(v * v, v * dy[base + i]);
  }
  partial[li] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (li < k) { partial[li] += partial[li + k]; }
    workgroupBarrier();
  }
  let ss = partial[0].x;
  let c = partial[0].y / ss;
  let inv = inverseSqrt(ss);
  for (var i = li; i < p.D; i += WG) { dx[base + i] = (dy[base + i] - x[base + i] * c) * inv; }
}
