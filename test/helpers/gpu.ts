/** Shared test helpers: one Node GPU context per test file, seeded random data, closeness checks. */
import { expect } from 'vitest';
import { requestNodeContext, type AdapterChoice } from '../../src/node/gpu.ts';
import type { GpuContext, Pass, Tensor } from '../../src/kernels/runtime.ts';
import { versionNames, type KernelOp } from '../../src/kernels/versions.ts';

const contexts = new Map<string, Promise<GpuContext>>();

/** This machine's default adapter (CLIP_WEBGPU_ADAPTER, else auto), or a named one; one per test file. */
export function gpu(adapter: AdapterChoice | 'default' = 'default'): Promise<GpuContext> {
  let ctx = contexts.get(adapter);
  if (!ctx) {
    ctx = requestNodeContext({ announce: false, adapter: adapter === 'default' ? undefined : adapter });
    contexts.set(adapter, ctx);
  }
  return ctx;
}

/**
 * Both CPU adapters of CI's machine; kernel and golden tests run on each. A real GPU can be added
 * with CLIP_WEBGPU_TEST_ADAPTERS=system,gles,swiftshader.
 */
export const TEST_ADAPTERS = (process.env.CLIP_WEBGPU_TEST_ADAPTERS ?? 'gles,swiftshader').split(
  ',',
) as AdapterChoice[];

/**
 * The versions of `op` that a kernel's version test runs on this test adapter. llvmpipe compiles a
 * pipeline in tens of ms and runs every version on every case. SwiftShader takes about a second
 * per pipeline, so there the cases run the versions that run on Vulkan in production: its own
 * choice, the GPUs' choices (the SPIR-V path a GPU on Vulkan takes) and what those fall back to.
 * Every version still runs on SwiftShader against its CPU reference in the benchmark harness's test
 * (test/bench/harness.test.ts, the tiny towers' shapes).
 */
export function versionsOn<S, V extends string>(op: KernelOp<S, V>, adapter: AdapterChoice): V[] {
  if (adapter !== 'swiftshader') return versionNames(op);
  const keep = new Set<V>();
  const add = (v: V | undefined) => {
    if (v === undefined || keep.has(v)) return;
    keep.add(v);
    add(op.versions[v].fallback);
  };
  for (const kind of ['swiftshader', 'gpu', 'gpu-subgroups'] as const) add(op.choice[kind]);
  return versionNames(op).filter((v) => keep.has(v));
}

/** Deterministic uniform values in [-scale, scale) (mulberry32): the benchmark harness's, so cases and tests draw the same data. */
export { rand } from '../../src/bench/harness.ts';

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Assert |a - b| <= atol everywhere, reporting the worst index. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  what = 'values',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstDiff = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (Number.isNaN(d) || d > worstDiff) {
      worstDiff = Number.isNaN(d) ? Infinity : d;
      worst = i;
    }
  }
  expect(
    worstDiff,
    `${what}: max |diff| ${worstDiff} at ${worst} (got ${actual[worst]}, want ${expected[worst]})`,
  ).toBeLessThanOrEqual(atol);
}

export function flat(nested: unknown): Float32Array {
  return Float32Array.from((nested as unknown[]).flat(Infinity as 1) as number[]);
}

type Input = [data: Float32Array | Uint32Array, shape: number[]];

/** Upload inputs, record `op` in one pass, read its output, free the inputs. */
export async function runOp(
  ctx: GpuContext,
  inputs: Input[],
  op: (pass: Pass, ...t: Tensor[]) => Tensor,
): Promise<Float32Array> {
  const tensors = inputs.map(([data, shape]) => ctx.tensor(shape, data, data instanceof Uint32Array ? 'u32' : 'f32'));
  const pass = ctx.pass();
  const [out] = await pass.run([op(pass, ...tensors)]);
  tensors.forEach((t) => ctx.release(t));
  return out;
}
