// The unrolled bodies of attention v2-v5 (ported from the earlier Python generators; same output).
// Each returns the WGSL after the header comment lines, which gen-wgsl.mjs writes.

const range = (n, from = 0) => Array.from({ length: n - from }, (_, i) => from + i);

const BINDINGS = [
  'struct Params { T: u32, H: u32, hd: u32, stride: u32, qOff: u32, kOff: u32, vOff: u32, causal: u32, scale: f32 }',
  '',
  '@group(0) @binding(0) var<uniform> p: Params;',
  '@group(0) @binding(1) var<storage, read> qkv: array<vec4<f32>>; // [B, T, 3D]',
  '@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>; // [B, T, D]',
  '',
  'override HD4: u32 = 16u; // head size / 4, 1..16',
];

/** Barrier-free online-softmax attention: QR query rows per invocation, KC keys per chunk, head size <= 64. */
export function attentionRows(QR, KC) {
  const N = 16;
  const L = [...BINDINGS];
  const w = (s) => L.push(s);
  w(`override WG: u32 = 64u; // invocations per workgroup (${QR} query row${QR > 1 ? 's' : ''} each)`);
  w('const LOG2E = 1.4426950408889634;');
  w('const NEG = -0x1.fffffep+127f;');
  w('');
  w('@compute @workgroup_size(WG)');
  w('fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {');
  w(`  let i0 = wg.x * WG * ${QR}u + li;`);
  w('  if (i0 >= p.T) { return; }');
  w('  let h = wg.y;');
  w('  let b = wg.z;');
  w('  let stride = p.stride / 4u;');
  w('  let kBase = b * p.T * stride + p.kOff / 4u + h * HD4;');
  w('  let vBase = b * p.T * stride + p.vOff / 4u + h * HD4;');
  w('  let qs = p.scale * LOG2E; // scores in log2 units: exp2 instead of exp');
  w('  let causal = p.causal == 1u;');
  w('  let last = p.T - 1u;');
  for (const r of range(QR)) {
    if (r > 0) w(`  let i${r} = min(i0 + ${r}u * WG, last); // rows past T repeat row T-1 and are not stored`);
    w(`  let n${r} = select(p.T, i${r} + 1u, causal); // causal: key j > query i is masked out`);
    w(`  let qBase${r} = (b * p.T + i${r}) * stride + p.qOff / 4u + h * HD4;`);
    w(`  var m${r} = NEG;`);
    w(`  var l${r} = 0.0;`);
    for (const n of range(N)) {
      w(`  var q${r}_${n} = vec4<f32>(0.0);`);
      w(`  var a${r}_${n} = vec4<f32>(0.0);`);
    }
    for (const n of range(N)) w(`  if (HD4 > ${n}u) { q${r}_${n} = qkv[qBase${r} + ${n}u] * qs; }`);
  }
  w(`  let nKeys = n${QR - 1};`);
  w(`  for (var j0 = 0u; j0 < nKeys; j0 += ${KC}u) {`);
  w('    // Rows past the end are clamped to T-1 (the same for every lane) and masked below.');
  for (const k of range(KC)) w(`    let r${k} = min(j0 + ${k}u, last) * stride;`);
  for (const r of range(QR)) for (const k of range(KC)) w(`    var t${r}_${k} = vec4<f32>(0.0);`);
  for (const n of range(N)) {
    const parts = range(KC).map((k) => `let k${k} = qkv[kBase + r${k} + ${n}u];`);
    for (const r of range(QR))
      for (const k of range(KC)) parts.push(`t${r}_${k} = fma(q${r}_${n}, k${k}, t${r}_${k});`);
    w(`    if (HD4 > ${n}u) { ${parts.join(' ')} }`);
  }
  for (const r of range(QR)) {
    for (const k of range(KC))
      w(
        `    let s${r}_${k} = select(NEG, t${r}_${k}.x + t${r}_${k}.y + t${r}_${k}.z + t${r}_${k}.w, j0 + ${k}u < n${r});`,
      );
    let mx = `s${r}_0`;
    for (const k of range(KC, 1)) mx = `max(${mx}, s${r}_${k})`;
    w(`    let mNew${r} = max(m${r}, ${mx});`);
    w(`    let c${r} = exp2(m${r} - mNew${r});`);
    w(`    m${r} = mNew${r};`);
    for (const k of range(KC)) w(`    let p${r}_${k} = select(0.0, exp2(s${r}_${k} - mNew${r}), j0 + ${k}u < n${r});`);
    w(
      `    l${r} = l${r} * c${r} + ${range(KC)
        .map((k) => `p${r}_${k}`)
        .join(' + ')};`,
    );
  }
  for (const n of range(N)) {
    const parts = range(KC).map((k) => `let v${k} = qkv[vBase + r${k} + ${n}u];`);
    for (const r of range(QR)) {
      parts.push(`a${r}_${n} = a${r}_${n} * c${r};`);
      for (const k of range(KC)) parts.push(`a${r}_${n} = fma(vec4<f32>(p${r}_${k}), v${k}, a${r}_${n});`);
    }
    w(`    if (HD4 > ${n}u) { ${parts.join(' ')} }`);
  }
  w('  }');
  w('  let D4 = p.H * HD4;');
  for (const r of range(QR)) {
    w(`  if (i0 + ${r}u * WG < p.T) {`);
    w(`    let inv = 1.0 / l${r};`);
    w(`    let yBase = (b * p.T + i0 + ${r}u * WG) * D4 + h * HD4;`);
    for (const n of range(N)) w(`    if (HD4 > ${n}u) { y[yBase + ${n}u] = a${r}_${n} * inv; }`);
    w('  }');
  }
  w('}');
  return L.join('\n') + '\n';
}

