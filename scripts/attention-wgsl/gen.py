# generates barrier-free online-softmax attention with QR query rows per invocation and KC keys per chunk
import sys
def gen(QR, KC, header, uniform=False):
    N = 16
    L = []; w = L.append
    for line in header: w("// " + line)
    w("struct Params { T: u32, H: u32, hd: u32, stride: u32, qOff: u32, kOff: u32, vOff: u32, causal: u32, scale: f32 }")
    w("")
    w("@group(0) @binding(0) var<uniform> p: Params;")
    w("@group(0) @binding(1) var<storage, read> qkv: array<vec4<f32>>; // [B, T, 3D]")
    w("@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>; // [B, T, D]")
    w("")
    w("override HD4: u32 = 16u; // head size / 4, 1..16")
    w(f"override WG: u32 = 64u; // invocations per workgroup ({QR} query row{'s' if QR > 1 else ''} each)")
    w("const LOG2E = 1.4426950408889634;")
    w("const NEG = -0x1.fffffep+127f;")
    w("")
    w("@compute @workgroup_size(WG)")
    w("fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {")
    w(f"  let i0 = wg.x * WG * {QR}u + li;")
    if not uniform: w("  if (i0 >= p.T) { return; }")
    else: w(f"  let wgBase = wg.x * WG * {QR}u;")
    w("  let h = wg.y;")
    w("  let b = wg.z;")
    w("  let stride = p.stride / 4u;")
    w("  let kBase = b * p.T * stride + p.kOff / 4u + h * HD4;")
    w("  let vBase = b * p.T * stride + p.vOff / 4u + h * HD4;")
    w("  let qs = p.scale * LOG2E; // scores in log2 units: exp2 instead of exp")
    w("  let causal = p.causal == 1u;")
    w("  let last = p.T - 1u;")
    for r in range(QR):
        if r > 0 or uniform: w(f"  let i{r} = min(i0 + {r}u * WG, last); // rows past T repeat row T-1 and are not stored")
        w(f"  let n{r} = select(p.T, i{r} + 1u, causal); // causal: key j > query i is masked out")
        w(f"  let qBase{r} = (b * p.T + i{r}) * stride + p.qOff / 4u + h * HD4;")
        w(f"  var m{r} = NEG;")
        w(f"  var l{r} = 0.0;")
        for n in range(N):
            w(f"  var q{r}_{n} = vec4<f32>(0.0);")
            w(f"  var a{r}_{n} = vec4<f32>(0.0);")
        for n in range(N):
            w(f"  if (HD4 > {n}u) {{ q{r}_{n} = qkv[qBase{r} + {n}u] * qs; }}")
    if not uniform: w(f"  let nKeys = n{QR-1};")
    else:
        w("  // Uniform bounds (the same in every invocation of the workgroup): the loop's keys, and per row group r")
        w("  // (rows wgBase + r·WG + lane) whether it has rows < T and how many keys its last row needs.")
        w(f"  let nKeys = select(p.T, min(p.T, wgBase + WG * {QR}u), causal);")
        for r in range(QR):
            w(f"  let g{r} = select(select(p.T, min(p.T, wgBase + {r+1}u * WG), causal), 0u, wgBase + {r}u * WG >= p.T);")
    w(f"  for (var j0 = 0u; j0 < nKeys; j0 += {KC}u) {{")
    w("    // Rows past the end are clamped to T-1 (the same for every lane) and masked below.")
    for k in range(KC):
        w(f"    let r{k} = min(j0 + {k}u, last) * stride;")
    for r in range(QR):
        for k in range(KC):
            w(f"    var t{r}_{k} = vec4<f32>(0.0);")
    for n in range(N):
        parts = []
        for k in range(KC):
            parts.append(f"let k{k} = qkv[kBase + r{k} + {n}u];")
        for r in range(QR):
            for k in range(KC):
                parts.append(f"t{r}_{k} = fma(q{r}_{n}, k{k}, t{r}_{k});")
        w(f"    if (HD4 > {n}u) {{ " + " ".join(parts) + " }")
    for r in range(QR):
        for k in range(KC):
            w(f"    let s{r}_{k} = select(NEG, t{r}_{k}.x + t{r}_{k}.y + t{r}_{k}.z + t{r}_{k}.w, j0 + {k}u < n{r});")
        mx = f"s{r}_0"
        for k in range(1, KC): mx = f"max({mx}, s{r}_{k})"
        w(f"    let mNew{r} = max(m{r}, {mx});")
        w(f"    let c{r} = exp2(m{r} - mNew{r});")
        w(f"    m{r} = mNew{r};")
        for k in range(KC):
            w(f"    let p{r}_{k} = select(0.0, exp2(s{r}_{k} - mNew{r}), j0 + {k}u < n{r});")
        w(f"    l{r} = l{r} * c{r} + " + " + ".join(f"p{r}_{k}" for k in range(KC)) + ";")
    for n in range(N):
        parts = [f"let v{k} = qkv[vBase + r{k} + {n}u];" for k in range(KC)]
        for r in range(QR):
            parts.append(f"a{r}_{n} = a{r}_{n} * c{r};")
            for k in range(KC):
                parts.append(f"a{r}_{n} = fma(vec4<f32>(p{r}_{k}), v{k}, a{r}_{n});")
        w(f"    if (HD4 > {n}u) {{ " + " ".join(parts) + " }")
    w("  }")
    w("  let D4 = p.H * HD4;")
    for r in range(QR):
        w(f"  if (i0 + {r}u * WG < p.T) {{")
        w(f"    let inv = 1.0 / l{r};")
        w(f"    let yBase = (b * p.T + i0 + {r}u * WG) * D4 + h * HD4;")
        for n in range(N):
            w(f"    if (HD4 > {n}u) {{ y[yBase + {n}u] = a{r}_{n} * inv; }}")
        w("  }")
    w("}")
    return "\n".join(L) + "\n"

if __name__ == '__main__':
    QR, KC, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    open(out, 'w').write(gen(QR, KC, [f"experiment QR={QR} KC={KC}"]))
