// matmul backward v1: C[M,N] = alpha · A·B, the two products the backward of y = alpha·x·Wᵀ + b needs,
// on matmul v2's tiling (64x64 output tile, 16-deep K slices, 4x4 outputs per thread in vec4s):
//   dX = alpha · dY·W    A = dY [M, K] (row-major),            B = W [K, N]  (A_KM = false)
//   dW = alpha · dYᵀ·X   A = dY read transposed: stored [K, M], B = X [K, N]  (A_KM = true)
// Both take B as stored [K, N] (not the forward's [N, K]); dW is its own pipeline (A_KM = true).
// Blocked summation: each 16-deep K slice is summed into fresh registers before it joins the running sums
// (dW's K is the batch's token count: 1,600 rows for B/32 at batch 32).
struct Params { M: u32, N: u32, K: u32, alpha: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

override A_KM: bool = false;

const BM = 64u;
const BN = 64u;
const BK = 16u;

var<workgroup> as_: array<f32, 1024>; // [BK][BM]
var<workgroup> bs: array<f32, 1024>;  // [BK][BN]

fn store(r: u32, c0: u32, v: vec4<f32>) {
  if (r >= p.M) { return; }
  for (var j = 0u; j < 4u; j++) {
    let col = c0 + j * 16u;
    if (col < p.N) { c[r * p.N + col] = p.alpha * v[j]; }
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
      // A: consecutive threads read consecutive addresses in either layout.
      var ra = e / BK;
      var ka = e % BK;
      if (A_KM) { ra = e % BM; ka = e / BM; }
      var av = 0.0;
      if (row0 + ra < p.M && k0 + ka < p.K) {
        if (A_KM) { av = a[(k0 + ka) * p.M + row0 + ra]; } else { av = a[(row0 + ra) * p.K + k0 + ka]; }
      }
      as_[ka * BM + ra] = av;
      let rb = e % BN;
      let kb = e / BN;
      var bv = 0.0;
      if (col0 + rb < p.N && k0 + kb < p.K) { bv = b[(k0 + kb) * p.N + col0 + rb]; }
      bs[kb * BN + rb] = bv;
    }
    workgroupBarrier();
    var t0 = vec4<f32>(0.0);
    var t1 = vec4<f32>(0.0);
    var t2 = vec4<f32>(0.0);
    var t3 = vec4<f32>(0.0);
    for (var k = 0u; k < BK; k++) {
      let ab = k * BM + lid.y;
      let bb = k * BN + lid.x;
      let av = vec4<f32>(as_[ab], as_[ab + 16u], as_[ab + 32u], as_[ab + 48u]);
      let bv = vec4<f32>(bs[bb], bs[bb + 16u], bs[bb + 32u], bs[bb + 48u]);
      t0 = fma(vec4<f32>(av.x), bv, t0);
      t1 = fma(vec4<f32>(av.y), bv, t1);
      t2 = fma(vec4<f32>(av.z), bv, t2);
      t3 = fma(vec4<f32>(av.w), bv, t3);
    }
    acc0 += t0;
    acc1 += t1;
    acc2 += t2;
    acc3 += t3;
    workgroupBarrier();
  }
  let c0 = col0 + lid.x;
  store(row0 + lid.y, c0, acc0);
  store(row0 + lid.y + 16u, c0, acc1);
  store(row0 + lid.y + 32u, c0, acc2);
  store(row0 + lid.y + 48u, c0, acc3);
}