/** As attentionRows(1, 4), with 32-key k/v tiles staged in workgroup memory (flash-attention style). */
export function attentionTiled() {
  const N = 16;
  const KC = 4;
  const L = [...BINDINGS];
  const w = (s) => L.push(s);
  w('const WG = 64u; // query rows per workgroup, one per invocation');
  w('const TK = 32u; // keys per K/V tile');
  w('const LOG2E = 1.4426950408889634;');
  w('const NEG = -0x1.fffffep+127f;');
  w('var<workgroup> ks: array<vec4<f32>, 512>; // [TK][16]');
  w('var<workgroup> vs: array<vec4<f32>, 512>; // [TK][16]');
  w('');
  w('@compute @workgroup_size(WG)');
  w('fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {');
  w('  let last = p.T - 1u;');
  w('  let iRaw = wg.x * WG + li;');
  w('  let i = min(iRaw, last); // rows past T compute row T-1 and are not stored');
  w('  let h = wg.y;');
  w('  let b = wg.z;');
  w('  let stride = p.stride / 4u;');
  w('  let kBase = b * p.T * stride + p.kOff / 4u + h * HD4;');
  w('  let vBase = b * p.T * stride + p.vOff / 4u + h * HD4;');
  w('  let qBase = (b * p.T + i) * stride + p.qOff / 4u + h * HD4;');
  w('  let qs = p.scale * LOG2E; // scores in log2 units: exp2 instead of exp');
  w('  let causal = p.causal == 1u;');
  w("  let n = select(p.T, i + 1u, causal); // this row's keys");
  w("  let nWg = select(p.T, min(wg.x * WG + WG, p.T), causal); // the workgroup's keys (uniform)");
  for (const n of range(N)) {
    w(`  var q${n} = vec4<f32>(0.0);`);
    w(`  var a${n} = vec4<f32>(0.0);`);
  }
  for (const n of range(N)) w(`  if (HD4 > ${n}u) { q${n} = qkv[qBase + ${n}u] * qs; }`);
  w('  var m = NEG;');
  w('  var l = 0.0;');
  w('  for (var t0 = 0u; t0 < nWg; t0 += TK) {');
  w('    // Stage TK keys and values (rows past the end clamped to T-1, never used).');
  w('    for (var e = li; e < TK * HD4; e += WG) {');
  w('      let kk = e / HD4;');
  w('      let d = e - kk * HD4;');
  w('      let r = min(t0 + kk, last) * stride + d;');
  w('      ks[kk * 16u + d] = qkv[kBase + r];');
  w('      vs[kk * 16u + d] = qkv[vBase + r];');
  w('    }');
  w('    workgroupBarrier();');
  w("    let nt = min(TK, n - min(n, t0)); // this row's keys in the tile");
  w(`    for (var j = 0u; j < nt; j += ${KC}u) {`);
  for (const k of range(KC)) {
    w(`      let r${k} = (j + ${k}u) * 16u;`);
    w(`      var t${k} = vec4<f32>(0.0);`);
  }
  for (const n of range(N)) {
    w(
      `      if (HD4 > ${n}u) { ${range(KC)
        .map((k) => `t${k} = fma(q${n}, ks[r${k} + ${n}u], t${k});`)
        .join(' ')} }`,
    );
  }
  for (const k of range(KC)) w(`      let s${k} = select(NEG, t${k}.x + t${k}.y + t${k}.z + t${k}.w, j + ${k}u < nt);`);
  w('      let mNew = max(max(m, max(s0, s1)), max(s2, s3));');
  w('      let c = exp2(m - mNew);');
  w('      m = mNew;');
  for (const k of range(KC)) w(`      let p${k} = select(0.0, exp2(s${k} - mNew), j + ${k}u < nt);`);
  w('      l = l * c + ((p0 + p1) + (p2 + p3));');
  for (const n of range(N)) {
    w(
      `      if (HD4 > ${n}u) { a${n} = a${n} * c; ${range(KC)
        .map((k) => `a${n} = fma(vec4<f32>(p${k}), vs[r${k} + ${n}u], a${n});`)
        .join(' ')} }`,
    );
  }
  w('    }');
  w('    workgroupBarrier();');
  w('  }');
  w('  if (iRaw < p.T) {');
  w('    let inv = 1.0 / l;');
  w('    let yBase = (b * p.T + i) * p.H * HD4 + h * HD4;');
  for (const n of range(N)) w(`    if (HD4 > ${n}u) { y[yBase + ${n}u] = a${n} * inv; }`);
  w('  }');
  w('}');
  return L.join('\n') + '\n';
}
