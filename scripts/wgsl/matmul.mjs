// The unrolled body of the register-blocked matmuls (v3: 12x8, v4: 16x8 per invocation): R rows x C cols
// of y per invocation in vec4 registers, x and W read as vec4 along K, no workgroup memory. Returns the WGSL
// after the header comment lines, which gen-wgsl.mjs writes; matmul.ts appends epilogue.wgsl.
// Blocked summation: each chunk of CHUNK vec4 steps (4·CHUNK terms of K) is summed into fresh registers, then
// added to the running sums, so a K-term dot product rounds like 4·CHUNK + K/(4·CHUNK) additions, not K
// (patch embedding's K = 3·P² = 3,072 at B/32). It made the tiny model's forward 10x closer to PyTorch's
// float64 (test/train/trainer.test.ts) for ~1% of the time on llvmpipe.
export function matmulRegisterBlocked(R, C, WG, CHUNK = 16, order = 'component') {
  const G = C / 4;
  const L = [];
  const p = (s) => L.push(s);
  p('// Params p, bias, y, res and fn epilogue(r, c, acc): epilogue.wgsl, appended by matmul.ts.');
  p('@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;');
  p('@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;');
  p('');
  p('fn store(r: u32, c: u32, acc: f32) {');
  p('  if (r < p.M && c < p.N) { epilogue(r, c, acc); }');
  p('}');
  p('');
  p(`@compute @workgroup_size(${WG})`);
  p('fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {');
  p('  let K4 = p.K / 4u;');
  p(`  let row0 = wg.y * ${R}u;`);
  p(`  let col0 = wg.x * ${WG * C}u + li;`);
  for (let i = 0; i < R; i++) p(`  let xb${i} = min(row0 + ${i}u, p.M - 1u) * K4;`);
  for (let j = 0; j < C; j++) p(`  let wb${j} = min(col0 + ${WG * j}u, p.N - 1u) * K4;`);
  for (let i = 0; i < R; i++) for (let g = 0; g < G; g++) p(`  var s${i}_${g} = vec4<f32>(0.0);`);
  p(`  for (var k0 = 0u; k0 < K4; k0 += ${CHUNK}u) {`);
  for (let i = 0; i < R; i++) for (let g = 0; g < G; g++) p(`  var a${i}_${g} = vec4<f32>(0.0);`);
  p(`  for (var k = k0; k < min(k0 + ${CHUNK}u, K4); k++) {`);
  for (let i = 0; i < R; i++) p(`    let x${i} = x[xb${i} + k];`);
  for (let j = 0; j < C; j++) p(`    let w${j} = w[wb${j} + k];`);
  for (let g = 0; g < G; g++)
    for (const e of 'xyzw')
      p(`    let t${g}${e} = vec4<f32>(w${4 * g}.${e}, w${4 * g + 1}.${e}, w${4 * g + 2}.${e}, w${4 * g + 3}.${e});`);
  if (order === 'accumulator')
    for (let i = 0; i < R; i++)
      for (let g = 0; g < G; g++)
        p(
          `    a${i}_${g} = fma(vec4<f32>(x${i}.w), t${g}w, fma(vec4<f32>(x${i}.z), t${g}z, fma(vec4<f32>(x${i}.y), t${g}y, fma(vec4<f32>(x${i}.x), t${g}x, a${i}_${g}))));`,
        );
  else
    for (const e of 'xyzw')
      for (let i = 0; i < R; i++)
        for (let g = 0; g < G; g++) p(`    a${i}_${g} = fma(vec4<f32>(x${i}.${e}), t${g}${e}, a${i}_${g});`);
  p('  }');
  for (let i = 0; i < R; i++) for (let g = 0; g < G; g++) p(`  s${i}_${g} += a${i}_${g};`);
  p('  }');
  for (let i = 0; i < R; i++)
    for (let g = 0; g < G; g++)
      for (let e = 0; e < 4; e++) p(`  store(row0 + ${i}u, col0 + ${WG * (4 * g + e)}u, s${i}_${g}[${e}]);`);
  p('}');
  return L.join('\n') + '\n';
}

const each = (n, f) => Array.from({ length: n }, (_, i) => f(i));

