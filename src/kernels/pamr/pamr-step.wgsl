// pamr-step v1: one PAMR refinement step (reference.ts), an invocation per mask value:
// out[c, p] = Σ_n w[n, p] · mask[c, q_n(p)], q_n the neighbours of pamr-affinity (edges replicated).
struct Params { H: u32, W: u32, C: u32, ND: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> dilations: array<u32>;
@group(0) @binding(3) var<storage, read> mask: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let HW = p.H * p.W;
  let i = (wg.x + wg.y * nwg.x) * WG + li;
  if (i >= HW * p.C) { return; }
  let c = i / HW;
  let pix = i % HW;
  let y = i32(pix / p.W);
  let x = i32(pix % p.W);
  let base = c * HW;
  var acc = 0.0;
  for (var di = 0u; di < p.ND; di++) {
    let d = i32(dilations[di]);
    for (var k = 0u; k < 9u; k++) {
      if (k == 4u) { continue; }
      let yy = clamp(y + (i32(k / 3u) - 1) * d, 0, i32(p.H) - 1);
      let xx = clamp(x + (i32(k % 3u) - 1) * d, 0, i32(p.W) - 1);
      let n = di * 8u + select(k, k - 1u, k > 4u);
      acc += weights[n * HW + pix] * mask[base + u32(yy) * p.W + u32(xx)];
    }
  }
  out[i] = acc;
}
