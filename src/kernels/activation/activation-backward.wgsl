// activation backward v1: dx = dy · act'(x), elementwise (the derivative of exactly what the forward
// computes). ACT 0: quick_gelu, s = σ(1.702x), act' = s + 1.702·x·s·(1 − s).
// ACT 1: gelu with the forward's A&S 7.1.26 erf: act' = ½(1 + erf(z)) + ½·x·erf'(z)/√2, z = x/√2,
// where for a = |z|, t = 1/(1 + p·a): erf'(z) = e^{−a²}·(2a·poly(t) + p·t²·poly'(t)).
struct Params { n: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

override ACT: u32 = 0u;
const WG = 256u;
const ERF_P = 0.3275911;

fn gelu_grad(v: f32) -> f32 {
  let z = v * 0.70710678118654752;
  let a = abs(z);
  let t = 1.0 / (1.0 + ERF_P * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let dpoly = 0.254829592 + t * (2.0 * -0.284496736 + t * (3.0 * 1.421413741 + t * (4.0 * -1.453152027 + t * 5.0 * 1.061405429)));
  let e = exp(-a * a);
  let erfv = sign(z) * (1.0 - poly * e);
  let derf = e * (2.0 * a * poly + ERF_P * t * t * dpoly);
  return 0.5 * (1.0 + erfv) + 0.5 * v * derf * 0.70710678118654752;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.x + wg.y * nwg.x) * WG + li;
  if (i >= p.n) { return; }
  let v = x[i];
  if (ACT == 0u) {
    let s = 1.0 / (1.0 + exp(-1.702 * v));
    dx[i] = dy[i] * (s + 1.702 * v * s * (1.0 - s));
  } else {
    dx[i] = dy[i] * gelu_grad(v);
  }
}
