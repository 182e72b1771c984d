import { grid, Tensor, type AdapterSummary, type Pass } from '../runtime.ts';
import v1 from './layernorm.wgsl?raw';
import v2 from './layernorm-v2.wgsl?raw';
import v3 from './layernorm-v3.wgsl?raw';
import v4 from './layernorm-v4.wgsl?raw';

/** Every version, oldest first; the harness validates and times each against the CPU reference. */
export const LAYERNORM_VERSIONS = { v1, v2, v3, v4 } as const;
export type LayernormVersion = keyof typeof LAYERNORM_VERSIONS;

/** Whether `version` runs rows of length D on this adapter (else `layernorm` runs v1). */
export function layernormSupports(version: LayernormVersion, adapter: AdapterSummary, D: number): boolean {
  switch (version) {
    case 'v1': return true;
    case 'v2': return D % 4 === 0;
    case 'v3': case 'v4': return adapter.features.includes('subgroups');
  }
}

/**
 * The fastest version measured on each kind of adapter (BENCHMARKS.md): on the CPU emulators an
 * invocation per row (v2: 3-7x faster than v1 on llvmpipe, 20-40x on SwiftShader, whose barriers are
 * slow; v3 is 1.4-3x slower than v2 there). On GPUs a workgroup per row with subgroup sums (v4: on
 * an H100 within 4% of v1 at batch 1 and 6-16% faster at 1,600-6,160 rows; v3 15-30% and v2 2-3x
 * slower), v1 without subgroups.
 */
export function chooseLayernormVersion(adapter: AdapterSummary): LayernormVersion {
  switch (adapter.family) {
    case 'llvmpipe': case 'swiftshader': return 'v2';
    default: return adapter.features.includes('subgroups') ? 'v4' : 'v1';
  }
}

export interface LayernormOptions {
  out?: Tensor;
  version?: LayernormVersion;
}

/**
 * LayerNorm over the last dimension: x [..., D], gamma/beta [D] -> y [..., D].
 * A version the adapter or D rules out (`layernormSupports`) falls back to v1.
 */
export function layernorm(
  pass: Pass, x: Tensor, gamma: Tensor, beta: Tensor, eps: number, opts: LayernormOptions | Tensor = {},
): Tensor {
  const { out, version: asked } = opts instanceof Tensor ? { out: opts, version: undefined } : opts;
  const D = x.shape[x.shape.length - 1];
  if (gamma.size !== D || beta.size !== D) throw new Error(`layernorm: weights [${gamma.shape}] for D=${D}`);
  const rows = x.size / D;
  const y = out ?? pass.tmp(x.shape);
  const ctx = pass.ctx;
  let version = asked ?? ctx.kernelVersion('layernorm', LAYERNORM_VERSIONS, chooseLayernormVersion);
  if (!layernormSupports(version, ctx.adapter, D)) version = 'v1';
  const params = ctx.uniform([rows, D, eps], [2]);
  if (version === 'v1') { // a workgroup per row
    pass.dispatch(ctx.pipeline('layernorm-v1', v1), params, [x, gamma, beta, y], grid(rows));
  } else if (version === 'v2') { // an invocation per row
    pass.dispatch(ctx.pipeline('layernorm-v2', v2, { WG: 16 }), params, [x, gamma, beta, y], grid(Math.ceil(rows / 16)));
  } else if (version === 'v4') { // a workgroup per row, subgroup sums
    pass.dispatch(ctx.pipeline('layernorm-v4', v4, { WG: 128 }), params, [x, gamma, beta, y], grid(rows));
  } else { // a subgroup per row: WG / subgroup size rows per workgroup; the largest possible size bounds the dispatch
    const { workgroupSize, itemsPerGroup } = ctx.subgroupGeometry();
    pass.dispatch(ctx.pipeline('layernorm-v3', v3, { WG: workgroupSize }), params, [x, gamma, beta, y], grid(Math.ceil(rows / itemsPerGroup)));
  }
  return y;
}
