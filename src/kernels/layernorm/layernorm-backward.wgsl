// layernorm backward v1, dX: one workgroup per row. The row's mean and rstd are recomputed as the
// forward does (two passes); with x̂ = (x − mean)·rstd and g = dy·γ,
//   dx = rstd · (g − mean(g) − x̂ · mean(g·x̂)).
// (mean, rstd) of every row go to `stats` [rows, 2] for the dγ/dβ kernel.
struct Params { rows: u32, D: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
@group(0) @binding(5) var<storage, read_write> stats: array<f32>;

const WG = 128u;
var<workgroup> partial: array<vec2<f32>, WG>;

// Tree reduction of vec2s: `partial` holds one per thread on entry, the sums in partial[0] on exit.
fn tree_sum(li: u32) {
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (li < s) { partial[li] += partial[li + s]; }
  }
  workgroupBarrier();
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.rows) { return; } // uniform per workgroup
  let base = row * p.D;
  var s = 0.0;
  for (var i = li; i < p.D; i += WG) { s += x[base + i]; }
  partial[li] = vec2<f32>(s, 0.0);
  tree_sum(li);
  let mean = partial[0].x / f32(p.D);
  workgroupBarrier();
  var v = 0.0;
  for (var i = li; i < p.D; i += WG) { let d = x[base + i] - mean; v += d * d; }
  partial[li] = vec2<f32>(v, 0.0);
  tree_sum(li);
  let rstd = inverseSqrt(partial[0].x / f32(p.D) + p.eps);
  workgroupBarrier();
  var sums = vec2<f32>(0.0);
  for (var i = li; i < p.D; i += WG) {
    let g = dy[base + i] * gamma[i];
    sums += vec2<f32>(g, g * (x[base + i] - mean) * rstd);
  }
  partial[li] = sums;
  tree_sum(li);
  let mg = partial[0].x / f32(p.D);
  let mgx = partial[0].y / f32(p.D);
  for (var i = li; i < p.D; i += WG) {
    let xhat = (x[base + i] - mean) * rstd;
    dx[base + i] = rstd * (dy[base + i] * gamma[i] - mg - xhat * mgx);
  }
  if (li == 0u) {
    stats[row * 2u] = mean;
    stats[row * 2u + 1u] = rstd;
  }
}
