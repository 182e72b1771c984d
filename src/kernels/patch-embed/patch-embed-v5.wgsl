// patch-embed v5: vs v2, 8 patches per invocation instead of 4: the 4 weight loads (which lanes
// read apart) serve 32 dot products instead of 16.
struct Params { B: u32, S: u32, G: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> pixels: array<vec4f>; // [B, C, S, S]
@group(0) @binding(2) var<storage, read> w: array<vec4f>;      // [D, C, P, P]
@group(0) @binding(3) var<storage, read> cls: array<vec4f>;    // [D]
@group(0) @binding(4) var<storage, read> pos: array<vec4f>;    // [1 + G*G, D]
@group(0) @binding(5) var<storage, read_write> y: array<vec4f>; // [B, 1 + G*G, D]

override C: u32 = 3u;
override P: u32 = 32u;
const WG = 64u;

// Pixel offset (in vec4) of patch n's top-left corner; n is clamped so reads stay in bounds.
fn patch_base(n: u32, np: u32) -> u32 {
  let m = min(n, np - 1u);
  let gg = p.G * p.G;
  let b = m / gg;
  let q = m % gg;
  return ((b * C * p.S + (q / p.G) * P) * p.S + (q % p.G) * P) / 4u;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let D4 = p.D / 4u;
  let T = 1u + p.G * p.G;
  let np = p.B * p.G * p.G;
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  let dg = idx % D4;            // channels 4dg .. 4dg+3
  let pg = idx / D4;            // patches 8pg .. 8pg+7 (over the batch)
  if (pg * 8u >= np) {
    // The class-token rows: cls + pos[0], one per image, by the first invocations past the patches.
    let r = idx - ((np + 7u) / 8u) * D4;
    if (r < p.B * D4) { y[(r / D4) * T * D4 + r % D4] = cls[r % D4] + pos[r % D4]; }
    return;
  }
  let S4 = p.S / 4u;
  let P4 = P / 4u;
  let K4 = C * P * P4;
  let b0 = patch_base(pg * 8u, np);
  let b1 = patch_base(pg * 8u + 1u, np);
  let b2 = patch_base(pg * 8u + 2u, np);
  let b3 = patch_base(pg * 8u + 3u, np);
  let b4 = patch_base(pg * 8u + 4u, np);
  let b5 = patch_base(pg * 8u + 5u, np);
  let b6 = patch_base(pg * 8u + 6u, np);
  let b7 = patch_base(pg * 8u + 7u, np);
  let w0 = dg * 4u * K4;
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  var a3 = vec4f(0.0);
  var a4 = vec4f(0.0);
  var a5 = vec4f(0.0);
  var a6 = vec4f(0.0);
  var a7 = vec4f(0.0);
  for (var c = 0u; c < C; c++) {
    for (var ky = 0u; ky < P; ky++) {
      let prow = (c * p.S + ky) * S4;
      let wrow = w0 + (c * P + ky) * P4;
      for (var kx = 0u; kx < P4; kx++) {
        let x0 = pixels[b0 + prow + kx];
        let x1 = pixels[b1 + prow + kx];
        let x2 = pixels[b2 + prow + kx];
        let x3 = pixels[b3 + prow + kx];
        let x4 = pixels[b4 + prow + kx];
        let x5 = pixels[b5 + prow + kx];
        let x6 = pixels[b6 + prow + kx];
        let x7 = pixels[b7 + prow + kx];
        let k = wrow + kx;
        let wa = w[k];
        let wb = w[k + K4];
        let wc = w[k + 2u * K4];
        let wd = w[k + 3u * K4];
        a0 += vec4f(dot(wa, x0), dot(wb, x0), dot(wc, x0), dot(wd, x0));
        a1 += vec4f(dot(wa, x1), dot(wb, x1), dot(wc, x1), dot(wd, x1));
        a2 += vec4f(dot(wa, x2), dot(wb, x2), dot(wc, x2), dot(wd, x2));
        a3 += vec4f(dot(wa, x3), dot(wb, x3), dot(wc, x3), dot(wd, x3));
        a4 += vec4f(dot(wa, x4), dot(wb, x4), dot(wc, x4), dot(wd, x4));
        a5 += vec4f(dot(wa, x5), dot(wb, x5), dot(wc, x5), dot(wd, x5));
        a6 += vec4f(dot(wa, x6), dot(wb, x6), dot(wc, x6), dot(wd, x6));
        a7 += vec4f(dot(wa, x7), dot(wb, x7), dot(wc, x7), dot(wd, x7));
      }
    }
  }
  // Patch n of the batch is row 1 + n % G² of image n / G².
  let gg = p.G * p.G;
  let n0 = pg * 8u;
  let t0 = 1u + n0 % gg;
  y[((n0 / gg) * T + t0) * D4 + dg] = a0 + pos[t0 * D4 + dg];
  if (n0 + 1u < np) { let t = 1u + (n0 + 1u) % gg; y[(((n0 + 1u) / gg) * T + t) * D4 + dg] = a1 + pos[t * D4 + dg]; }
  if (n0 + 2u < np) { let t = 1u + (n0 + 2u) % gg; y[(((n0 + 2u) / gg) * T + t) * D4 + dg] = a2 + pos[t * D4 + dg]; }
  if (n0 + 3u < np) { let t = 1u + (n0 + 3u) % gg; y[(((n0 + 3u) / gg) * T + t) * D4 + dg] = a3 + pos[t * D4 + dg]; }
  if (n0 + 4u < np) { let t = 1u + (n0 + 4u) % gg; y[(((n0 + 4u) / gg) * T + t) * D4 + dg] = a4 + pos[t * D4 + dg]; }
  if (n0 + 5u < np) { let t = 1u + (n0 + 5u) % gg; y[(((n0 + 5u) / gg) * T + t) * D4 + dg] = a5 + pos[t * D4 + dg]; }
  if (n0 + 6u < np) { let t = 1u + (n0 + 6u) % gg; y[(((n0 + 6u) / gg) * T + t) * D4 + dg] = a6 + pos[t * D4 + dg]; }
  if (n0 + 7u < np) { let t = 1u + (n0 + 7u) % gg; y[(((n0 + 7u) / gg) * T + t) * D4 + dg] = a7 + pos[t * D4 + dg]; }
}
