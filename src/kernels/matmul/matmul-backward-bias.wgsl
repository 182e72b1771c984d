// matmul backward, bias: db[n] = Σ_m dY[m, n] (column sums), one thread per column.
struct Params { M: u32, N: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let n = (wg.x + wg.y * nwg.x) * WG + li;
  if (n >= p.N) { return; }
  var s = 0.0;
  for (var m = 0u; m < p.M; m++) { s += dy[m * p.N + n]; }
  db[n] = s;
}
