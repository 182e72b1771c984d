// patch-embed v6: vs v5, 8 channels x 8 patches per invocation: 16 vec4 loads serve 64 dot products
// (v5: 12 for 32). Needs D % 8 == 0.
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

// Patch n's 4 channels 4·dg .. 4·dg+3, plus its position, unless n is past the batch.
fn store(n: u32, np: u32, dg: u32, a: vec4f) {
  if (n >= np) { return; }
  let D4 = p.D / 4u;
  let gg = p.G * p.G;
  let t = 1u + n % gg;
  y[((n / gg) * (1u + gg) + t) * D4 + dg] = a + pos[t * D4 + dg];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let D4 = p.D / 4u;
  let D8 = p.D / 8u;
  let T = 1u + p.G * p.G;
  let np = p.B * p.G * p.G;
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  let dg = idx % D8;            // channels 8dg .. 8dg+7
  let pg = idx / D8;            // patches 8pg .. 8pg+7 (over the batch)
  if (pg * 8u >= np) {
    // The class-token rows: cls + pos[0], one vec4 per invocation past the patches.
    let r = idx - ((np + 7u) / 8u) * D8;
    if (r < p.B * D4) { y[(r / D4) * T * D4 + r % D4] = cls[r % D4] + pos[r % D4]; }
    return;
  }
  let S4 = p.S / 4u;
  let P4 = P / 4u;
  let K4 = C * P * P4;
  let n0 = pg * 8u;
  let b0 = patch_base(n0 + 0u, np);
  let b1 = patch_base(n0 + 1u, np);
  let b2 = patch_base(n0 + 2u, np);
  let b3 = patch_base(n0 + 3u, np);
  let b4 = patch_base(n0 + 4u, np);
  let b5 = patch_base(n0 + 5u, np);
  let b6 = patch_base(n0 + 6u, np);
  let b7 = patch_base(n0 + 7u, np);
  let w0 = dg * 8u * K4;
  var a00 = vec4f(0.0);
  var a01 = vec4f(0.0);
  var a10 = vec4f(0.0);
  var a11 = vec4f(0.0);
  var a20 = vec4f(0.0);
  var a21 = vec4f(0.0);
  var a30 = vec4f(0.0);
  var a31 = vec4f(0.0);
  var a40 = vec4f(0.0);
  var a41 = vec4f(0.0);
  var a50 = vec4f(0.0);
  var a51 = vec4f(0.0);
  var a60 = vec4f(0.0);
  var a61 = vec4f(0.0);
  var a70 = vec4f(0.0);
  var a71 = vec4f(0.0);
  for (var c = 0u; c < C; c++) {
    for (var ky = 0u; ky < P; ky++) {
      let prow = (c * p.S + ky) * S4;
      let wrow = w0 + (c * P + ky) * P4;
      for (var kx = 0u; kx < P4; kx++) {
        let k = wrow + kx;
        let w0 = w[k + 0u * K4];
        let w1 = w[k + 1u * K4];
        let w2 = w[k + 2u * K4];
        let w3 = w[k + 3u * K4];
        let w4 = w[k + 4u * K4];
        let w5 = w[k + 5u * K4];
        let w6 = w[k + 6u * K4];
        let w7 = w[k + 7u * K4];
        let x0 = pixels[b0 + prow + kx];
        let x1 = pixels[b1 + prow + kx];
        let x2 = pixels[b2 + prow + kx];
        let x3 = pixels[b3 + prow + kx];
        let x4 = pixels[b4 + prow + kx];
        let x5 = pixels[b5 + prow + kx];
        let x6 = pixels[b6 + prow + kx];
        let x7 = pixels[b7 + prow + kx];
        a00 += vec4f(dot(w0, x0), dot(w1, x0), dot(w2, x0), dot(w3, x0));
        a01 += vec4f(dot(w4, x0), dot(w5, x0), dot(w6, x0), dot(w7, x0));
        a10 += vec4f(dot(w0, x1), dot(w1, x1), dot(w2, x1), dot(w3, x1));
        a11 += vec4f(dot(w4, x1), dot(w5, x1), dot(w6, x1), dot(w7, x1));
        a20 += vec4f(dot(w0, x2), dot(w1, x2), dot(w2, x2), dot(w3, x2));
        a21 += vec4f(dot(w4, x2), dot(w5, x2), dot(w6, x2), dot(w7, x2));
        a30 += vec4f(dot(w0, x3), dot(w1, x3), dot(w2, x3), dot(w3, x3));
        a31 += vec4f(dot(w4, x3), dot(w5, x3), dot(w6, x3), dot(w7, x3));
        a40 += vec4f(dot(w0, x4), dot(w1, x4), dot(w2, x4), dot(w3, x4));
        a41 += vec4f(dot(w4, x4), dot(w5, x4), dot(w6, x4), dot(w7, x4));
        a50 += vec4f(dot(w0, x5), dot(w1, x5), dot(w2, x5), dot(w3, x5));
        a51 += vec4f(dot(w4, x5), dot(w5, x5), dot(w6, x5), dot(w7, x5));
        a60 += vec4f(dot(w0, x6), dot(w1, x6), dot(w2, x6), dot(w3, x6));
        a61 += vec4f(dot(w4, x6), dot(w5, x6), dot(w6, x6), dot(w7, x6));
        a70 += vec4f(dot(w0, x7), dot(w1, x7), dot(w2, x7), dot(w3, x7));
        a71 += vec4f(dot(w4, x7), dot(w5, x7), dot(w6, x7), dot(w7, x7));
      }
    }
  }
  store(n0 + 0u, np, dg * 2u + 0u, a00);
  store(n0 + 0u, np, dg * 2u + 1u, a01);
  store(n0 + 1u, np, dg * 2u + 0u, a10);
  store(n0 + 1u, np, dg * 2u + 1u, a11);
  store(n0 + 2u, np, dg * 2u + 0u, a20);
  store(n0 + 2u, np, dg * 2u + 1u, a21);
  store(n0 + 3u, np, dg * 2u + 0u, a30);
  store(n0 + 3u, np, dg * 2u + 1u, a31);
  store(n0 + 4u, np, dg * 2u + 0u, a40);
  store(n0 + 4u, np, dg * 2u + 1u, a41);
  store(n0 + 5u, np, dg * 2u + 0u, a50);
  store(n0 + 5u, np, dg * 2u + 1u, a51);
  store(n0 + 6u, np, dg * 2u + 0u, a60);
  store(n0 + 6u, np, dg * 2u + 1u, a61);
  store(n0 + 7u, np, dg * 2u + 0u, a70);
  store(n0 + 7u, np, dg * 2u + 1u, a71);
}
