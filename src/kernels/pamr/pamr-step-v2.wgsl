// pamr-step v2: an invocation per pixel instead of per value: the pixel's 8·ND neighbour offsets
// (edges replicated) and affinity weights are computed and loaded once into registers, then every
// mask channel is summed from them. v1 recomputed both for each of the C channels (C× the clamps
// and the weight loads): with the 21 maps of a segmentation the step is weight-load bound on CPUs.
struct Params { H: u32, W: u32, C: u32, ND: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> dilations: array<u32>;
@group(0) @binding(3) var<storage, read> mask: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

const WG = 64u;
/** At most 16 dilations (pamr.ts checks). */
const MAX_N = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let HW = p.H * p.W;
  let pix = (wg.x + wg.y * nwg.x) * WG + li;
  if (pix >= HW) { return; }
  let y = i32(pix / p.W);
  let x = i32(pix % p.W);
  let N = 8u * p.ND;
  var q: array<u32, MAX_N>;
  var w: array<f32, MAX_N>;
  for (var di = 0u; di < p.ND; di++) {
    let d = i32(dilations[di]);
    for (var k = 0u; k < 9u; k++) {
      if (k == 4u) { continue; }
      let yy = clamp(y + (i32(k / 3u) - 1) * d, 0, i32(p.H) - 1);
      let xx = clamp(x + (i32(k % 3u) - 1) * d, 0, i32(p.W) - 1);
      let n = di * 8u + select(k, k - 1u, k > 4u);
      q[n] = u32(yy) * p.W + u32(xx);
      w[n] = weights[n * HW + pix];
    }
  }
  for (var c = 0u; c < p.C; c++) {
    let base = c * HW;
    var acc = 0.0;
    for (var n = 0u; n < N; n++) { acc += w[n] * mask[base + q[n]]; }
    out[base + pix] = acc;
  }
}
