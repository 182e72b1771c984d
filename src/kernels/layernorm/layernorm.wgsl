// layernorm v1: one workgroup per row; two passes over the row (mean, then centred variance)
// so the variance keeps full fp32 precision, as PyTorch's does.
struct Params { rows: u32, D: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

const WG = 128u;
var<workgroup> partial: array<f32, WG>;

// Tree reduction: `partial` holds one value per thread on entry, the sum in partial[0] on exit.
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
  if (row >= p.rows) { return; } // uniform per workgroup: barriers stay in uniform control flow
  let base = row * p.D;
  var s = 0.0;
  for (var i = li; i < p.D; i += WG) { s += x[base + i]; }
  partial[li] = s;
  tree_sum(li);
  let mean = partial[0] / f32(p.D);
  workgroupBarrier();
  var v = 0.0;
  for (var i = li; i < p.D; i += WG) { let d = x[base + i] - mean; v += d * d; }
  partial[li] = v;
  tree_sum(li);
  let rstd = inverseSqrt(partial[0] / f32(p.D) + p.eps);
  for (var i = li; i < p.D; i += WG) {
    y[base + i] = (x[base + i] - mean) * rstd * gamma[i] + beta[i];
  }
}