/**
 * The blocked sum both backward generators share: R x G vec4 running sums s, and for each CHUNK steps of
 * k (0 .. count) fresh sums t fed by `body` (the step's loads and FMAs), added to s after the chunk.
 */
function blockedSum(p, R, G, count, chunk, body) {
  each(R, (i) => each(G, (g) => p(`  var s${i}_${g} = vec4<f32>(0.0);`)));
  p(`  for (var k0 = 0u; k0 < ${count}; k0 += ${chunk}u) {`);
  each(R, (i) => each(G, (g) => p(`    var t${i}_${g} = vec4<f32>(0.0);`)));
  p(`    for (var k = k0; k < min(k0 + ${chunk}u, ${count}); k++) {`);
  body();
  p('    }');
  each(R, (i) => each(G, (g) => p(`    s${i}_${g} += t${i}_${g};`)));
  p('  }');
}

/** One k of the 'km' layout: row i's factor is component i % 4 of the vec4 a{i / 4}, column group g's is b{g}. */
function rowsByFourFma(p, R, G) {
  each(R, (i) =>
    each(G, (g) => p(`      t${i}_${g} = fma(vec4<f32>(a${i >> 2}.${'xyzw'[i & 3]}), b${g}, t${i}_${g});`)),
  );
}

/** The guarded stores of the R x G block: `store(i, g, index)` writes s{i}_{g} at vec4 index `index`. */
function storeBlock(p, R, G, WG, rows, store) {
  each(R, (i) => {
    p(`  if (row0 + ${i}u < ${rows}) {`);
    each(G, (g) => p(`    if (cg0 + ${WG * g}u < N4) { ${store(i, g, `(row0 + ${i}u) * N4 + cg0 + ${WG * g}u`)} }`));
    p('  }');
  });
}

// The backward's two products on the register-blocked scheme: c [M, N] = alpha · A·B with B stored
// [K, N] (rows of B are read as vec4 across 4 output columns) and A either [M, K] ('mk': dX = dY·W, A's
// rows read as vec4 along K, 4 terms per step) or [K, M] ('km': dW = dYᵀ·X, A read as vec4 across 4
// output rows at one k, 1 term per step). R rows x C cols per invocation, column groups of 4 strided by
// WG across the workgroup; CHUNK terms of K summed in fresh registers before they join the running sums.
// Stores vec4 rows of c (N % 4 == 0; 'mk' needs K % 4 == 0, 'km' M % 4 == 0: the dispatcher checks).
export function matmulBackwardBlocked(R, C, WG, CHUNK, layout) {
  const G = C / 4;
  const Q = R / 4;
  const L = [];
  const p = (s) => L.push(s);
  p('struct Params { M: u32, N: u32, K: u32, alpha: f32 }');
  p('');
  p('@group(0) @binding(0) var<uniform> p: Params;');
  p('@group(0) @binding(1) var<storage, read> a: array<vec4<f32>>;');
  p('@group(0) @binding(2) var<storage, read> b: array<vec4<f32>>;');
  p('@group(0) @binding(3) var<storage, read_write> c: array<vec4<f32>>;');
  p('');
  p(`@compute @workgroup_size(${WG})`);
  p('fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {');
  p('  let N4 = p.N / 4u;');
  p(`  let row0 = wg.y * ${R}u;`);
  p(`  let cg0 = wg.x * ${WG * G}u + li;`);
  each(G, (g) => p(`  let bc${g} = min(cg0 + ${WG * g}u, N4 - 1u);`));
  if (layout === 'mk') {
    p('  let K4 = p.K / 4u;');
    each(R, (i) => p(`  let ar${i} = min(row0 + ${i}u, p.M - 1u) * K4;`));
    blockedSum(p, R, G, 'K4', CHUNK / 4, () => {
      each(R, (i) => p(`      let a${i} = a[ar${i} + k];`));
      p('      let kb = 4u * k * N4;');
      for (let e = 0; e < 4; e++)
        each(G, (g) => p(`      let b${e}_${g} = b[kb + ${e > 0 ? `${e}u * N4 + ` : ''}bc${g}];`));
      each(R, (i) =>
        each(G, (g) => {
          let s = `t${i}_${g}`;
          for (const [e, comp] of ['x', 'y', 'z', 'w'].entries()) s = `fma(vec4<f32>(a${i}.${comp}), b${e}_${g}, ${s})`;
          p(`      t${i}_${g} = ${s};`);
        }),
      );
    });
  } else {
    p('  let M4 = p.M / 4u;');
    each(Q, (q) => p(`  let ar${q} = min(row0 / 4u + ${q}u, M4 - 1u);`));
    blockedSum(p, R, G, 'p.K', CHUNK, () => {
      each(Q, (q) => p(`      let a${q} = a[k * M4 + ar${q}];`));
      each(G, (g) => p(`      let b${g} = b[k * N4 + bc${g}];`));
      rowsByFourFma(p, R, G);
    });
  }
  storeBlock(p, R, G, WG, 'p.M', (i, g, at) => `c[${at}] = p.alpha * s${i}_${g};`);
  p('}');
  return L.join('\n') + '\n';
}

