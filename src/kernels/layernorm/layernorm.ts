import { grid, type Pass, type Tensor } from '../runtime.ts';
import { runKernel, type KernelOp } from '../versions.ts';
import v1 from './layernorm.wgsl?raw';
import v2 from './layernorm-v2.wgsl?raw';
import v3 from './layernorm-v3.wgsl?raw';
import v4 from './layernorm-v4.wgsl?raw';

/** Rows of length D, and eps. */
export interface LayernormShape {
  rows: number;
  D: number;
  eps: number;
}

export type LayernormVersion = 'v1' | 'v2' | 'v3' | 'v4';

const params = (s: LayernormShape) => [s.rows, s.D, s.eps];

/**
 * The two kinds of layernorm kernel every layernorm op has (forward, backward): a workgroup per row
 * (`code` with tree reductions), and an invocation per row, 16 rows a workgroup, for D % 4 == 0.
 */
export const workgroupPerRow = (code: string, note: string) => ({
  note,
  code,
  params,
  floats: [2],
  workgroups: (s: LayernormShape) => grid(s.rows),
});
export const invocationPerRow = (code: string, note: string) => ({
  note,
  code,
  params,
  floats: [2],
  supports: (s: LayernormShape) => s.D % 4 === 0,
  fallback: 'v1' as const,
  constants: () => ({ WG: 16 }),
  workgroups: (s: LayernormShape) => grid(Math.ceil(s.rows / 16)),
});
const hasSubgroups = (_: LayernormShape, adapter: { features: readonly string[] }) =>
  adapter.features.includes('subgroups');

/** Every version, oldest first (the WGSL headers say more); the benchmark times each against the CPU reference. */
export const LAYERNORM: KernelOp<LayernormShape, LayernormVersion> = {
  op: 'layernorm',
  versions: {
    v1: workgroupPerRow(v1, 'a workgroup per row, tree reductions in workgroup memory'),
    v2: invocationPerRow(v2, 'an invocation per row (16 rows a workgroup), vec4 loads, no barriers (CPU adapters)'),
    v3: {
      note: 'a subgroup per row (WG / subgroup size rows a workgroup), subgroup sums',
      code: v3,
      params,
      floats: [2],
      benchOnly: true,
      supports: hasSubgroups,
      fallback: 'v1',
      // The largest possible subgroup size bounds the dispatch.
      constants: (_, ctx) => ({ WG: ctx.subgroupGeometry().workgroupSize }),
      workgroups: (s, ctx) => grid(Math.ceil(s.rows / ctx.subgroupGeometry().itemsPerGroup)),
    },
    v4: {
      note: 'a workgroup of 128 per row with subgroup sums (GPUs)',
      code: v4,
      params,
      floats: [2],
      supports: hasSubgroups,
      fallback: 'v1',
      constants: () => ({ WG: 128 }),
      workgroups: (s) => grid(s.rows),
    },
  },
  /**
   * The fastest version measured on each kind of adapter (BENCHMARKS.md): on the CPU emulators an
   * invocation per row (v2: 3-7x faster than v1 on llvmpipe, 20-40x on SwiftShader, whose barriers are
   * slow; v3 is 1.4-3x slower than v2 there). On GPUs a workgroup per row with subgroup sums (v4: on
   * an H100 within 4% of v1 at batch 1 and 6-16% faster at 1,600-6,160 rows; v3 15-30% and v2 2-3x
   * slower), v1 without subgroups.
   */
  choice: { llvmpipe: 'v2', swiftshader: 'v2', gpu: 'v1', 'gpu-subgroups': 'v4' },
};

export const LAYERNORM_VERSIONS = LAYERNORM.versions;

export interface LayernormOptions {
  out?: Tensor;
  version?: LayernormVersion;
}

/**
 * LayerNorm over the last dimension: x [..., D], gamma/beta [D] -> y [..., D].
 * A version the adapter or D rules out falls back to v1.
 */
export function layernorm(
  pass: Pass,
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  eps: number,
  opts: LayernormOptions = {},
): Tensor {
  const D = x.shape[x.shape.length - 1];
  if (gamma.size !== D || beta.size !== D) throw new Error(`layernorm: weights [${gamma.shape}] for D=${D}`);
  const y = opts.out ?? pass.tmp(x.shape);
  runKernel(pass, LAYERNORM, { rows: x.size / D, D, eps }, [x, gamma, beta, y], opts.version);
  return y;
}
