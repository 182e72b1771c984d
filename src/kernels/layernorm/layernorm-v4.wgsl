// layernorm v4: vs v1, the same workgroup per row, but each sum is a subgroupAdd plus one exchange of
// the per-subgroup sums through workgroup memory (2 barriers a row instead of 16); needs 'subgroups'.
// For GPUs. Assumes subgroups are consecutive local invocation indices and a size that divides WG.
enable subgroups;
diagnostic(off, subgroup_uniformity);

struct Params { rows: u32, D: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

override WG: u32 = 128u;
// One slot per subgroup (subgroup size >= 4), a separate array per sum so no barrier guards reuse.
var<workgroup> sums: array<f32, 64>;
var<workgroup> squares: array<f32, 64>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32,
        @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) sg: u32) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.rows) { return; } // uniform per workgroup
  let base = row * p.D;
  let groups = WG / sg;
  var s = 0.0;
  for (var i = li; i < p.D; i += WG) { s += x[base + i]; }
  s = subgroupAdd(s);
  if (lane == 0u) { sums[li / sg] = s; }
  workgroupBarrier();
  var total = 0.0;
  for (var g = 0u; g < groups; g++) { total += sums[g]; }
  let mean = total / f32(p.D);
  var v = 0.0;
  for (var i = li; i < p.D; i += WG) { let d = x[base + i] - mean; v = fma(d, d, v); }
  v = subgroupAdd(v);
  if (lane == 0u) { squares[li / sg] = v; }
  workgroupBarrier();
  var vt = 0.0;
  for (var g = 0u; g < groups; g++) { vt += squares[g]; }
  let rstd = inverseSqrt(vt / f32(p.D) + p.eps);
  for (var i = li; i < p.D; i += WG) {
    y[base + i] = (x[base + i] - mean) * rstd * gamma[i] + beta[i];
  }
}
