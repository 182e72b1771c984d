// The activation formulas, shared by the activation kernel and matmul's fused epilogue (appended to both by
// their .ts). quick_gelu x·σ(1.702x) (OpenAI CLIP); gelu x·Φ(x) with erf from Abramowitz–Stegun 7.1.26
// (|error| < 1.5e-7; WGSL has no erf).

fn erf_approx(z: f32) -> f32 {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(z) * (1.0 - poly * exp(-a * a));
}

// act: 0 none, 1 quick_gelu, 2 gelu (a constant at every call site, so compilers fold the branches).
fn activate(v: f32, act: u32) -> f32 {
  if (act == 1u) { return v / (1.0 + exp(-1.702 * v)); }
  if (act == 2u) { return 0.5 * v * (1.0 + erf_approx(v * 0.70710678118654752)); }
  return v;
}
