import sys
import os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen import gen
from gen_tiled import gen as gen_tiled
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'kernels', 'attention') + '/'
common = [
    "Barrier-free: invocations are independent. Online softmax (running max m and sum l; the accumulator is",
    "rescaled by exp2(m_old - m_new) once per chunk of keys), scores in log2 units (q pre-scaled by scale·log2 e).",
    "q and the output accumulator are 16 unrolled vec4 registers per row (hd = 4·HD4 <= 64; the dispatcher",
    "runs v1 for other head sizes). k/v rows are loaded as vec4, at the same address in every invocation of a",
    "workgroup (consecutive invocations take consecutive query rows of one head). Causal: keys j <= i only",
    "(per row; an invocation's loop runs to its last row's keys, earlier rows mask the extra keys).",
    "Generated (unrolled) by scripts/attention-wgsl/make.py: edit the generator, then run it.",
]
open(d + 'attention-v2.wgsl', 'w').write(gen(1, 4, [
    "attention v2: vs v1, no workgroup memory and no barriers: one invocation per (query row, head, batch)",
    "(64 per workgroup) loops over the keys in chunks of 4 with an online softmax.",
] + common))
open(d + 'attention-v3.wgsl', 'w').write(gen(4, 2, [
    "attention v3: as v2, but each invocation computes 4 query rows (i, i+WG, i+2WG, i+3WG) in chunks of 2 keys,",
    "so each k/v vec4 loaded feeds 4 rows (the CPU adapters' loads, not their FMAs, bound v2); WG = the CPU's SIMD width.",
] + common))
open(d + 'attention-v4.wgsl', 'w').write(gen(8, 2, [
    "attention v4: as v3 with 8 query rows per invocation (i + r·WG, r < 8): each k/v vec4 load feeds 8 rows.",
] + common))
open(d + 'attention-v5.wgsl', 'w').write(gen_tiled([
    "attention v5 (for GPUs): as v2 (one query row per invocation, 64 per workgroup, online softmax in chunks of",
    "4 keys), but the workgroup stages tiles of 32 keys' k and v in workgroup memory (flash-attention style),",
    "two barriers per tile, so global k/v traffic is once per 64 query rows. q and the accumulator are 16",
    "unrolled vec4 registers (hd = 4·HD4 <= 64, else v1). Causal: tiles up to the workgroup's last row.",
]))
