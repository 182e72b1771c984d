import { grid, Tensor, type AdapterSummary, type Pass } from '../runtime.ts';
import v1 from './layernorm.wgsl?raw';
import v2 from './layernorm-v2.wgsl?raw';
import v3 from './layernorm-v3.wgsl?raw';

/** Every version, oldest first; the harness validates and times each against the CPU reference. */
export const LAYERNORM_VERSIONS = { v1, v2, v3 } as const;
export type LayernormVersion = keyof typeof LAYERNORM_VERSIONS;

/** Whether `version` runs rows of length D on this adapter (else `layernorm` runs v1). */
export function layernormSupports(version: LayernormVersion, adapter: AdapterSummary, D: number): boolean {
  switch (version) {
    case 'v1': return true;
    case 'v2': return D % 4 === 0;
    case 'v3': return adapter.features.includes('subgroups');
  }
}

/**
 * The fastest version measured on each kind of adapter (BENCHMARKS.md): on the CPU emulators an
 * invocation per row (v2: 4-8x faster than v1 on llvmpipe, 20-40x on SwiftShader, whose barriers are
 * slow; v3 is 1.5-4x slower than v2 there). On GPUs a subgroup per row (v3: coalesced loads, no
 * barriers), v1 without subgroups (v2 would run only `rows` threads).
 */
export function chooseLayernormVersion(adapter: AdapterSummary): LayernormVersion {
  switch (adapter.family) {
    case 'llvmpipe': case 'swiftshader': return 'v2';
    default: return adapter.features.includes('subgroups') ? 'v3' : 'v1';
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
  } else { // a subgroup per row: WG / subgroup size rows per workgroup; the largest possible size bounds the dispatch
    const sgMax = ctx.device.adapterInfo?.subgroupMaxSize ?? 0;
    const wg = Math.max(64, sgMax);
    const rowsPerGroup = sgMax > 0 ? wg / sgMax : 1;
    pass.dispatch(ctx.pipeline('layernorm-v3', v3, { WG: wg }), params, [x, gamma, beta, y], grid(Math.ceil(rows / rowsPerGroup)));
  }
  return y;
}
