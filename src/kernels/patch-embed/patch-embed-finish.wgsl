// patch-embed finish (v3): y[b, 0] = cls + pos[0]; y[b, 1 + q] = conv[b*G*G + q] + pos[1 + q].
struct Params { B: u32, T: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> conv: array<f32>;  // [B*(T-1), D]
@group(0) @binding(2) var<storage, read> cls: array<f32>;   // [D]
@group(0) @binding(3) var<storage, read> pos: array<f32>;   // [T, D]
@group(0) @binding(4) var<storage, read_write> y: array<f32>; // [B, T, D]

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.B * p.T * p.D) { return; }
  let d = idx % p.D;
  let t = (idx / p.D) % p.T;
  let b = idx / (p.D * p.T);
  if (t == 0u) {
    y[idx] = cls[d] + pos[d];
  } else {
    y[idx] = conv[(b * (p.T - 1u) + t - 1u) * p.D + d] + pos[t * p.D + d];
  }
}
