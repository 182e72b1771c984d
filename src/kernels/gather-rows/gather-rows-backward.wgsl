// gather-rows backward v1: dx [B, T, D] = zeros with dy[b] scattered to row index[b] of sequence b
// (one gathered row per sequence, so no two writes meet). One thread per element of dx.
struct Params { B: u32, T: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;    // [B, D]
@group(0) @binding(2) var<storage, read> index: array<u32>; // [B], each < T
@group(0) @binding(3) var<storage, read_write> dx: array<f32>; // [B, T, D]

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.B * p.T * p.D) { return; }
  let d = idx % p.D;
  let t = (idx / p.D) % p.T;
  let b = idx / (p.D * p.T);
  var v = 0.0;
  if (t == index[b]) { v = dy[b * p.D + d]; }
  dx[idx] = v;
}
