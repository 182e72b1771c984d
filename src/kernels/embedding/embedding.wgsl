// embedding v1: y[b, t] = table[ids[b, t]] + pos[t] (token embedding gather plus positions). The table's
// binding and table_value(row, e) (e: the element's index in [V, D]) are inserted per weight format by
// embedding.ts: f32 reads the value; f16 / bf16 / int8 unpack it as matmul's compact W (int8 times the row's scale).
struct Params { B: u32, T: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> ids: array<u32>;   // [B, T], validated < vocab on the CPU
@group(0) @binding(3) var<storage, read> pos: array<f32>;   // [>= T, D]
@group(0) @binding(4) var<storage, read_write> y: array<f32>; // [B, T, D]

// TABLE

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.B * p.T * p.D) { return; }
  let d = idx % p.D;
  let bt = idx / p.D;
  let t = bt % p.T;
  let row = ids[bt];
  y[idx] = table_value(row, row * p.D + d) + pos[t * p.D + d];
}
