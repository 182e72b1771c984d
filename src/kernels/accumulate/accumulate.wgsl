// accumulate v1: dst[dstOffset + i] += src[srcOffset + i] for i < n (gradients summed over
// micro-batches and over the places a parameter is used; a separate kernel because WebGPU forbids
// binding one buffer as both the read input and the written output of `add`).
struct Params { n: u32, dstOffset: u32, srcOffset: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const WG = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.x + wg.y * nwg.x) * WG + li;
  if (i >= p.n) { return; }
  dst[p.dstOffset + i] = dst[p.dstOffset + i] + src[p.srcOffset + i];
}
