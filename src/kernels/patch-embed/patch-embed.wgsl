// patch-embed v1: the ViT stem. Row 0 = class_embedding + pos[0]; row 1+p = conv2d(pixels,
// W, stride = patch, no bias) at patch p (row-major) + pos[1+p]. One thread per output value.
struct Params { B: u32, C: u32, S: u32, P: u32, G: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> pixels: array<f32>; // [B, C, S, S]
@group(0) @binding(2) var<storage, read> w: array<f32>;      // [D, C, P, P]
@group(0) @binding(3) var<storage, read> cls: array<f32>;    // [D]
@group(0) @binding(4) var<storage, read> pos: array<f32>;    // [1 + G*G, D]
@group(0) @binding(5) var<storage, read_write> y: array<f32>; // [B, 1 + G*G, D]

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let T = 1u + p.G * p.G;
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.B * T * p.D) { return; }
  let d = idx % p.D;
  let t = (idx / p.D) % T;
  let b = idx / (p.D * T);
  if (t == 0u) {
    y[idx] = cls[d] + pos[d];
    return;
  }
  let py = (t - 1u) / p.G;
  let px = (t - 1u) % p.G;
  var acc = 0.0;
  for (var c = 0u; c < p.C; c++) {
    for (var ky = 0u; ky < p.P; ky++) {
      let prow = ((b * p.C + c) * p.S + py * p.P + ky) * p.S + px * p.P;
      let wrow = ((d * p.C + c) * p.P + ky) * p.P;
      for (var kx = 0u; kx < p.P; kx++) { acc = fma(pixels[prow + kx], w[wrow + kx], acc); }
    }
  }
  y[idx] = acc + pos[t * p.D + d];
}
