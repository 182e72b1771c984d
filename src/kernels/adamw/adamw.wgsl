// adamw v1: one AdamW step (torch.optim.AdamW) over one parameter tensor, then its gradient is zeroed
// for the next accumulation. Step-dependent values (lr, bias corrections) come in a storage buffer
// written once per step, so the uniforms (size, decay, clamp) never change between steps.
//   p ← p·(1 − lr·wd)     (decoupled decay; tensors in the decay mask only)
//   m ← β1·m + (1 − β1)·g    v ← β2·v + (1 − β2)·g²    (g = grad · clip factor)
//   p ← p − (lr / bc1) · m / (√v / √bc2 + eps), then min(p, clampMax) where asked (logit scale)
struct Params { n: u32, decay: u32, clamp: u32, clampMax: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> hyper: array<f32>;        // lr, β1, β2, eps, wd, lr/bc1, 1/√bc2
@group(0) @binding(2) var<storage, read> norm: array<f32>;         // [norm, clip factor]
@group(0) @binding(3) var<storage, read_write> param: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<storage, read_write> m1: array<f32>;
@group(0) @binding(6) var<storage, read_write> m2: array<f32>;

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.x + wg.y * nwg.x) * WG + li;
  if (i >= p.n) { return; }
  let lr = hyper[0];
  let b1 = hyper[1];
  let b2 = hyper[2];
  let g = grad[i] * norm[1];
  var x = param[i];
  if (p.decay != 0u) { x = x * (1.0 - lr * hyper[4]); }
  let m = b1 * m1[i] + (1.0 - b1) * g;
  let v = b2 * m2[i] + (1.0 - b2) * g * g;
  x = x - hyper[5] * m / (sqrt(v) * hyper[6] + hyper[3]);
  if (p.clamp != 0u) { x = min(x, p.clampMax); }
  param[i] = x;
  m1[i] = m;
  m2[i] = v;
  grad[i] = 0.0;
}
