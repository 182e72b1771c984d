// layernorm backward v1, dγ and dβ: one thread per feature, summing over the rows with the
// (mean, rstd) the dX kernel wrote: dγ = Σ dy·(x − mean)·rstd, dβ = Σ dy.
struct Params { rows: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(5) var<storage, read_write> dbeta: array<f32>;

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.x + wg.y * nwg.x) * WG + li;
  if (i >= p.D) { return; }
  var sg = 0.0;
  var sb = 0.0;
  for (var r = 0u; r < p.rows; r++) {
    let g = dy[r * p.D + i];
    sg = fma(g, (x[r * p.D + i] - stats[r * 2u]) * stats[r * 2u + 1u], sg);
    sb += g;
  }
  dgamma[i] = sg;
  dbeta[i] = sb;
}
