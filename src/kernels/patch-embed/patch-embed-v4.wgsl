// patch-embed v4: vs v2, one subgroup per 4 channels x 4 patches (needs 'subgroups'): its lanes
// split the kernel's columns (lane j takes kx = j, j + sg, ...), so neighbouring lanes read
// neighbouring pixels and weights (one vector load on SIMD-across-lanes CPUs, coalesced on GPUs),
// and subgroupAdd sums the lanes at the end. Any P; C and P are pipeline constants. Assumes
// subgroups are consecutive local invocation indices and a subgroup size that divides WG.
enable subgroups;
diagnostic(off, subgroup_uniformity);

struct Params { B: u32, S: u32, G: u32, D: u32, tiles: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> pixels: array<f32>; // [B, C, S, S]
@group(0) @binding(2) var<storage, read> w: array<f32>;      // [D, C, P, P]
@group(0) @binding(3) var<storage, read> cls: array<f32>;    // [D]
@group(0) @binding(4) var<storage, read> pos: array<f32>;    // [1 + G*G, D]
@group(0) @binding(5) var<storage, read_write> y: array<f32>; // [B, 1 + G*G, D]

override C: u32 = 3u;
override P: u32 = 32u;
override WG: u32 = 64u;

fn patch_base(n: u32, np: u32) -> u32 {
  let m = min(n, np - 1u);
  let gg = p.G * p.G;
  let q = m % gg;
  return ((m / gg) * C * p.S + (q / p.G) * P) * p.S + (q % p.G) * P;
}

// Patch n's row of y, or none past the batch.
fn store(n: u32, np: u32, d0: u32, a: vec4f) {
  if (n >= np) { return; }
  let gg = p.G * p.G;
  let t = 1u + n % gg;
  let o = ((n / gg) * (1u + gg) + t) * p.D + d0;
  let q = t * p.D + d0;
  y[o] = a.x + pos[q];
  if (d0 + 1u < p.D) { y[o + 1u] = a.y + pos[q + 1u]; }
  if (d0 + 2u < p.D) { y[o + 2u] = a.z + pos[q + 2u]; }
  if (d0 + 3u < p.D) { y[o + 3u] = a.w + pos[q + 3u]; }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32,
        @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) sg: u32) {
  let gidx = (wg.x + wg.y * nwg.x) * WG + li;
  // The class-token rows, one value per invocation (grid-stride over B·D).
  for (var i = gidx; i < p.B * p.D; i += nwg.x * nwg.y * WG) {
    let d = i % p.D;
    y[(i / p.D) * (1u + p.G * p.G) * p.D + d] = cls[d] + pos[d];
  }
  let tile = gidx / sg;         // the same on every lane of a subgroup
  if (tile >= p.tiles) { return; }
  let DG = (p.D + 3u) / 4u;
  let d0 = (tile % DG) * 4u;    // channels d0 .. d0+3 (clamped for reading)
  let n0 = (tile / DG) * 4u;    // patches n0 .. n0+3 over the batch
  let np = p.B * p.G * p.G;
  let PP = P * P;
  let K = C * PP;
  let wa = min(d0, p.D - 1u) * K;
  let wb = min(d0 + 1u, p.D - 1u) * K;
  let wc = min(d0 + 2u, p.D - 1u) * K;
  let wd = min(d0 + 3u, p.D - 1u) * K;
  let b0 = patch_base(n0, np);
  let b1 = patch_base(n0 + 1u, np);
  let b2 = patch_base(n0 + 2u, np);
  let b3 = patch_base(n0 + 3u, np);
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  var a3 = vec4f(0.0);
  for (var c = 0u; c < C; c++) {
    for (var ky = 0u; ky < P; ky++) {
      let prow = (c * p.S + ky) * p.S;
      let wrow = c * PP + ky * P;
      for (var kx0 = 0u; kx0 < P; kx0 += sg) {
        // No branch (masked loads do not vectorize): a lane past the row reads the row's last
        // column and weighs it 0.
        let kx = min(kx0 + lane, P - 1u);
        let k = wrow + kx;
        let wv = vec4f(w[wa + k], w[wb + k], w[wc + k], w[wd + k]) * select(0.0, 1.0, kx0 + lane < P);
        let o = prow + kx;
        a0 = fma(vec4f(pixels[b0 + o]), wv, a0);
        a1 = fma(vec4f(pixels[b1 + o]), wv, a1);
        a2 = fma(vec4f(pixels[b2 + o]), wv, a2);
        a3 = fma(vec4f(pixels[b3 + o]), wv, a3);
      }
    }
  }
  a0 = subgroupAdd(a0);
  a1 = subgroupAdd(a1);
  a2 = subgroupAdd(a2);
  a3 = subgroupAdd(a3);
  // Lane j (mod sg) writes patch j's 4 values.
  if (lane == 0u) { store(n0, np, d0, a0); }
  if (lane == 1u % sg) { store(n0 + 1u, np, d0, a1); }
  if (lane == 2u % sg) { store(n0 + 2u, np, d0, a2); }
  if (lane == 3u % sg) { store(n0 + 3u, np, d0, a3); }
}
