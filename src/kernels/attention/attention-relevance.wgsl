// attention relevance v1 (Chefer et al. 2021, "Generic Attention-model Explainability"): one layer's
// gradient-weighted attention, averaged over heads: cam[b, i, j] = mean_h relu(dP ⊙ P)[b, h, i, j].
// One thread per (b, i, j).
struct Params { B: u32, H: u32, TT: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> probs: array<f32>;     // [B, H, T, T]
@group(0) @binding(2) var<storage, read> gradProbs: array<f32>; // [B, H, T, T]
@group(0) @binding(3) var<storage, read_write> cam: array<f32>; // [B, T, T]

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.B * p.TT) { return; }
  let b = idx / p.TT;
  let ij = idx % p.TT;
  var s = 0.0;
  for (var h = 0u; h < p.H; h++) {
    let e = (b * p.H + h) * p.TT + ij;
    s += max(probs[e] * gradProbs[e], 0.0);
  }
  cam[idx] = s / f32(p.H);
}
