// Peak probes: the adapter's own roofline.
//   MODE 0 (FMA throughput): each invocation runs `iters` rounds of 8 independent vec4 FMA chains
//     acc = fma(acc, m, c) on runtime values (no constant folding), then writes the sum.
//   MODE 1 (copy bandwidth): dst[i] = src[i] over n vec4s, grid-stride.
struct Params {
  n: u32,
  iters: u32,
  m: f32,
  c: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4<f32>>;

override MODE: u32 = 0u;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (MODE == 0u) {
    if (i >= p.n) {
      return;
    }
    let m = vec4<f32>(p.m);
    let c = vec4<f32>(p.c);
    var a0 = src[i];
    var a1 = a0 + vec4<f32>(0.125);
    var a2 = a0 + vec4<f32>(0.25);
    var a3 = a0 + vec4<f32>(0.375);
    var a4 = a0 + vec4<f32>(0.5);
    var a5 = a0 + vec4<f32>(0.625);
    var a6 = a0 + vec4<f32>(0.75);
    var a7 = a0 + vec4<f32>(0.875);
    for (var k = 0u; k < p.iters; k++) {
      a0 = fma(a0, m, c);
      a1 = fma(a1, m, c);
      a2 = fma(a2, m, c);
      a3 = fma(a3, m, c);
      a4 = fma(a4, m, c);
      a5 = fma(a5, m, c);
      a6 = fma(a6, m, c);
      a7 = fma(a7, m, c);
    }
    dst[i] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
  } else {
    let stride = nwg.x * nwg.y * 256u;
    for (var j = i; j < p.n; j += stride) {
      dst[j] = src[j];
    }
  }
}
