// pamr-affinity v1: PAMR's affinity weights (reference.ts), an invocation per pixel. For each of the
// 8 neighbours at every dilation (edges replicated): a_n = mean over image channels of
// −|x(p) − x(q_n)| / (1e-8 + 0.1 σ(p)), σ the channel's standard deviation (unbiased) over the centre
// (once per dilation) and all neighbours; w = softmax over n. image [K, H, W] -> w [8·ND, H, W].
struct Params { H: u32, W: u32, K: u32, ND: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> image: array<f32>;
@group(0) @binding(2) var<storage, read> dilations: array<u32>;
@group(0) @binding(3) var<storage, read_write> weights: array<f32>;

const WG = 256u;
/** At most 16 dilations (pamr.ts checks). */
const MAX_N = 128u;

fn neighbour(y: i32, x: i32, n: u32) -> u32 {
  let d = i32(dilations[n / 8u]);
  let o = n % 8u;
  // offsets [-1,-1] [-1,0] [-1,1] [0,-1] [0,1] [1,-1] [1,0] [1,1]: skip the centre (index 4 of 9)
  let k = select(o, o + 1u, o >= 4u);
  let dy = i32(k / 3u) - 1;
  let dx = i32(k % 3u) - 1;
  let yy = clamp(y + dy * d, 0, i32(p.H) - 1);
  let xx = clamp(x + dx * d, 0, i32(p.W) - 1);
  return u32(yy) * p.W + u32(xx);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let HW = p.H * p.W;
  let i = (wg.x + wg.y * nwg.x) * WG + li;
  if (i >= HW) { return; }
  let y = i32(i / p.W);
  let x = i32(i % p.W);
  let N = 8u * p.ND;
  var a: array<f32, MAX_N>;
  for (var n = 0u; n < N; n++) { a[n] = 0.0; }
  let count = f32(9u * p.ND);
  for (var k = 0u; k < p.K; k++) {
    let base = k * HW;
    let c = image[base + i];
    // σ from deviations about the centre (shift-invariant sums: no cancellation for bright pixels)
    var s = 0.0;
    var sq = 0.0;
    for (var n = 0u; n < N; n++) {
      let v = image[base + neighbour(y, x, n)] - c;
      s += v;
      sq += v * v;
    }
    let mean = s / count;
    let sigma = sqrt(max(0.0, (sq - count * mean * mean) / (count - 1.0)));
    let scale = 1.0 / ((1e-8 + 0.1 * sigma) * f32(p.K));
    for (var n = 0u; n < N; n++) {
      a[n] -= abs(c - image[base + neighbour(y, x, n)]) * scale;
    }
  }
  var m = a[0];
  for (var n = 1u; n < N; n++) { m = max(m, a[n]); }
  var total = 0.0;
  for (var n = 0u; n < N; n++) {
    a[n] = exp(a[n] - m);
    total += a[n];
  }
  for (var n = 0u; n < N; n++) { weights[n * HW + i] = a[n] / total; }
}
