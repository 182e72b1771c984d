// attention backward v2, part 2: vs v1, one invocation per (key j, head h, batch b), 8 consecutive keys
// a workgroup, dk_j and dv_j accumulated in 16 vec4 registers each (hd % 4 == 0, hd <= 64) while q_i and
// dy_i are read as vec4 at the same address in every invocation of a workgroup:
//   dk_j = Σ_i scale·dS_ij q_i,  dv_j = Σ_i P_ij dy_i   (masked entries are 0 in both).
struct Params { T: u32, H: u32, hd: u32, stride: u32, qOff: u32, kOff: u32, vOff: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<vec4f>;
@group(0) @binding(2) var<storage, read> dy: array<vec4f>;
@group(0) @binding(3) var<storage, read> probs: array<f32>;
@group(0) @binding(4) var<storage, read> dscores: array<f32>;
@group(0) @binding(5) var<storage, read_write> dqkv: array<vec4f>;

override WG: u32 = 8u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let j = wg.x * WG + li;
  let h = wg.y;
  let b = wg.z;
  if (j >= p.T) { return; }
  let hd4 = p.hd / 4u;
  let stride4 = p.stride / 4u;
  let head4 = h * hd4;
  let D4 = p.H * hd4;
  let col = (b * p.H + h) * p.T * p.T + j; // + i·T: entry (i, j)
  var dk: array<vec4f, 16>;
  var dv: array<vec4f, 16>;
  for (var d = 0u; d < hd4; d++) {
    dk[d] = vec4f(0.0);
    dv[d] = vec4f(0.0);
  }
  for (var i = 0u; i < p.T; i++) {
    let ds = vec4f(dscores[col + i * p.T]);
    let pr = vec4f(probs[col + i * p.T]);
    let rowQ = (b * p.T + i) * stride4 + p.qOff / 4u + head4;
    let rowDy = (b * p.T + i) * D4 + head4;
    for (var d = 0u; d < hd4; d++) {
      dk[d] = fma(ds, qkv[rowQ + d], dk[d]);
      dv[d] = fma(pr, dy[rowDy + d], dv[d]);
    }
  }
  let rowJ = (b * p.T + j) * stride4 + head4;
  for (var d = 0u; d < hd4; d++) {
    dqkv[rowJ + p.kOff / 4u + d] = dk[d];
    dqkv[rowJ + p.vOff / 4u + d] = dv[d];
  }
}
