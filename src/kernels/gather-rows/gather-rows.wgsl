// gather-rows v1: y[b] = x[b, index[b]] — pooling one token per sequence (CLS or EOT).
struct Params { B: u32, T: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;     // [B, T, D]
@group(0) @binding(2) var<storage, read> index: array<u32>; // [B], each < T
@group(0) @binding(3) var<storage, read_write> y: array<f32>; // [B, D]

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.B * p.D) { return; }
  let b = idx / p.D;
  let d = idx % p.D;
  y[idx] = x[(b * p.T + index[b]) * p.D + d];
}
