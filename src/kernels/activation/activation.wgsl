// activation v1: elementwise y = act(x). ACT 0: quick_gelu, ACT 1: gelu (the formulas: activation-formulas.wgsl,
// appended by activation.ts and shared with matmul's fused epilogue).
struct Params { n: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

override ACT: u32 = 0u;
const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.x + wg.y * nwg.x) * WG + li;
  if (i >= p.n) { return; }
  y[i] = activate(x[i], ACT + 1u);
}
