// patch-embed backward v1: conv weights dW[d, c, ky, kx] += Σ_b Σ_patch dY[b, 1+patch, d] · pixel
// (stride = kernel: each pixel feeds one patch). One invocation per weight, b and patch ascending
// (deterministic). The class and position gradients are column sums (embedding-backward-positions).
struct Params { B: u32, C: u32, S: u32, P: u32, D: u32, G: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> pixels: array<f32>;  // [B, C, S, S]
@group(0) @binding(2) var<storage, read> dy: array<f32>;      // [B, 1 + G², D]
@group(0) @binding(3) var<storage, read_write> dw: array<f32>; // [D, C, P, P], accumulated into

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  let PP = p.P * p.P;
  if (idx >= p.D * p.C * PP) { return; }
  let kx = idx % p.P;
  let ky = (idx / p.P) % p.P;
  let c = (idx / PP) % p.C;
  let d = idx / (PP * p.C);
  let T = 1u + p.G * p.G;
  var s = 0.0;
  for (var b = 0u; b < p.B; b++) {
    let plane = (b * p.C + c) * p.S;
    for (var t = 1u; t < T; t++) {
      let py = (t - 1u) / p.G;
      let px = (t - 1u) % p.G;
      s += dy[(b * T + t) * p.D + d] * pixels[(plane + py * p.P + ky) * p.S + px * p.P + kx];
    }
  }
  dw[idx] = dw[idx] + s;
}
