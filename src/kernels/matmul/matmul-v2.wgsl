// matmul v2: as v1 (64x64 tile, 16-deep K slices, 4x4 outputs per thread), but the 16 accumulators
// are four vec4 registers updated by unrolled fma instead of a dynamically indexed array, which CPU
// adapters (SwiftShader) otherwise keep in memory.
// Params p, bias, y, res and fn epilogue(r, c, acc): epilogue.wgsl, appended by matmul.ts.
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;

const BM = 64u;
const BN = 64u;
const BK = 16u;

var<workgroup> xs: array<f32, 1024>; // [BK][BM]
var<workgroup> ws: array<f32, 1024>; // [BK][BN]

fn store(r: u32, c0: u32, v: vec4<f32>) {
  if (r >= p.M) { return; }
  for (var j = 0u; j < 4u; j++) {
    let c = c0 + j * 16u;
    if (c < p.N) { epilogue(r, c, v[j]); }
  }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * BM;
  let col0 = wg.x * BN;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < p.K; k0 += BK) {
    for (var i = 0u; i < 4u; i++) {
      let e = li + i * 256u;
      let r = e / BK;
      let k = e % BK;
      var xv = 0.0;
      var wv = 0.0;
      if (row0 + r < p.M && k0 + k < p.K) { xv = x[(row0 + r) * p.K + k0 + k]; }
      if (col0 + r < p.N && k0 + k < p.K) { wv = w[(col0 + r) * p.K + k0 + k]; }
      xs[k * BM + r] = xv;
      ws[k * BN + r] = wv;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let xb = k * BM + lid.y;
      let wb = k * BN + lid.x;
      let a = vec4<f32>(xs[xb], xs[xb + 16u], xs[xb + 32u], xs[xb + 48u]);
      let b = vec4<f32>(ws[wb], ws[wb + 16u], ws[wb + 32u], ws[wb + 48u]);
      acc0 = fma(vec4<f32>(a.x), b, acc0);
      acc1 = fma(vec4<f32>(a.y), b, acc1);
      acc2 = fma(vec4<f32>(a.z), b, acc2);
      acc3 = fma(vec4<f32>(a.w), b, acc3);
    }
    workgroupBarrier();
  }
  let c0 = col0 + lid.x;
  store(row0 + lid.y, c0, acc0);
  store(row0 + lid.y + 16u, c0, acc1);
  store(row0 + lid.y + 32u, c0, acc2);
  store(row0 + lid.y + 48u, c0, acc3);
}
