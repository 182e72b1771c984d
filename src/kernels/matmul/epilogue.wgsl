// matmul's params, output bindings and fused epilogue, shared by every version: matmul.ts appends this and
// activation-formulas.wgsl to each version's WGSL. y[r, c] = res + act(alpha·acc + bias), in the order of the
// separate add and activation kernels (the fused and separate results are equal bit for bit).
struct Params { M: u32, N: u32, K: u32, alpha: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read> res: array<f32>;

override HAS_BIAS: bool = true;
override ACT: u32 = 0u;         // 0 none, 1 quick_gelu, 2 gelu
override HAS_RES: bool = false;

fn epilogue(r: u32, c: u32, acc: f32) {
  var v = p.alpha * acc;
  if (HAS_BIAS) { v += bias[c]; }
  v = activate(v, ACT);
  let i = r * p.N + c;
  if (HAS_RES) { v = res[i] + v; }
  y[i] = v;
}
