/**
 * Peak probes: an FMA-throughput kernel and a copy-bandwidth kernel give this adapter's own
 * roofline (GFLOP/s, GB/s). They are benchmark cases like any other: validated against a CPU
 * computation first, then timed by the same harness.
 */
import { grid, type GpuContext } from '../kernels/runtime.ts';
import {
  maxAbsDiff,
  rand,
  runCases,
  sampleRows,
  type BenchCase,
  type BenchResult,
  type HarnessOptions,
  type Peak,
} from './harness.ts';
import source from './peak.wgsl?raw';

const ACCUMULATORS = 8;
const LANES = 4;
const FMA_M = 0.999;
const FMA_C = 0.001;

/** FMA probe: `n` invocations x `iters` rounds x 8 vec4 chains (2 FLOP per lane per FMA). */
export function fmaCase(n: number, iters: number): BenchCase {
  return {
    op: 'peak-fma',
    version: 'v1',
    shape: `invocations=${n} iters=${iters}`,
    flops: 2 * n * iters * ACCUMULATORS * LANES,
    bytes: 4 * LANES * 2 * n,
    setup(ctx) {
      const init = rand(n * LANES, 21);
      const src = ctx.tensor([n * LANES], init, 'f32', 'bench-peak-src');
      const dst = ctx.tensor([n * LANES], undefined, 'f32', 'bench-peak-dst');
      return {
        record(pass) {
          const pipeline = ctx.pipeline('bench-peak', source, { MODE: 0 });
          const params = ctx.uniform([n, iters, FMA_M, FMA_C], [2, 3]);
          pass.dispatch(pipeline, params, [src, dst], grid(Math.ceil(n / 256)));
          return dst;
        },
        check(out) {
          // The same chains on the CPU in float64, for sampled invocations.
          const idx = sampleRows(n, 512);
          const got: number[] = [],
            want: number[] = [];
          for (const i of idx) {
            for (let l = 0; l < LANES; l++) {
              let sum = 0;
              for (let a = 0; a < ACCUMULATORS; a++) {
                let acc = Math.fround(init[i * LANES + l] + a * 0.125);
                for (let k = 0; k < iters; k++) acc = acc * FMA_M + FMA_C;
                sum += acc;
              }
              got.push(out[i * LANES + l]);
              want.push(sum);
            }
          }
          return { maxAbsDiff: maxAbsDiff(got, want), tolerance: 1e-3, compared: got.length };
        },
        release() {
          ctx.release(src);
          ctx.release(dst);
        },
      };
    },
  };
}

/** Copy probe: `n` vec4s read and written once. */
export function copyCase(n: number): BenchCase {
  return {
    op: 'peak-copy',
    version: 'v1',
    shape: `${((n * 16) / 2 ** 20).toFixed(0)} MiB`,
    flops: 0,
    bytes: 2 * n * 16,
    setup(ctx) {
      const init = rand(n * LANES, 22);
      const src = ctx.tensor([n * LANES], init, 'f32', 'bench-peak-src');
      const dst = ctx.tensor([n * LANES], undefined, 'f32', 'bench-peak-dst');
      return {
        record(pass) {
          const pipeline = ctx.pipeline('bench-peak', source, { MODE: 1 });
          const params = ctx.uniform([n, 0, 0, 0], [2, 3]);
          pass.dispatch(pipeline, params, [src, dst], grid(Math.min(Math.ceil(n / 256), 16384)));
          return dst;
        },
        check(out) {
          return { maxAbsDiff: maxAbsDiff(out, init), tolerance: 0, compared: out.length };
        },
        release() {
          ctx.release(src);
          ctx.release(dst);
        },
      };
    },
  };
}

/** Probe sizes for this adapter: smaller on CPU emulation, bounded by the binding limit. */
export function peakCases(ctx: GpuContext, size: 'tiny' | 'normal' = 'normal'): BenchCase[] {
  if (size === 'tiny') return [fmaCase(1000, 16), copyCase(5000)];
  const cpu = ctx.adapter.isCpu;
  const maxBytes = Math.min(ctx.limits.maxStorageBufferBindingSize, ctx.limits.maxBufferSize);
  const copyBytes = Math.min(cpu ? 32 * 2 ** 20 : 256 * 2 ** 20, Math.floor(maxBytes / 2 ** 20) * 2 ** 20);
  return [fmaCase(cpu ? 16384 : 1 << 20, cpu ? 256 : 1024), copyCase(copyBytes / 16)];
}

export interface PeakResult extends Peak {
  fma: BenchResult;
  copy: BenchResult;
}

/** Run both probes; a probe that fails validation leaves its peak at NaN (shares are then null). */
export async function probePeak(
  ctx: GpuContext,
  options: HarnessOptions = {},
  size: 'tiny' | 'normal' = 'normal',
): Promise<PeakResult> {
  const [fma, copy] = await runCases(ctx, peakCases(ctx, size), options);
  const peak: Peak = { gflops: fma.valid ? fma.gflops! : NaN, gbps: copy.valid ? copy.gbps! : NaN };
  fma.peak_share = peak.gflops > 0 ? 1 : null;
  copy.peak_share = peak.gbps > 0 ? 1 : null;
  return { ...peak, fma, copy };
}
