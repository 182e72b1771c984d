// layernorm v3: vs v2, one subgroup per row (needs 'subgroups'): lane j reads columns j, j + sg, ...
// as scalars (neighbouring lanes, neighbouring addresses) and subgroupAdd combines the lanes; no
// workgroup memory or barriers. Assumes subgroups are consecutive local invocation indices (as on
// every driver seen), and a subgroup size that divides WG.
enable subgroups;
// Every lane of a subgroup takes the same row: the subgroup is uniform where subgroupAdd runs.
diagnostic(off, subgroup_uniformity);

struct Params { rows: u32, D: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32,
        @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) sg: u32) {
  // All lanes of a subgroup share a row, so the whole subgroup returns or not.
  let row = ((wg.x + wg.y * nwg.x) * WG + li) / sg;
  if (row >= p.rows) { return; }
  let base = row * p.D;
  // Loops run the same trip count on every lane (column c + lane guarded), so lanes stay together.
  var s = 0.0;
  for (var c = 0u; c < p.D; c += sg) { let i = c + lane; if (i < p.D) { s += x[base + i]; } }
  let mean = subgroupAdd(s) / f32(p.D);
  var v = 0.0;
  for (var c = 0u; c < p.D; c += sg) { let i = c + lane; if (i < p.D) { let d = x[base + i] - mean; v = fma(d, d, v); } }
  let rstd = inverseSqrt(subgroupAdd(v) / f32(p.D) + p.eps);
  for (var c = 0u; c < p.D; c += sg) {
    let i = c + lane;
    if (i < p.D) { y[base + i] = (x[base + i] - mean) * rstd * gamma[i] + beta[i]; }
  }
}
