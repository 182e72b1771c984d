// matmul v1: y[M,N] = alpha * x[M,K] · W[N,K]ᵀ (+ bias[N]), the Hugging Face Linear layout.
// 64x64 output tile per workgroup, 16-deep K slices staged in workgroup memory, 4x4 outputs per thread.
// Params p, bias, y, res and fn epilogue(r, c, acc): epilogue.wgsl, appended by matmul.ts.
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;

const BM = 64u;
const BN = 64u;
const BK = 16u;

var<workgroup> xs: array<f32, 1024>; // [BK][BM]
var<workgroup> ws: array<f32, 1024>; // [BK][BN]

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * BM;
  let col0 = wg.x * BN;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < p.K; k0 += BK) {
    // 256 threads stage 64 rows x 16 k of x and of W; consecutive threads read consecutive k.
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
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { a[i] = xs[k * BM + lid.y + i * 16u]; }
      for (var j = 0u; j < 4u; j++) { b[j] = ws[k * BN + lid.x + j * 16u]; }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] = fma(a[i], b[j], acc[i * 4u + j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y + i * 16u;
    if (r >= p.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x + j * 16u;
      if (c >= p.N) { continue; }
      epilogue(r, c, acc[i * 4u + j]);
    }
  }
}
