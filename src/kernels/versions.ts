/**
 * One shape for every kernel with several versions (matmul, attention, layernorm, patch-embed):
 * each op has a table of version descriptors (`KernelOp.versions`, oldest first, llm.c style), the
 * version each kind of adapter runs (`KernelOp.choice`, with the measurements behind it in comments
 * beside the table), and `runKernel` below is the one dispatcher all of them use. The benchmark
 * enumerates the same tables.
 */
import { ClipError } from '../errors.ts';
import type { AdapterSummary, GpuContext, Pass, Tensor } from './runtime.ts';

/** What chooses kernel versions: the adapter family, GPUs split by whether they have subgroups. */
export type AdapterKind = 'llvmpipe' | 'swiftshader' | 'gpu' | 'gpu-subgroups';
export const ADAPTER_KINDS: readonly AdapterKind[] = ['llvmpipe', 'swiftshader', 'gpu', 'gpu-subgroups'];

export function adapterKind(adapter: AdapterSummary): AdapterKind {
  if (adapter.family !== 'gpu') return adapter.family;
  return adapter.features.includes('subgroups') ? 'gpu-subgroups' : 'gpu';
}

/** One version of an op, for shapes of type S (each op's own record of sizes and flags). */
export interface KernelVersion<S, V extends string = string> {
  /** One line: what this version changes vs the previous one (the WGSL header says more). */
  note: string;
  /** The assembled WGSL (entry point `main`; bindings: params at 0, the op's tensors from 1). */
  code: string;
  /**
   * Where the shape selects other WGSL for this version (matmul's compact weight formats): the
   * variant's name (part of the pipeline's name) and its code; undefined runs `code`.
   */
  variant?(shape: S): { name: string; code: string } | undefined;
  /** Whether it runs this shape on this adapter (default: always). */
  supports?(shape: S, adapter: AdapterSummary): boolean;
  /** Where the dispatcher goes when `supports` says no (followed until a version supports the shape). */
  fallback?: V;
  /** Pipeline-overridable constants (part of the pipeline's cache key). */
  constants?(shape: S, ctx: GpuContext): Record<string, number>;
  /** The params uniform: 32-bit words, u32 except the positions in `floats`. */
  params(shape: S): readonly number[];
  floats?: readonly number[];
  /** Workgroup counts of the dispatch. */
  workgroups(shape: S, ctx: GpuContext): readonly number[];
  /** A version that is more than one dispatch records them itself (then code/params/workgroups are its first). */
  record?(pass: Pass, shape: S, tensors: readonly Tensor[]): void;
  /** No adapter kind chooses it: kept for the benchmark (and as a fallback target where declared). */
  benchOnly?: true;
}

/** An op's versions, oldest first, and the version each kind of adapter runs. */
export interface KernelOp<S, V extends string> {
  /** The op's name: `CLIP_KERNELS=<op>=v2`, `ctx.setKernelVersions({ <op>: 'v2' })`, pipeline labels. */
  op: string;
  versions: Readonly<Record<V, KernelVersion<S, V>>>;
  choice: Readonly<Record<AdapterKind, V>>;
}

export function versionNames<S, V extends string>(op: KernelOp<S, V>): V[] {
  return Object.keys(op.versions) as V[];
}

/**
 * The adapter kinds that run `version` when nothing is forced: their choice, or (unless it is bench-only)
 * a version down their choice's fallbacks, for the shapes the choice does not take (empty: bench only).
 */
export function chosenBy<S, V extends string>(op: KernelOp<S, V>, version: V): AdapterKind[] {
  const reaches = (from: V | undefined): boolean =>
    from !== undefined &&
    (from === version || (!op.versions[version].benchOnly && reaches(op.versions[from].fallback)));
  return ADAPTER_KINDS.filter((k) => reaches(op.choice[k]));
}

export function supports<S, V extends string>(
  op: KernelOp<S, V>,
  version: V,
  shape: S,
  adapter: AdapterSummary,
): boolean {
  return op.versions[version].supports?.(shape, adapter) ?? true;
}

/**
 * The version of `op` that runs `shape` here: `asked` (a caller's `version` option), else the one
 * forced on the context (`CLIP_KERNELS`, `setKernelVersions`), else the adapter kind's choice; then
 * down the declared fallbacks until one supports the shape.
 */
export function pickVersion<S, V extends string>(ctx: GpuContext, op: KernelOp<S, V>, shape: S, asked?: V): V {
  const wanted = asked ?? ctx.kernelOverrides.get(op.op) ?? op.choice[adapterKind(ctx.adapter)];
  if (!(wanted in op.versions)) {
    throw new ClipError('input', `Unknown ${op.op} kernel version "${wanted}" (have ${versionNames(op).join(', ')}).`);
  }
  let version = wanted as V;
  for (const seen = new Set<V>(); !supports(op, version, shape, ctx.adapter); seen.add(version)) {
    const next = op.versions[version].fallback;
    if (!next || seen.has(next)) throw new Error(`${op.op} ${version}: no fallback supports this shape`);
    version = next;
  }
  return version;
}

/**
 * The one dispatcher: picks the version (`pickVersion`) and records it: its pipeline (compiled once
 * per version and constants), params uniform and workgroups, or its own `record` for multi-dispatch
 * versions. `tensors` bind from 1 in order. Returns the version that ran.
 */
export function runKernel<S, V extends string>(
  pass: Pass,
  op: KernelOp<S, V>,
  shape: S,
  tensors: readonly Tensor[],
  asked?: V,
): V {
  const ctx = pass.ctx;
  const version = pickVersion(ctx, op, shape, asked);
  const v = op.versions[version];
  if (v.record) {
    v.record(pass, shape, tensors);
  } else {
    const variant = v.variant?.(shape);
    const name = variant ? `${op.op}-${version}-${variant.name}` : `${op.op}-${version}`;
    const pipeline = ctx.pipeline(name, variant?.code ?? v.code, v.constants?.(shape, ctx) ?? {});
    pass.dispatch(pipeline, ctx.uniform(v.params(shape), v.floats), tensors, v.workgroups(shape, ctx));
  }
  return version;
}
