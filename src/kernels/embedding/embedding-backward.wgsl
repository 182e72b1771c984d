// token embedding backward v1: table[id] += Σ dY rows of the positions holding id. The CPU groups the
// positions by id (`segments`, ascending positions), so one invocation owns one (id, d) and sums in a
// fixed order: no atomics, and a run repeats bit for bit.
struct Params { U: u32, D: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;          // [B·T, D]
@group(0) @binding(2) var<storage, read> segments: array<u32>;    // ids [U] | starts [U + 1] | positions [B·T]
@group(0) @binding(3) var<storage, read_write> table: array<f32>; // [V, D], accumulated into

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let idx = (wg.x + wg.y * nwg.x) * WG + li;
  if (idx >= p.U * p.D) { return; }
  let u = idx / p.D;
  let d = idx % p.D;
  var s = 0.0;
  for (var k = segments[p.U + u]; k < segments[p.U + u + 1u]; k++) {
    s += dy[segments[2u * p.U + 1u + k] * p.D + d];
  }
  let o = segments[u] * p.D + d;
  table[o] = table[o] + s;
}
