/**
 * One benchmark run as the CLI, bench.html and the playground's <clip-benchmark> all do it: probe
 * the adapter's peak, validate and time every kernel case of the chosen tower shapes (and the
 * refinement of maps at their image sizes), assemble the
 * report; then, with a model, add its end-to-end encode times.
 *
 * Engine-generic: nothing here touches the peer (onnxruntime-web), so the playground imports it
 * without pulling an ML runtime into its bundle.
 */
import { throwIfAborted } from '../errors.ts';
import type { GpuContext } from '../kernels/runtime.ts';
import type { E2eInputs, E2eResult } from './e2e.ts';
import { runCases, type BenchCase, type BenchResult, type HarnessOptions } from './harness.ts';
import { refineCases, towerCases } from './cases.ts';
import { probePeak } from './peak.ts';
import { breakdown, fmt, type BenchReport } from './report.ts';
import type { TowerShape } from './shapes.ts';

/** `--quick` / the playground: fewer samples, a short budget per case. */
export const QUICK_HARNESS: HarnessOptions = { warmup: 1, samples: 5, minSamples: 3, budgetMs: 1500 };
/** The default of the CLI and bench.html. */
export const FULL_HARNESS: HarnessOptions = { warmup: 1, samples: 10, minSamples: 3, budgetMs: 5000 };

export interface KernelBenchOptions {
  harness?: HarnessOptions;
  /** Where and when (runtime, date, machine load): goes into the report as is. */
  environment: BenchReport['environment'];
  /** Peak probe sizes ('tiny' for tests). */
  peakSize?: 'tiny' | 'normal';
  /** Progress: a line of text; while kernels are timed, also the case index and the case count. */
  onStatus?: (message: string, index?: number, total?: number) => void;
  /** Cancels the run after the case in progress with ClipError('aborted'). */
  signal?: AbortSignal;
}

export function caseLabel(c: Pick<BenchCase, 'op' | 'version' | 'shape' | 'group' | 'role'>): string {
  return `${c.op} ${c.version} ${c.shape}${c.group ? ` (${c.group} ${c.role})` : ''}`;
}

/** Peak probes, then every case of `shapes` (versions of one op at one shape interleaved), as a report without e2e. */
export async function runKernelBench(
  ctx: GpuContext,
  shapes: readonly TowerShape[],
  options: KernelBenchOptions,
): Promise<BenchReport> {
  const harness = options.harness ?? QUICK_HARNESS;
  const status = (message: string, index?: number, total?: number) => {
    throwIfAborted(options.signal, 'benchmark'); // every case reports before it runs: stop there
    options.onStatus?.(message, index, total);
  };
  const notes: string[] = [];
  status(`adapter ${ctx.adapter.description}; probing peak FMA throughput and copy bandwidth`);
  const peak = await probePeak(ctx, harness, options.peakSize);
  const cases = [...shapes.flatMap((s) => towerCases(s, ctx.adapter)), ...refineCases(shapes, ctx.adapter)];
  const kernels = await runCases(
    ctx,
    cases,
    {
      ...harness,
      onCase: (c, i, n) => status(`kernel ${i + 1}/${n}: ${caseLabel(c)}`, i, n),
    },
    peak,
  );
  return {
    adapter: { ...ctx.adapter, timing: peak.fma.method, peak: { gflops: peak.gflops, gbps: peak.gbps } },
    environment: options.environment,
    kernels,
    peak,
    breakdown: breakdown(kernels),
    e2e: null,
    peer: null,
    notes,
  };
}

/** Puts an end-to-end result into `report`, with notes on what was not measured; returns its inputs (for a peer). */
export function addE2e(report: BenchReport, e2e: E2eResult): E2eInputs {
  const { inputs, ...rest } = e2e;
  report.e2e = rest;
  if (e2e.image_batch !== 32) {
    report.notes.push(
      e2e.image_batch > 1
        ? `image throughput measured at batch ${e2e.image_batch}, not 32 (image_batch32_ms is null)`
        : 'image throughput not measured (image batch 0)',
    );
  }
  report.notes.push(
    `ImageNet head (80,000 prompts): ${fmt(e2e.imagenet_head_s_extrapolated)} s extrapolated from ${e2e.samples} sample(s) of ${e2e.text_batch} prompts, not measured`,
  );
  return inputs;
}

/**
 * The fastest valid version of each op at each place (same op, shape, tower and role), where at
 * least two versions were timed there: what a table highlights.
 */
export function bestVersions(results: readonly BenchResult[]): Set<BenchResult> {
  const groups = new Map<string, BenchResult[]>();
  for (const r of results) {
    if (!r.valid || r.ms === null) continue;
    const key = [r.op, r.shape, r.group ?? '', r.role ?? ''].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const best = new Set<BenchResult>();
  for (const rs of groups.values()) {
    if (rs.length > 1) best.add(rs.reduce((a, b) => (b.ms! < a.ms! ? b : a)));
  }
  return best;
}
