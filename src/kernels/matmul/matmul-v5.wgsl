// matmul v5 (for real GPUs): as v2 a workgroup-memory tile, but 32x32 (64 threads, 4x4 outputs each) so that M=50..77 still
// gives N/32 x 2..3 workgroups, and 32-deep K slices staged with coalesced vec4 loads along K (needs K % 4 == 0). Fused epilogue.
// Params p, bias, y, res and fn epilogue(r, c, acc): epilogue.wgsl, appended by matmul.ts.
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;

const BM = 32u;
const BN = 32u;
const BK = 32u;

var<workgroup> xs: array<f32, 1024>; // [BK][BM]
var<workgroup> ws: array<f32, 1024>; // [BK][BN]

fn store(r: u32, c0: u32, v: vec4<f32>) {
  if (r >= p.M) { return; }
  for (var j = 0u; j < 4u; j++) {
    let c = c0 + j * 8u;
    if (c < p.N) { epilogue(r, c, v[j]); }
  }
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * BM;
  let col0 = wg.x * BN;
  let K4 = p.K / 4u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < K4; k0 += BK / 4u) {
    // 64 threads stage 32 rows x 8 vec4 of x and of W; 8 consecutive threads read one row's 128 bytes.
    for (var i = 0u; i < 4u; i++) {
      let e = li + i * 64u;
      let r = e / 8u;
      let kq = e % 8u;
      var xv = vec4<f32>(0.0);
      var wv = vec4<f32>(0.0);
      if (k0 + kq < K4) {
        xv = x[min(row0 + r, p.M - 1u) * K4 + k0 + kq];
        wv = w[min(col0 + r, p.N - 1u) * K4 + k0 + kq];
      }
      let kb = kq * 4u;
      xs[kb * BM + r] = xv.x;
      xs[(kb + 1u) * BM + r] = xv.y;
      xs[(kb + 2u) * BM + r] = xv.z;
      xs[(kb + 3u) * BM + r] = xv.w;
      ws[kb * BN + r] = wv.x;
      ws[(kb + 1u) * BN + r] = wv.y;
      ws[(kb + 2u) * BN + r] = wv.z;
      ws[(kb + 3u) * BN + r] = wv.w;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let xb = k * BM + lid.y;
      let wb = k * BN + lid.x;
      let a = vec4<f32>(xs[xb], xs[xb + 8u], xs[xb + 16u], xs[xb + 24u]);
      let b = vec4<f32>(ws[wb], ws[wb + 8u], ws[wb + 16u], ws[wb + 24u]);
      acc0 = fma(vec4<f32>(a.x), b, acc0);
      acc1 = fma(vec4<f32>(a.y), b, acc1);
      acc2 = fma(vec4<f32>(a.z), b, acc2);
      acc3 = fma(vec4<f32>(a.w), b, acc3);
    }
    workgroupBarrier();
  }
  let c0 = col0 + lid.x;
  store(row0 + lid.y, c0, acc0);
  store(row0 + lid.y + 8u, c0, acc1);
  store(row0 + lid.y + 16u, c0, acc2);
  store(row0 + lid.y + 24u, c0, acc3);
}
