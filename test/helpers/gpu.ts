/** Shared test helpers: one Node GPU context per test file, seeded random data, closeness checks. */
import { expect } from 'vitest';
import { requestNodeContext, type AdapterChoice } from '../../src/node/gpu.ts';
import type { GpuContext, Pass, Tensor } from '../../src/kernels/runtime.ts';

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