// The patch embedding's weight gradient as the dW product above ('km'): dW [D, C·P·P] += Σ over the
// batch's patches of dY [row, D] ⊗ the patch's pixels, the pixels read straight from the image (4
// consecutive kx as one vec4: P % 4 == 0, S % 4 == 0, D % 4 == 0) instead of an im2col copy. R output
// rows (d) x C columns ((c, ky, kx)) per invocation; CHUNK patches summed in fresh registers at a time.
export function patchEmbedBackwardBlocked(R, C, WG, CHUNK) {
  const G = C / 4;
  const Q = R / 4;
  const L = [];
  const p = (s) => L.push(s);
  p('struct Params { B: u32, C: u32, S: u32, P: u32, D: u32, G: u32 }');
  p('');
  p('@group(0) @binding(0) var<uniform> p: Params;');
  p('@group(0) @binding(1) var<storage, read> pixels: array<vec4<f32>>; // [B, C, S, S]');
  p('@group(0) @binding(2) var<storage, read> dy: array<vec4<f32>>; // [B, 1 + G², D]');
  p('@group(0) @binding(3) var<storage, read_write> dw: array<vec4<f32>>; // [D, C, P, P], accumulated into');
  p('');
  p(`@compute @workgroup_size(${WG})`);
  p('fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {');
  p('  let PP = p.P * p.P;');
  p('  let N4 = p.C * PP / 4u;');
  p('  let D4 = p.D / 4u;');
  p('  let S4 = p.S / 4u;');
  p('  let P4 = p.P / 4u;');
  p('  let G2 = p.G * p.G;');
  p('  let T = 1u + G2;');
  p('  let plane4 = p.S * S4;');
  p(`  let row0 = wg.y * ${R}u;`);
  p(`  let cg0 = wg.x * ${WG * G}u + li;`);
  // Each column group's (c, ky, kx0) as an offset into one image, in vec4s.
  each(G, (g) => {
    p(`  let n${g} = min(cg0 + ${WG * g}u, N4 - 1u) * 4u;`);
    p(`  let col${g} = (n${g} / PP) * plane4 + ((n${g} / p.P) % p.P) * S4 + (n${g} % p.P) / 4u;`);
  });
  each(Q, (q) => p(`  let ar${q} = min(row0 / 4u + ${q}u, D4 - 1u);`));
  p('  let K = p.B * G2;');
  blockedSum(p, R, G, 'K', CHUNK, () => {
    p('      let b = k / G2;');
    p('      let t = k % G2;');
    p('      let dyRow = (b * T + 1u + t) * D4;');
    p('      let at = b * p.C * plane4 + (t / p.G) * p.P * S4 + (t % p.G) * P4;');
    each(Q, (q) => p(`      let a${q} = dy[dyRow + ar${q}];`));
    each(G, (g) => p(`      let b${g} = pixels[at + col${g}];`));
    rowsByFourFma(p, R, G);
  });
  storeBlock(p, R, G, WG, 'p.D', (i, g, at) => `let o = ${at}; dw[o] = dw[o] + s${i}_${g};`);
  p('}');
  return L.join('\n') + '\n';
}
