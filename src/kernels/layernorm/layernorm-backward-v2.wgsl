// layernorm backward v2, dX: vs v1, one invocation per row (16 rows a workgroup) and no workgroup
// memory or barriers, as the forward's v2 (CPU adapters, where v1's tree sums wait at 21 barriers a
// row): the row is read as vec4 (D % 4 == 0); the same two-pass statistics and the same formula,
//   dx = rstd · (g − mean(g) − x̂ · mean(g·x̂)),  x̂ = (x − mean)·rstd,  g = dy·γ,
// with (mean, rstd) of every row to `stats` [rows, 2] for the dγ/dβ kernel.
struct Params { rows: u32, D: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4f>;
@group(0) @binding(2) var<storage, read> gamma: array<vec4f>;
@group(0) @binding(3) var<storage, read> dy: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> dx: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> stats: array<f32>;

override WG: u32 = 16u;

fn total(v: vec4f) -> f32 { return v.x + v.y + v.z + v.w; }

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = (wg.x + wg.y * nwg.x) * WG + li;
  if (row >= p.rows) { return; }
  let D4 = p.D / 4u;
  let base = row * D4;
  let n = f32(p.D);
  var s = vec4f(0.0);
  for (var i = 0u; i < D4; i++) { s += x[base + i]; }
  let mean = total(s) / n;
  var v = vec4f(0.0);
  for (var i = 0u; i < D4; i++) { let d = x[base + i] - mean; v = fma(d, d, v); }
  let rstd = inverseSqrt(total(v) / n + p.eps);
  var sg = vec4f(0.0);
  var sgx = vec4f(0.0);
  for (var i = 0u; i < D4; i++) {
    let g = dy[base + i] * gamma[i];
    sg += g;
    sgx = fma(g, (x[base + i] - mean) * rstd, sgx);
  }
  let mg = total(sg) / n;
  let mgx = total(sgx) / n;
  for (var i = 0u; i < D4; i++) {
    let xhat = (x[base + i] - mean) * rstd;
    dx[base + i] = rstd * (dy[base + i] * gamma[i] - mg - xhat * mgx);
  }
  stats[row * 2u] = mean;
  stats[row * 2u + 1u] = rstd;
}
