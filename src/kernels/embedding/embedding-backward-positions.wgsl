// position embedding backward v1: pos[t] += Σ_b dY[b, t] for t < T (the class embedding too: T = 1),
// one invocation per (t, d), b ascending. dY rows of sequence b start at b·stride.
struct Params { B: u32, T: u32, D: u32, stride: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;        // [B, >= T, D]
@group(0) @binding(2) var<storage, read_write> pos: array<f32>; // [>= T, D], accumulated into

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.T * p.D) { return; }
  var s = 0.0;
  for (var b = 0u; b < p.B; b++) { s += dy[b * p.stride + idx]; }
  pos[idx] = pos[idx] + s;
}
