// layernorm v2: vs v1, one invocation per row and no workgroup memory or barriers: the row is read
// as vec4 (D % 4 == 0) three times (sum, centred squares, output), the same two-pass statistics.
struct Params { rows: u32, D: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4f>;
@group(0) @binding(2) var<storage, read> gamma: array<vec4f>;
@group(0) @binding(3) var<storage, read> beta: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> y: array<vec4f>;

override WG: u32 = 16u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = (wg.x + wg.y * nwg.x) * WG + li;
  if (row >= p.rows) { return; }
  let D4 = p.D / 4u;
  let base = row * D4;
  var s = vec4f(0.0);
  for (var i = 0u; i < D4; i++) { s += x[base + i]; }
  let mean = (s.x + s.y + s.z + s.w) / f32(p.D);
  var v = vec4f(0.0);
  for (var i = 0u; i < D4; i++) { let d = x[base + i] - mean; v = fma(d, d, v); }
  let rstd = inverseSqrt((v.x + v.y + v.z + v.w) / f32(p.D) + p.eps);
  for (var i = 0u; i < D4; i++) {
    y[base + i] = (x[base + i] - mean) * rstd * gamma[i] + beta[i];
  }
}
