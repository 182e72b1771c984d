// patch-embed v3: vs v1, the convolution as a matmul: this kernel copies each patch into a row of
// cols [B*G*G, C*P*P] (im2col, in W's [D, C*P*P] order); `matmul` (the adapter's chosen version)
// computes cols·Wᵀ, and patch-embed-finish.wgsl adds the class token and the positions. Any P.
struct Params { B: u32, S: u32, G: u32, n: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> pixels: array<f32>;      // [B, C, S, S]
@group(0) @binding(2) var<storage, read_write> cols: array<f32>;  // [B*G*G, C*P*P]

override C: u32 = 3u;
override P: u32 = 32u;
const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.n) { return; }
  let K = C * P * P;
  let k = idx % K;
  let m = idx / K;              // patch over the batch
  let gg = p.G * p.G;
  let b = m / gg;
  let q = m % gg;
  let c = k / (P * P);
  let ky = (k / P) % P;
  let kx = k % P;
  cols[idx] = pixels[((b * C + c) * p.S + (q / p.G) * P + ky) * p.S + (q % p.G) * P + kx];
}
