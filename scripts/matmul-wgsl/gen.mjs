// Generator of matmul v3 (`node gen.mjs 12 8 32`) and v4 (`node gen.mjs 16 8 32`): the unrolled register-blocked body;
// the files' first comment lines are edited by hand afterwards (they say what each version changes).
// Generates register-blocked matmul WGSL: R rows x C cols per invocation, vec4 along K, no workgroup memory.
// usage: node gen.mjs R C  > file
const [R, C, WG = 64] = process.argv.slice(2).map(Number);
const G = C / 4;
const L = [];
const p = (s) => L.push(s);
p(`// matmul v3: no workgroup memory and no barriers: each invocation keeps a ${R}x${C} block of y in vec4 registers and reads x and W`);
p(`// straight from storage as vec4 along K (needs K % 4 == 0; the dispatcher falls back otherwise), relying on CPU caches for reuse.`);
p(`// Workgroup: ${WG} invocations side by side along N (${R} rows x ${WG * C} cols), so a SIMD row shares its x rows. Fused epilogue.`);
p(`struct Params { M: u32, N: u32, K: u32, alpha: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read> res: array<f32>;

override HAS_BIAS: bool = true;
override ACT: u32 = 0u;        // 0 none, 1 quick_gelu, 2 gelu (formulas of activation.wgsl)
override HAS_RES: bool = false; // y = res + (alpha·acc + bias), the order of the add kernel

fn erf_approx(z: f32) -> f32 {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(z) * (1.0 - poly * exp(-a * a));
}

fn store(r: u32, c: u32, acc: f32) {
  if (r >= p.M || c >= p.N) { return; }
  var v = p.alpha * acc;
  if (HAS_BIAS) { v += bias[c]; }
  if (ACT == 1u) { v = v / (1.0 + exp(-1.702 * v)); }
  if (ACT == 2u) { v = 0.5 * v * (1.0 + erf_approx(v * 0.70710678118654752)); }
  let i = r * p.N + c;
  if (HAS_RES) { v = res[i] + v; }
  y[i] = v;
}
`);
p(`@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let K4 = p.K / 4u;
  let row0 = wg.y * ${R}u;
  let col0 = wg.x * ${WG * C}u + li;`);
for (let i = 0; i < R; i++) p(`  let xb${i} = min(row0 + ${i}u, p.M - 1u) * K4;`);
for (let j = 0; j < C; j++) p(`  let wb${j} = min(col0 + ${WG * j}u, p.N - 1u) * K4;`);
for (let i = 0; i < R; i++) for (let g = 0; g < G; g++) p(`  var a${i}_${g} = vec4<f32>(0.0);`);
p(`  for (var k = 0u; k < K4; k++) {`);
for (let i = 0; i < R; i++) p(`    let x${i} = x[xb${i} + k];`);
for (let j = 0; j < C; j++) p(`    let w${j} = w[wb${j} + k];`);
for (let g = 0; g < G; g++) for (const e of 'xyzw') p(`    let t${g}${e} = vec4<f32>(w${4 * g}.${e}, w${4 * g + 1}.${e}, w${4 * g + 2}.${e}, w${4 * g + 3}.${e});`);
for (const e of 'xyzw') for (let i = 0; i < R; i++) for (let g = 0; g < G; g++) p(`    a${i}_${g} = fma(vec4<f32>(x${i}.${e}), t${g}${e}, a${i}_${g});`);
p(`  }`);
for (let i = 0; i < R; i++) for (let g = 0; g < G; g++) for (let e = 0; e < 4; e++) p(`  store(row0 + ${i}u, col0 + ${WG * (4 * g + e)}u, a${i}_${g}[${e}]);`);
p(`}`);
console.log(L.join('\n'));
