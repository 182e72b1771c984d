// activation v1: elementwise y = act(x). ACT 0: quick_gelu x·σ(1.702x) (OpenAI CLIP);
// ACT 1: gelu x·Φ(x) with erf from Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7; WGSL has no erf).
struct Params { n: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

override ACT: u32 = 0u;
const WG = 256u;

fn erf_approx(z: f32) -> f32 {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(z) * (1.0 - poly * exp(-a * a));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.x + wg.y * nwg.x) * WG + li;
  if (i >= p.n) { return; }
  let v = x[i];
  if (ACT == 0u) {
    y[i] = v / (1.0 + exp(-1.702 * v));
  } else {
    y[i] = 0.5 * v * (1.0 + erf_approx(v * 0.70710678118654752));
  }
}
