import { type AdapterSummary, type Pass, type Tensor } from '../runtime.ts';
import v1 from './matmul-v1.wgsl?raw';
import v2 from './matmul-v2.wgsl?raw';

/** Every version, oldest first; the harness validates and times each against the CPU reference. */
export const MATMUL_VERSIONS = { v1, v2 } as const;
export type MatmulVersion = keyof typeof MATMUL_VERSIONS;

/** The fastest version measured on each kind of adapter (BENCHMARKS.md). */
export function chooseMatmulVersion(adapter: AdapterSummary): MatmulVersion {
  switch (adapter.family) {
    default: return 'v2';
  }
}

/**
 * y = alpha · x·Wᵀ (+ b): x [..., K], W [N, K] (PyTorch Linear layout), b [N] -> y [..., N].
 */
export function matmul(
  pass: Pass, x: Tensor, w: Tensor, bias: Tensor | null,
  opts: { alpha?: number; out?: Tensor; version?: MatmulVersion } = {},
): Tensor {
  const K = x.shape[x.shape.length - 1];
  const [N, Kw] = w.shape;
  if (K !== Kw) throw new Error(`matmul: x [${x.shape}] and W [${w.shape}] disagree on K`);
  if (bias && bias.size !== N) throw new Error(`matmul: bias [${bias.shape}] for N=${N}`);
  const M = x.size / K;
  const y = opts.out ?? pass.tmp([...x.shape.slice(0, -1), N]);
  const ctx = pass.ctx;
  const version = opts.version ?? ctx.kernelVersion('matmul', MATMUL_VERSIONS, chooseMatmulVersion);
  const pipeline = ctx.pipeline(`matmul-${version}`, MATMUL_VERSIONS[version], { HAS_BIAS: bias ? 1 : 0 });
  const params = ctx.uniform([M, N, K, opts.alpha ?? 1], [3]);
  // Both versions: 64x64 output tiles.
  pass.dispatch(pipeline, params, [x, w, bias ?? ctx.placeholder(), y], [Math.ceil(N / 64), Math.ceil(M / 64)]);
  return y;
}
